import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivedLines, archivedObjects, compactArchive } from '../support/archive.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const report = () => ({
  category: 'enviro.fly-tipping',
  description: 'Mattress and builders rubble dumped by the gate.',
  occurredAt: '2024-05-14T21:30:00+01:00',
  location: { postcode: 'LE13 1GH' },
  hateMotivated: false,
});

describe('integration: walking skeleton — a report end to end', () => {
  let stack: TestStack;
  let s3: S3Client;

  const archived = async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.buckets.archive, Prefix: 'events/' }));
    return (out.Contents ?? []).map((o) => o.Key ?? '');
  };

  // Everything the functions log, at the most talkative level, to check no personal data leaks.
  const logged: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return writes.out(chunk, ...(rest as []));
    }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return writes.err(chunk, ...(rest as []));
    }) as typeof process.stderr.write;
    stack = await startTestStack();
    s3 = stack.s3;
  });
  afterAll(async () => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    await stack.dispose();
  });

  it('answers 202 with a reference and projects the report when JSON is posted', async () => {
    const res = await stack.request('POST', '/reports', { json: report() });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { reportId: string; reference: string };
    expect(body.reference).toMatch(/^SC-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await stack.settle();

    const read = await stack.request('GET', `/reports/${body.reportId}`, { role: 'officer' });
    expect(read.status).toBe(200);
    const stored = (await read.json()) as Record<string, unknown>;
    expect(stored).toMatchObject({ reportId: body.reportId, reference: body.reference, status: 'untriaged', channel: 'webform', category: 'enviro.fly-tipping', reporter: { anonymous: true } });

    const queue = (await (await stack.request('GET', '/reports?status=untriaged', { role: 'officer' })).json()) as { items: { reportId: string }[] };
    expect(queue.items.map((r) => r.reportId)).toContain(body.reportId);
    const foreignKey = Buffer.from(JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'z', gsi1sk: 'w' })).toString('base64url');
    for (const cursor of ['not-a-cursor', Buffer.from('[1,2]').toString('base64url'), foreignKey]) {
      const bad = await stack.request('GET', `/reports?cursor=${cursor}`, { role: 'officer' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/cursor/);
    }

    await compactArchive(stack);
    const whole = (await archivedLines(stack, 'public-text/')).find((l) => l.event.detail.reportId === body.reportId);
    expect(whole?.key).toMatch(/^public-text\/year=\d{4}\/month=\d{2}\/day=\d{2}\/events-[0-9a-f]{16}\.jsonl$/);
    expect(whole?.event.detail.description).toBe(report().description);
    const kept = (await archivedLines(stack, 'events/')).find((l) => l.event.detail.reportId === body.reportId);
    expect(kept?.event).toMatchObject({ source: 'safer-communities.intake', 'detail-type': 'ReportReceived' });
    expect(kept?.event.detail.description).not.toBe(report().description);
  });

  it('answers 401 without a token and 403 for a role that may not read reports', async () => {
    expect((await stack.request('GET', '/reports/anything')).status).toBe(401);
    expect((await stack.request('GET', '/reports/anything', { headers: { authorization: 'Bearer not-a-jwt' } })).status).toBe(401);
    const finance = await stack.request('GET', '/reports/anything', { role: 'finance' });
    expect(finance.status).toBe(403);
    expect(await finance.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
  });

  it('keeps contact details out of the event and the report when the reporter gives them', async () => {
    const res = await stack.request('POST', '/reports', {
      json: { ...report(), contact: { name: 'Jo Bloggs', email: 'jo@example.com', consentToContact: true } },
    });
    const { reportId } = (await res.json()) as { reportId: string };
    await stack.settle();
    const stored = (await (await stack.request('GET', `/reports/${reportId}`, { role: 'officer' })).json()) as { reporter: { anonymous: boolean; contactRef?: string } };
    expect(stored.reporter.anonymous).toBe(false);
    expect(stored.reporter.contactRef).toMatch(/^ct_[0-9a-f]{32}$/);
    expect(JSON.stringify(stored)).not.toContain('jo@example.com');
    await compactArchive(stack);
    const objects = await archivedObjects(stack);
    expect(objects.length).toBeGreaterThan(0);
    for (const { text } of objects) {
      expect(text).not.toContain('jo@example.com');
      expect(text).not.toContain('Jo Bloggs');
    }
  });

  it('redirects to the confirmation page when the form is posted without JavaScript', async () => {
    const res = await stack.request('POST', '/reports', {
      form: {
        category: 'asb.rowdy',
        description: 'Shouting in the car park',
        occurredAt: '2024-06-01T22:00:00+01:00',
        'location-text': 'Car park behind the library',
        hateMotivated: 'no',
        consentToContact: 'no',
      },
    });
    expect(res.status).toBe(303);
    // The confirmation page is found by an unguessable token; it shows the reference.
    expect(res.headers.get('location')).toMatch(/^\/confirmation\/[A-Za-z0-9_-]{43}$/);
    const page = await stack.request('GET', res.headers.get('location') ?? '');
    expect(await page.text()).toMatch(/SC-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  });

  it('refuses bad input with a reason and stores nothing', async () => {
    await stack.settle();
    const before = (await archived()).length;
    const malformed = await stack.request('POST', '/reports', { body: '{"category":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    const invalid = await stack.request('POST', '/reports', { json: { ...report(), category: 'asb.unknown', location: {} } });
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['category', 'location']));
    const wrongType = await stack.request('POST', '/reports', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    const huge = await stack.request('POST', '/reports', { json: { ...report(), description: 'x'.repeat(300 * 1024) } });
    expect(huge.status).toBe(413);
    await stack.settle();
    expect((await archived()).length).toBe(before);
    expect((await stack.request('GET', '/health')).status).toBe(200);
  });

  it('logs no names, e-mail addresses, phone numbers or free text from the public', async () => {
    const secret = { name: 'Hermione Quill', email: 'hq.private@example.org', phone: '07700 900 123' };
    const description = 'Distinctive description text zebra-lantern-42';
    await stack.request('POST', '/reports', { json: { ...report(), description, contact: { ...secret, consentToContact: true } } });
    await stack.request('POST', '/reports', { json: { ...report(), description, contact: { email: 'not-an-email hq.private@example.org', consentToContact: true } } });
    await stack.settle();
    expect(logged.length).toBeGreaterThan(0);
    const all = logged.join('');
    for (const text of [secret.name, secret.email, secret.phone, description]) expect(all).not.toContain(text);
  });

  it('serves the OpenAPI document to anyone', async () => {
    const res = await stack.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/reports', '/reports/{reportId}', '/openapi.json']));
  });
});
