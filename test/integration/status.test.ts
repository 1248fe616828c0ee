import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '#infra/local/stack';
import { retention } from '#shared/retention';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

process.env.SC_REPORT_RATE_LIMIT = '1000/3600';
process.env.SC_CASE_REVIEW_RATE_LIMIT = '1000/3600';

const REFERENCE = /^SC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const report = (over: Record<string, unknown> = {}) => ({
  category: 'asb.noise',
  description: 'Loud music from number 4 every night after midnight',
  occurredAt: new Date(Date.now() - 86400_000).toISOString(),
  location: { postcode: 'LE13 1GH', text: '4 Elm Road' },
  hateMotivated: false,
  ...over,
});

interface Outboxed {
  id: string;
  channel: string;
  to: string;
  template: string;
  personalisation: Record<string, string>;
}
interface StatusBody {
  reference: string;
  status: string;
  updatedAt: string;
  history: { at: string; text: string }[];
  whatWasDone: string[];
}

describe('integration: a report’s progress by its reference, and messages to its reporter', () => {
  let stack: TestStack;
  let docs: DynamoDBDocumentClient;
  const outbox = () => join(stack.stateDir, 'outbox');
  const messages = (): Outboxed[] =>
    existsSync(outbox()) ? readdirSync(outbox()).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(outbox(), f), 'utf8')) as Outboxed) : [];
  const statusOf = async (reference: string) => {
    const res = await stack.request('GET', `/status/${reference}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    return (await res.json()) as StatusBody;
  };
  const send = async (over: Record<string, unknown> = {}) => {
    const res = await stack.request('POST', '/reports', { json: report(over) });
    expect(res.status, await res.clone().text()).toBe(202);
    const body = (await res.json()) as { reportId: string; reference: string };
    await stack.settle();
    return body;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    docs = DynamoDBDocumentClient.from(stack.dynamodb);
  });
  afterAll(() => stack.dispose());

  it('follows a report from received to closed, as JSON and as a page, with nothing personal', async () => {
    const { reportId, reference } = await send({ contact: { name: 'Jo Bloggs', email: 'jo@example.com', consentToContact: true } });
    expect(reference).toMatch(REFERENCE);
    const first = await statusOf(reference);
    expect(first).toMatchObject({ reference, status: 'received', history: [{ text: 'We received your report' }], whatWasDone: [] });

    const opened = await stack.request('POST', `/reports/${reportId}/triage`, { role: 'officer', json: { action: 'open-case', kind: 'asb', owner: 'safer-communities' } });
    expect(opened.status, await opened.clone().text()).toBe(202);
    const { caseId } = (await opened.json()) as { caseId: string };
    await stack.settle();
    expect((await statusOf(reference)).status).toBe('being-looked-into');

    const visit = await stack.request('POST', `/cases/${caseId}/actions`, { role: 'officer', json: { detailType: 'TeamActionRecorded', actionType: 'visit', notes: 'Spoke to Mr Smith at number 4' } });
    expect(visit.status, await visit.clone().text()).toBe(202);
    const close = await stack.request('POST', `/cases/${caseId}/close`, { role: 'officer', json: { outcome: 'Mr Smith agreed to keep the music down' } });
    expect(close.status).toBe(202);
    await stack.settle();

    const done = await statusOf(reference);
    expect(done.status).toBe('closed');
    expect(done.history.map((h) => h.text)).toEqual(['We received your report', 'An officer started looking into your report', 'An officer visited', 'The case was closed']);
    expect(done.whatWasDone).toEqual(['An officer visited']);
    expect(Date.parse(done.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));

    const page = await stack.request('GET', `/status/${reference}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain(reference);
    expect(html).toContain('Closed');
    expect(html).toContain('An officer visited');
    for (const text of [JSON.stringify(done), html]) {
      for (const secret of ['Loud music', 'Elm Road', 'LE13 1GH', 'Jo Bloggs', 'jo@example.com', 'Smith', 'ct_']) expect(text).not.toContain(secret);
    }

    // The reporter agreed to be contacted: the acknowledgement, and an update at opening and closing.
    const mine = messages().filter((m) => m.personalisation.reference === reference);
    expect(mine.map((m) => m.template).sort()).toEqual(['report-received', 'report-update', 'report-update']);
    for (const m of mine) expect([m.channel, m.to]).toEqual(['email', 'jo@example.com']);
    const ack = mine.find((m) => m.template === 'report-received');
    expect(ack?.personalisation.statusUrl).toBe(`${stack.endpoints.gateway}/status/${reference}`);
    expect(mine.filter((m) => m.template === 'report-update').map((m) => m.personalisation.status).sort()).toEqual(['Being looked into', 'Closed']);
  });

  it('sends nothing more when the same events are delivered again, even after the idempotency records are gone', async () => {
    const before = messages().length;
    expect(before).toBeGreaterThan(0);
    const { Items = [] } = await docs.send(new ScanCommand({ TableName: stack.endpoints.tables.idempotency, ProjectionExpression: 'id' }));
    for (const item of Items) await docs.send(new DeleteCommand({ TableName: stack.endpoints.tables.idempotency, Key: { id: item.id } }));
    const bus = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials: LOCAL_CREDENTIALS });
    const again = stack.observed.filter((e) => ['ReportReceived', 'CaseOpened', 'CaseClosed'].includes(e['detail-type']));
    await bus.send(new PutEventsCommand({ Entries: again.map((e) => ({ EventBusName: stack.endpoints.eventBusName, Source: e.source, DetailType: e['detail-type'], Detail: JSON.stringify(e.detail) })) }));
    bus.destroy();
    await stack.settle();
    expect(messages()).toHaveLength(before);
  });

  it('keeps a report\'s progress as long as the report, counted from when it happened, also when an old event is delivered again', async () => {
    const received = stack.observedOf('ReportReceived')[0];
    expect(received).toBeDefined();
    const detail = { ...(received?.detail as Record<string, unknown>), eventId: 'status-retention-replay-1', reportId: 'status-retention-report-1', reference: 'SC-RTN0-0001' };
    // Received five years ago, say in a replay from the archive: its progress has one year left,
    // not six. (Not past it: the local TTL sweeper would take it away before it is looked at.)
    const time = new Date(Math.floor((Date.now() - 5 * 365 * 86_400_000) / 1000) * 1000);
    const bus = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials: LOCAL_CREDENTIALS });
    await bus.send(new PutEventsCommand({ Entries: [{ EventBusName: stack.endpoints.eventBusName, Source: received?.source, DetailType: 'ReportReceived', Detail: JSON.stringify(detail), Time: time }] }));
    bus.destroy();
    await stack.settle();
    const { Items = [] } = await docs.send(new ScanCommand({ TableName: stack.endpoints.tables.main, FilterExpression: 'reportId = :r OR contains(pk, :r)', ExpressionAttributeValues: { ':r': 'status-retention-report-1' } }));
    // (A message claim is the sender's record, kept from when it was sent: not progress.)
    const status = Items.filter((i) => String(i.pk).includes('#STATUS#') && i.type !== 'status-message');
    expect(status.map((i) => i.type).sort()).toEqual(['status-reference', 'status-report-step']);
    for (const item of status) expect(item.expiresAt).toBe(Math.floor(time.getTime() / 1000) + retention.reportDays * 86400);
  });

  it('tells an anonymous reporter nothing, and one who gave details but did not agree nothing either', async () => {
    const before = messages().length;
    await send();
    await send({ contact: { email: 'quiet@example.com', consentToContact: false } });
    expect(messages()).toHaveLength(before);
  });

  it('repeats the ASB Case Review notice in the acknowledgement of a second report within six months', async () => {
    await send({ contact: { email: 'again@example.com', consentToContact: true } });
    const { reference } = await send({ contact: { email: 'again@example.com', consentToContact: true } });
    const ack = messages().find((m) => m.template === 'report-received' && m.personalisation.reference === reference);
    expect(ack?.personalisation.caseReview).toContain('ASB Case Review');
    expect(ack?.personalisation.caseReview).toContain('/case-reviews/apply');
  });

  it('answers an unknown or malformed reference with a kind page for people and a JSON 404 for scripts', async () => {
    for (const path of ['/status/SC-0000-0000', '/status/not-a-reference', '/status/%3Cscript%3E']) {
      const page = await stack.request('GET', path, { headers: { accept: 'text/html' } });
      expect(page.status, path).toBe(404);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toContain('We cannot find a report with that reference');
      expect(html).not.toContain('<script>');
      const json = await stack.request('GET', path, { headers: { accept: 'application/json' } });
      expect(json.status).toBe(404);
      expect(((await json.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('looks a reference up as a person types it, and sends a typed-another-way address to the one address', async () => {
    const { reference } = await send();
    const find = await stack.request('GET', `/status?reference=${encodeURIComponent(` ${reference.toLowerCase().replace(/-/g, ' ')} `)}`);
    expect(find.status).toBe(303);
    expect(find.headers.get('location')).toBe(`/status/${reference}`);
    const lower = await stack.request('GET', `/status/${reference.toLowerCase()}`, { headers: { accept: 'text/html' } });
    expect(lower.status).toBe(303);
    expect(lower.headers.get('location')).toBe(`/status/${reference}`);
    const blank = await stack.request('GET', '/status?reference=', { headers: { accept: 'text/html' } });
    expect(blank.status).toBe(422);
    expect(await blank.text()).toContain('Enter your reference number');
    expect((await stack.request('GET', '/status', { headers: { accept: 'text/html' } })).status).toBe(200);
  });

  it('refuses a report outside the council’s area kindly, as JSON and from the form, keeping nothing', async () => {
    const before = stack.observedOf('ReportReceived').length;
    const json = await stack.request('POST', '/reports', { json: report({ location: { postcode: 'LE1 5WW' } }) });
    expect(json.status).toBe(422);
    const body = (await json.json()) as { error: { details: { path: string; message: string }[] } };
    expect(body.error.details).toEqual([{ path: 'location.postcode', message: expect.stringContaining('LE1 5WW is not in') }]);
    const point = await stack.request('POST', '/reports', { json: report({ location: { lat: 52.6369, lng: -1.1398 } }) });
    expect(point.status).toBe(422);
    const form = await stack.request('POST', '/reports', {
      form: { category: 'asb.noise', description: 'Music', 'when-day': '1', 'when-month': '5', 'when-year': '2024', 'location-postcode': 'le1 5ww', hateMotivated: 'no', consentToContact: 'no' },
      headers: { accept: 'text/html' },
    });
    expect(form.status).toBe(422);
    const html = await form.text();
    expect(html).toContain('LE1 5WW is not in');
    expect(html).toContain('www.gov.uk/find-local-council');
    expect(html).toContain('>Music</textarea>');
    await stack.settle();
    expect(stack.observedOf('ReportReceived')).toHaveLength(before);
  });

  it('links the privacy notice from every footer and says what is kept and for how long', async () => {
    for (const path of ['/', '/privacy', '/status', '/accessibility']) {
      const html = await (await stack.request('GET', path, { headers: { accept: 'text/html' } })).text();
      expect(html, path).toContain('href="/privacy"');
    }
    const privacy = await (await stack.request('GET', '/privacy', { headers: { accept: 'text/html' } })).text();
    expect(privacy).toContain('Your contact details: 2 years');
    expect(privacy).toContain('Your report and its progress: 6 years');
  });
});
