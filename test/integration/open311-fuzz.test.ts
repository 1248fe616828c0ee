import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories } from '#events/intake';
import { LOCAL_CREDENTIALS } from '#infra/local/stack';
import { buildApiKeys } from '../../functions/open311/api-keys.ts';
import { kids, parseXml, textOf } from '../support/open311-xml.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const V2 = '/open311/v2';

const hostileString = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    "' OR '1'='1",
    '=HYPERLINK("http://evil","x")',
    '</errors><error>',
    ']]>',
    '&amp;&#0;',
    '\u0000\u0001\u001f',
    '\uD800',
    '\u202E',
    '__proto__',
    '%00',
    '../../etc/passwd',
    '',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

const fieldName = fc.oneof(
  fc.constantFrom('service_code', 'lat', 'long', 'address_string', 'description', 'email', 'phone', 'first_name', 'last_name', 'media_url', 'attribute[hate_motivated]', 'attribute[occurred_at]', 'jurisdiction_id', '__proto__', 'constructor'),
  fc.string({ maxLength: 12 }),
);

/** Form fields that cannot make a valid request: service_code is always missing or wrong. */
const badForm = fc
  .tuple(
    fc.dictionary(fieldName, hostileString, { maxKeys: 8 }),
    fc.option(hostileString.filter((s) => !(categories as readonly string[]).includes(s.trim())), { nil: undefined }),
  )
  .map(([fields, serviceCode]) => {
    const { service_code: _ignored, ...rest } = fields;
    return serviceCode === undefined ? rest : { ...rest, service_code: serviceCode };
  });

/** A valid request spoilt in one field by a wrong type or a hostile value. */
const spoilers: Record<string, fc.Arbitrary<string>> = {
  lat: fc.oneof(fc.constantFrom('NaN', 'Infinity', '1e999', '91', '-181', '0x10', ' '), hostileString.filter((s) => !/^\s*-?\d{1,3}(\.\d{1,12})?\s*$/.test(s))),
  email: hostileString.filter((s) => s.trim() !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)),
  media_url: fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>', 'not a url'),
  'attribute[hate_motivated]': hostileString.filter((s) => !['yes', 'no', 'true', 'false', ''].includes(s.trim())),
  'attribute[occurred_at]': hostileString.filter((s) => s.trim() !== ''),
  description: fc.constantFrom('x'.repeat(4001), ' \t '),
};
const spoiltForm = fc.constantFrom(...Object.keys(spoilers)).chain((field) => (spoilers[field] as fc.Arbitrary<string>).map((value) => ({ field, value })));

