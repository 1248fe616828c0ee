import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

// Read per request by the intake function, which runs in this process.
process.env.SC_REPORT_RATE_LIMIT = '3/3600';
process.env.SC_CASE_REVIEW_RATE_LIMIT = '2/3600';

const report = () => ({
  category: 'asb.noise',
  description: 'Music until 3am',
  occurredAt: '2024-05-14T02:00:00+01:00',
  location: { postcode: 'LE14 2QX' },
  hateMotivated: false,
});

describe('integration: per-client rate limits on the public POSTs (/reports, /case-reviews)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.dispose();
  });

  it('refuses the report over the limit with 429 and a message, as JSON or as a page', async () => {
    for (let i = 0; i < 3; i += 1) expect((await stack.request('POST', '/reports', { json: report() })).status).toBe(202);
    const json = await stack.request('POST', '/reports', { json: report() });
    expect(json.status).toBe(429);
    expect(Number(json.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(json.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    const body = (await json.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('too_many_requests');
    expect(body.error.message).toMatch(/^too many reports have been sent from your connection; try again in \d+ minutes?, or telephone the council$/);

    const form = await stack.request('POST', '/reports', {
      form: { category: 'asb.noise', description: 'Music', 'when-day': '1', 'when-month': '5', 'when-year': '2024', 'when-time': '2am', 'location-postcode': 'LE14 2QX', hateMotivated: 'no', consentToContact: 'no' },
    });
    // The person keeps what they typed and is given the council's telephone number.
    expect(form.status).toBe(429);
    expect(Number(form.headers.get('retry-after'))).toBeGreaterThan(0);
    const page = await form.text();
    expect(page).toContain('We could not send your report yet');
    expect(page).toContain('01632 960 000');
    expect(page).toContain('>Music</textarea>');
    expect(page).toContain('value="LE14 2QX"');
    await stack.settle();
    const queue = (await (await stack.request('GET', '/reports?status=untriaged', { role: 'officer' })).json()) as { items: unknown[] };
    expect(queue.items).toHaveLength(3);
  });

  it('does not count a refused (invalid) report against the limit', async () => {
    const invalid = await stack.request('POST', '/reports', { json: { ...report(), category: 'nope' } });
    expect(invalid.status).toBe(422);
  });

  it('keeps a hash of the client address in the counter, never the address, with an expiry', async () => {
    const db = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const out = await db.send(new ScanCommand({ TableName: stack.endpoints.tables.main, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': { S: 'default#RATE#' } } }));
    db.destroy();
    expect(out.Items).toHaveLength(1);
    const item = out.Items?.[0] ?? {};
    expect(item.pk?.S).toMatch(/^default#RATE#reports#[0-9a-f]{32}$/);
    expect(item.count?.N).toBe('3');
    expect(Number(item.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000);
    expect(JSON.stringify(item)).not.toContain('127.0.0.1');
  });

  const application = {
    applicant: { name: 'Pat', email: 'pat@example.com', consentToContact: true },
    hateIncident: false,
    description: 'Noise from the flat below, night after night',
    complaints: [{ reportedTo: 'council', incidentOn: '2024-05-01', reportedOn: '2024-05-02' }],
  };

  it('limits case review applications per connection separately from reports, and never an officer recording one', async () => {
    // The reports above used up their own limit; applications have theirs.
    for (let i = 0; i < 2; i += 1) expect((await stack.request('POST', '/case-reviews', { json: application })).status).toBe(202);
    const json = await stack.request('POST', '/case-reviews', { json: application });
    expect(json.status).toBe(429);
    expect(Number(json.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await json.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toMatch(/^too many applications have been sent from your connection; try again in \d+ minutes?, or telephone the council$/);

    const form = await stack.request('POST', '/case-reviews', {
      form: { applyingFor: 'myself', consentToContact: 'yes', 'applicant-phone': '01664 502 502', hateIncident: 'yes', description: 'The noise again, with abuse.', 'complaint-1-reportedTo': 'police', 'complaint-1-incident-day': '1', 'complaint-1-incident-month': '5', 'complaint-1-incident-year': '2024', 'complaint-1-reported-day': '2', 'complaint-1-reported-month': '5', 'complaint-1-reported-year': '2024' },
    });
    // The person keeps what they typed and is given the council's telephone number.
    expect(form.status).toBe(429);
    expect(Number(form.headers.get('retry-after'))).toBeGreaterThan(0);
    const page = await form.text();
    expect(page).toContain('We could not send your application yet');
    expect(page).toContain('01632 960 000');
    expect(page).toContain('The noise again, with abuse.');
    // An invalid form is answered with its errors before the limit is consulted.
    expect((await stack.request('POST', '/case-reviews', { form: { applyingFor: 'myself' } })).status).toBe(422);

    const officer = await stack.request('POST', '/case-reviews', { json: application, role: 'officer' });
    expect(officer.status).toBe(202);
  });
});
