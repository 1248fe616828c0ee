import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { parseReportForm, reportInputSchema } from '../../functions/intake/report-input.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

process.env.SC_REPORT_RATE_LIMIT = '100000/3600';

/** Text people (and attackers) send: markup, spreadsheet formulas, control characters, odd Unicode. */
const hostile = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "=cmd|' /C calc'!A0",
    '+SUM(A1:A9)',
    '@HYPERLINK("http://evil")',
    '-2+3',
    "'; DROP TABLE reports; --",
    '{{ 7*7 }}',
    '{% raw %}',
    '\u0000\u0001\u001f',
    '\u202eevil',
    '𝕳𝖊𝖑𝖑𝖔 👋',
    '__proto__',
    'constructor',
    ' ',
    '',
  ),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);

const fieldNames = [
  'category', 'description', 'when-day', 'when-month', 'when-year', 'when-time', 'occurredAt', 'location-postcode', 'location-text',
  'location-lat', 'location-lng', 'hateMotivated', 'consentToContact', 'contact-name', 'contact-email', 'contact-phone', 'website',
];

/** A report with each field either right, of the wrong type, or hostile. */
const jsonReport = fc.record(
  {
    category: fc.oneof(fc.constantFrom('enviro.fly-tipping', 'asb.noise'), hostile, fc.integer(), fc.constant(null)),
    description: fc.oneof(fc.constant('Bags dumped by the gate'), hostile, fc.integer(), fc.array(fc.string(), { maxLength: 3 })),
    occurredAt: fc.oneof(fc.constant('2024-05-14T21:30:00+01:00'), hostile, fc.integer(), fc.constant('2999-01-01T00:00:00Z')),
    location: fc.oneof(
      fc.constant({ postcode: 'LE13 1GH' }),
      fc.record({ lat: fc.oneof(fc.double(), hostile), lng: fc.oneof(fc.double(), hostile) }, { requiredKeys: [] }),
      fc.record({ postcode: hostile, text: hostile }, { requiredKeys: [] }),
      hostile,
    ),
    hateMotivated: fc.oneof(fc.boolean(), hostile, fc.constant('true')),
    contact: fc.oneof(
      fc.record({ name: hostile, email: fc.oneof(hostile, fc.emailAddress()), phone: hostile, consentToContact: fc.oneof(fc.boolean(), hostile) }, { requiredKeys: [] }),
      hostile,
    ),
  },
  { requiredKeys: [] },
);

const anyJson = fc.oneof(jsonReport, fc.jsonValue({ maxDepth: 3 }));

const formBody = fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 12 })), hostile, { maxKeys: 20 });

describe('integration: fuzzing POST /reports (form and JSON)', () => {
  let stack: TestStack;
  let db: DynamoDBClient;
  let put: MockInstance;

  const reportsPut = () => put.mock.calls.flatMap((call) => call[0] as { DetailType: string }[]).filter((e) => e.DetailType === 'ReportReceived').length;
  const itemCount = async () => (await db.send(new ScanCommand({ TableName: stack.endpoints.tables.main, Select: 'COUNT' }))).Count ?? 0;
  // A value that could open a tag or break out of an attribute must never appear raw, unless
  // the page's own markup contains it anyway (`<f` is in `<form`, a lone `"` is everywhere):
  // `markup` is the form and an error page rendered for an empty submission.
  let markup = '';
  const injectable = (value: string) => /<[a-z!/?]/i.test(value) || /"\s*[a-z-]+\s*=/i.test(value);
  const escapedEverywhere = (html: string, value: string) => !injectable(value) || markup.includes(value) || !html.includes(value);

  beforeAll(async () => {
    stack = await startTestStack();
    db = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    put = vi.spyOn(stack.bus, 'put');
    markup = (await (await stack.request('GET', '/')).text()) + (await (await stack.request('POST', '/reports', { form: {} })).text());
  });
  afterAll(async () => {
    put.mockRestore();
    db.destroy();
    await stack.dispose();
  });

  it('answers invalid JSON reports with a 4xx and a message and stores nothing', async () => {
    await stack.settle();
    const putsBefore = reportsPut();
    const before = await itemCount();
    await fc.assert(
      fc.asyncProperty(anyJson, async (body) => {
        // Valid reports are accepted elsewhere; here every one sent must be refused.
        fc.pre(!reportInputSchema.safeParse(body).success);
        const res = await stack.request('POST', '/reports', { json: body });
        expect([400, 422]).toContain(res.status);
        const error = ((await res.json()) as { error: { code: string; message: string; details?: { path: string; message: string }[] } }).error;
        expect(error.message.length).toBeGreaterThan(10);
        for (const d of error.details ?? []) expect(d.message.length).toBeGreaterThan(3);
      }),
      { numRuns: 150 },
    );
    await stack.settle();
    expect(reportsPut()).toBe(putsBefore);
    expect(await itemCount()).toBe(before);
  });

  it('answers invalid form posts with the form and its errors (422) or a page (400), escaped, and stores nothing', async () => {
    await stack.settle();
    const putsBefore = reportsPut();
    const before = await itemCount();
    await fc.assert(
      fc.asyncProperty(formBody, async (fields) => {
        const { input, issues } = parseReportForm(fields);
        fc.pre(!!fields.website || issues.length > 0 || !reportInputSchema.safeParse(input).success);
        const res = await stack.request('POST', '/reports', { form: fields });
        expect([400, 422]).toContain(res.status);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const html = await res.text();
        expect(html).toMatch(res.status === 422 ? /govuk-error-summary[\s\S]*There is a problem/ : /There is a problem with the form/);
        for (const value of Object.values(fields)) expect(escapedEverywhere(html, value)).toBe(true);
      }),
      { numRuns: 150 },
    );
    await stack.settle();
    expect(reportsPut()).toBe(putsBefore);
    expect(await itemCount()).toBe(before);
  });

  it('refuses malformed bodies, wrong content types and bodies over 256 KB with a 4xx and a message', async () => {
    await stack.settle();
    const putsBefore = reportsPut();
    const before = await itemCount();
    const contentType = fc.constantFrom('application/json', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', '', 'application/json; charset=utf-16');
    await fc.assert(
      fc.asyncProperty(contentType, fc.string({ maxLength: 200 }), async (type, body) => {
        const res = await stack.request('POST', '/reports', { body, headers: type ? { 'content-type': type } : {} });
        if (type.startsWith('application/json')) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            expect(res.status).toBe(400);
            return;
          }
          expect(reportInputSchema.safeParse(parsed).success).toBe(false);
          expect([400, 422]).toContain(res.status);
        } else {
          expect(res.status).toBe(415);
        }
      }),
      { numRuns: 80 },
    );
    for (const size of [256 * 1024 + 1, 1024 * 1024]) {
      const json = await stack.request('POST', '/reports', { body: JSON.stringify({ description: 'x'.repeat(size) }), headers: { 'content-type': 'application/json' } });
      expect(json.status).toBe(413);
      expect(((await json.json()) as { error: { message: string } }).error.message).toBe('the request body is larger than 256 KB');
      const form = await stack.request('POST', '/reports', { form: { description: 'y'.repeat(size) } });
      expect(form.status).toBe(413);
      expect(await form.text()).toContain('The request body is larger than 256 KB');
    }
    await stack.settle();
    expect(reportsPut()).toBe(putsBefore);
    expect(await itemCount()).toBe(before);
    expect((await stack.request('GET', '/health')).status).toBe(200);
    expect((await stack.request('GET', '/')).status).toBe(200);
  });
});