describe('integration: Open311 fuzzing', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;
  let s3: S3Client;
  let key: string;
  const delivered: unknown[] = [];

  const stored = async () => {
    await stack.settle();
    const items = await db.send(new ScanCommand({ TableName: stack.endpoints.tables.main, Select: 'COUNT' }));
    const archived = await s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.buckets.archive }));
    return { items: items.Count ?? 0, archived: archived.KeyCount ?? 0, events: delivered.length };
  };

  /** A 4xx in the Open311 error shape of the format asked for, with a description a person can act on. */
  const expectOpen311Refusal = async (res: Response, format: 'json' | 'xml', statuses: number[]) => {
    expect(statuses).toContain(res.status);
    const text = await res.text();
    const descriptions =
      format === 'xml'
        ? kids(parseXml(text), 'error').map((e) => textOf(e, 'description'))
        : (JSON.parse(text) as { code: number; description: string }[]).map((e) => e.description);
    expect(descriptions.length).toBeGreaterThan(0);
    for (const d of descriptions) expect(d.length).toBeGreaterThan(10);
  };

  const postForm = (file: string, body: string) =>
    fetch(`${stack.endpoints.gateway}${V2}/${file}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const encode = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  beforeAll(async () => {
    stack = await startTestStack({
      wrapInvoke: (spec, invoke) => async (event) => {
        if (spec.name === 'EventArchiver') delivered.push(event);
        return invoke(event);
      },
    });
    const client = { region: stack.endpoints.region, credentials: LOCAL_CREDENTIALS };
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...client, endpoint: stack.endpoints.dynamodb }));
    s3 = new S3Client({ ...client, endpoint: stack.endpoints.s3, forcePathStyle: true });
    key = await buildApiKeys(db, stack.endpoints.tables.main).create('fuzz-client');
  });
  afterAll(async () => {
    db.destroy();
    s3.destroy();
    await stack.dispose();
  });

  it('refuses random and hostile form posts with 400 in the format asked for, storing nothing', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(badForm, fc.constantFrom('json' as const, 'xml' as const), async (fields, format) => {
        await expectOpen311Refusal(await postForm(`requests.${format}`, encode({ ...fields, api_key: key })), format, [400]);
      }),
      { numRuns: 80 },
    );
    expect(await stored()).toEqual(before);
  });

  it('refuses a valid request spoilt in one field with 400 naming that field, storing nothing', async () => {
    const before = await stored();
    const valid = { api_key: key, service_code: 'asb.rowdy', address_string: 'Market Square', description: 'Shouting', lat: '52.77', long: '-0.88' };
    await fc.assert(
      fc.asyncProperty(spoiltForm, fc.constantFrom('json' as const, 'xml' as const), async ({ field, value }, format) => {
        const res = await postForm(`requests.${format}`, encode({ ...valid, [field]: value }));
        expect(res.status, `${field}=${JSON.stringify(value)}`).toBe(400);
        const text = await res.text();
        const descriptions =
          format === 'xml' ? kids(parseXml(text), 'error').map((e) => textOf(e, 'description')) : (JSON.parse(text) as { description: string }[]).map((e) => e.description);
        expect(descriptions.some((d) => d.startsWith(`${field}:`))).toBe(true);
      }),
      { numRuns: 80 },
    );
    expect(await stored()).toEqual(before);
  });

  it('refuses posts without a valid key with 403 whatever the body, storing nothing', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(badForm, fc.option(hostileString, { nil: undefined }), fc.constantFrom('json' as const, 'xml' as const), async (fields, apiKey, format) => {
        const form = apiKey === undefined ? fields : { ...fields, api_key: apiKey };
        await expectOpen311Refusal(await postForm(`requests.${format}`, encode(form)), format, [403]);
      }),
      { numRuns: 50 },
    );
    expect(await stored()).toEqual(before);
  });

  it('refuses malformed bodies, wrong content types and bodies over 256 KB, storing nothing', async () => {
    const before = await stored();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1'))),
        fc.constantFrom('text/plain', 'application/json', 'multipart/form-data; boundary=x', 'application/xml', ''),
        async (body, type) => {
          const res = await fetch(`${stack.endpoints.gateway}${V2}/requests.json`, { method: 'POST', body, headers: type ? { 'content-type': type } : {} });
          await expectOpen311Refusal(res, 'json', [400, 415]);
        },
      ),
      { numRuns: 40 },
    );
    const big = encode({ api_key: key, service_code: 'asb.rowdy', address_string: 'x', description: 'd'.repeat(300 * 1024) });
    await expectOpen311Refusal(await postForm('requests.xml', big), 'xml', [413]);
    await expectOpen311Refusal(await postForm('requests.json', `${big}&more=${'m'.repeat(2 * 1024 * 1024)}`), 'json', [413]);
    expect(await stored()).toEqual(before);
  });

  it('answers random queries and paths with 200 or a well-formed 4xx, never an error of ours', async () => {
    const before = await stored();
    const queryArb = fc.dictionary(
      fc.oneof(fc.constantFrom('service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'api_key', 'jurisdiction_id'), fc.string({ maxLength: 8 })),
      hostileString,
      { maxKeys: 5 },
    );
    const pathArb = fc.oneof(
      fc.constantFrom('requests', 'services', 'requests/', 'services/'),
      fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)),
      fc.string({ maxLength: 30 }).map((s) => `requests/${encodeURIComponent(s)}`),
      fc.string({ maxLength: 30 }).map((s) => `services/${encodeURIComponent(s)}`),
    );
    await fc.assert(
      fc.asyncProperty(pathArb, fc.constantFrom('.json', '.xml', ''), queryArb, fc.boolean(), async (path, ext, query, withKey) => {
        const qs = new URLSearchParams({ ...query, ...(withKey ? { api_key: key } : {}) }).toString();
        const res = await fetch(`${stack.endpoints.gateway}${V2}/${path}${ext}?${qs}`);
        expect(res.status).toBeLessThan(500);
        const text = await res.text();
        if (res.status >= 400 && res.headers.get('content-type')?.startsWith('text/xml')) {
          expect(kids(parseXml(text), 'error').length).toBeGreaterThan(0);
        } else if (res.headers.get('content-type')?.startsWith('text/xml')) {
          parseXml(text);
        } else {
          JSON.parse(text);
        }
      }),
      { numRuns: 150 },
    );
    expect(await stored()).toEqual(before);
  });

  it('keeps answering after the fuzzing, and still accepts a good request', async () => {
    expect((await stack.request('GET', '/health')).status).toBe(200);
    const res = await postForm('requests.json', encode({ api_key: key, service_code: 'asb.rowdy', address_string: 'Market Square', description: 'Shouting' }));
    expect(res.status).toBe(201);
  });
});
