import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signatureHeaders } from '../../functions/disc/signature.ts';
import { archivedLines, archivedObjects, compactArchive } from '../support/archive.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const WEBHOOK_SECRET = 'integration-disc-webhook-secret-0123456789abcdef';
const SUBJECT_KEY = 'integration-disc-subject-key-0123456789abcdefgh';
const PATH = '/integrations/disc/incidents';
const MINUTE = 60 * 1000;

let sequence = 0;
const incident = (over: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  incidentId: `INC-IT-${(sequence += 1)}`,
  incidentType: 'theft',
  occurredAt: '2024-05-14T16:20:00+01:00',
  premises: { name: 'Corner Mini-Market', address: '12 High Street', postcode: 'LE1 5WW' },
  description: 'Bartholomew Quince took two bottles of whisky. Quince ran towards the bus station.',
  subjects: [{ name: 'Bartholomew Quince' }],
  ...over,
});

describe('integration: DISC webhook signatures', () => {
  let stack: TestStack;

  const send = (body: string, headers: Record<string, string>) =>
    stack.request('POST', PATH, { body, headers: { 'content-type': 'application/json', ...headers } });
  const sendSigned = (payload: unknown, at = new Date(), secret = WEBHOOK_SECRET) => {
    const body = JSON.stringify(payload);
    return send(body, signatureHeaders(secret, body, at));
  };

  /** Everything the system could have kept: table items, archived objects, events delivered. */
  const stored = async () => {
    await stack.settle();
    const items = await stack.dynamodb.send(new ScanCommand({ TableName: stack.endpoints.tables.main, Select: 'COUNT' }));
    const objects = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.buckets.archive }));
    return { items: items.Count ?? 0, archived: objects.KeyCount ?? 0, events: stack.observed.length };
  };

  beforeAll(async () => {
    process.env.DISC_WEBHOOK_SECRET = WEBHOOK_SECRET;
    process.env.DISC_SUBJECT_KEY = SUBJECT_KEY;
    stack = await startTestStack();
  });
  afterAll(() => stack.dispose());

  it('accepts a correctly signed incident and puts a disc report in the triage queue', async () => {
    const res = await sendSigned(incident());
    expect(res.status).toBe(202);
    const { reportId, reference } = (await res.json()) as { reportId: string; reference: string };
    expect(reference).toMatch(/^SC-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await stack.settle();

    const report = (await (await stack.request('GET', `/reports/${reportId}`, { role: 'officer' })).json()) as Record<string, unknown>;
    expect(report).toMatchObject({ reportId, reference, channel: 'disc', category: 'retail.theft', status: 'untriaged' });
    expect(String(report.description)).toMatch(/^\[DISC incident INC-IT-\d+: theft\] \[sr_[A-Za-z0-9_-]{22}\] took two bottles/);
    const queue = (await (await stack.request('GET', '/reports?status=untriaged', { role: 'officer' })).json()) as { items: { reportId: string; channel: string }[] };
    expect(queue.items).toContainEqual(expect.objectContaining({ reportId, channel: 'disc' }));
  });

  it('keeps subject names out of the report, the archived event and the logs', async () => {
    const out: string[] = [];
    const capture = (chunk: unknown) => {
      out.push(String(chunk));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const res = await sendSigned(incident({ subjects: [{ name: 'Bartholomew Quince' }, { name: 'Ottoline Wexley', discSubjectId: 'P-1' }], description: 'Ottoline Wexley kept watch.' }));
      expect(res.status).toBe(202);
      await sendSigned(incident(), new Date(Date.now() - 10 * MINUTE));
      await stack.settle();
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const logs = out.join('');
    expect(logs).toContain('DISC webhook refused');
    expect(logs).not.toMatch(/bartholomew|quince|ottoline|wexley/i);

    await compactArchive(stack);
    const lines = await archivedLines(stack, 'public-text/');
    expect(lines.filter((l) => l.event['detail-type'] === 'ReportReceived').length).toBeGreaterThan(0);
    for (const { text } of await archivedObjects(stack)) expect(text).not.toMatch(/bartholomew|quince|ottoline|wexley/i);
    const all = await stack.dynamodb.send(new ScanCommand({ TableName: stack.endpoints.tables.main }));
    expect(JSON.stringify(all.Items)).not.toMatch(/bartholomew|quince|ottoline|wexley/i);
  });

  it('makes one report when DISC sends the same incident again with a fresh signature', async () => {
    const payload = incident();
    const first = (await (await sendSigned(payload, new Date(Date.now() - MINUTE))).json()) as { reportId: string };
    const again = await sendSigned(payload);
    expect(again.status).toBe(202);
    expect(((await again.json()) as { reportId: string }).reportId).toBe(first.reportId);
    await stack.settle();
    const queue = (await (await stack.request('GET', '/reports?status=untriaged&limit=100', { role: 'officer' })).json()) as { items: { reportId: string }[] };
    expect(queue.items.filter((r) => r.reportId === first.reportId)).toHaveLength(1);
  });

  it('refuses a replayed request with 401 and stores nothing', async () => {
    const body = JSON.stringify(incident());
    const headers = signatureHeaders(WEBHOOK_SECRET, body);
    expect((await send(body, headers)).status).toBe(202);
    const before = await stored();
    const replay = await send(body, headers);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('already received') } });
    expect(await stored()).toEqual(before);
  });

  it('refuses wrong, stale, future, missing and malformed signatures with 401 and stores nothing', async () => {
    await stack.settle();
    const before = await stored();
    const body = JSON.stringify(incident());
    const good = signatureHeaders(WEBHOOK_SECRET, body);
    const cases: [string, Promise<Response>][] = [
      ['wrong secret', sendSigned(incident(), new Date(), 'another-secret-that-disc-does-not-have-0123')],
      ['body changed after signing', send(body.replace('whisky', 'gin'), good)],
      ['stale', sendSigned(incident(), new Date(Date.now() - 6 * MINUTE))],
      ['future', sendSigned(incident(), new Date(Date.now() + 6 * MINUTE))],
      ['no signature', send(body, { 'X-Disc-Timestamp': good['X-Disc-Timestamp'] })],
      ['no timestamp', send(body, { 'X-Disc-Signature': good['X-Disc-Signature'] })],
      ['no headers', send(body, {})],
      ['not hex', send(body, { ...good, 'X-Disc-Signature': 'v1=zz' })],
      ['bare hex', send(body, { ...good, 'X-Disc-Signature': good['X-Disc-Signature'].slice(3) })],
    ];
    for (const [name, pending] of cases) {
      const res = await pending;
      expect(res.status, name).toBe(401);
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect(answer.error.code, name).toBe('unauthorized');
      expect(answer.error.message.length, name).toBeGreaterThan(20);
    }
    expect(await stored()).toEqual(before);
  });

  it('says how to fix a stale timestamp and a wrong signature', async () => {
    const stale = (await (await sendSigned(incident(), new Date(Date.now() - 6 * MINUTE))).json()) as { error: { message: string } };
    expect(stale.error.message).toMatch(/more than 5 minutes/);
    const wrong = (await (await sendSigned(incident(), new Date(), 'another-secret-that-disc-does-not-have-0123')).json()) as { error: { message: string } };
    expect(wrong.error.message).toMatch(/does not match/);
  });

  it('refuses a signed incident of a type the council does not take with 422 naming the field, storing nothing', async () => {
    await stack.settle();
    const before = await stored();
    const res = await sendSigned(incident({ incidentType: 'lost-property' }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { path: string; message: string }[] } };
    expect(body.error.details).toEqual([{ path: 'incidentType', message: expect.stringContaining('theft') }]);
    expect(await stored()).toEqual(before);
  });

  it('maps abuse of staff to retail.abuse with the hate flag carried over', async () => {
    const res = await sendSigned(incident({ incidentType: 'verbal-abuse', hateMotivated: true, subjects: [] }));
    const { reportId } = (await res.json()) as { reportId: string };
    await stack.settle();
    const report = (await (await stack.request('GET', `/reports/${reportId}`, { role: 'officer' })).json()) as Record<string, unknown>;
    expect(report).toMatchObject({ channel: 'disc', category: 'retail.abuse', hateMotivated: true });
  });
});
