import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readArchive, type ArchivedEvent } from '../../functions/archive/archive-reader.ts';
import { archivedEventId, REDACTED_TEXT } from '../../functions/archive/data-classes.ts';
import { groupObjects } from '../../functions/archive/groups.ts';
import { pendingPages, type PendingEvent } from '../../functions/archive/staging.ts';
import { archivedLines, archivedObjects, compactArchive } from '../support/archive.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { openDemoStreams } from '#infra/local/demo/funding';

const report = (description: string) => ({
  category: 'enviro.fly-tipping',
  description,
  occurredAt: '2024-05-14T21:30:00+01:00',
  location: { postcode: 'LE13 0UL', text: 'Behind the garages on Mill Lane' },
  hateMotivated: false,
});

const countBy = (ids: readonly string[]) => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());

describe('integration: the event archive, grouped by day', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.dispose();
  });

  it('writes a day\'s events as one object, free text from the public redacted, and keeps that text whole apart', async () => {
    for (const n of [1, 2, 3]) expect((await stack.request('POST', '/reports', { json: report(`Sofa number ${n} dumped`) })).status).toBe(202);
    await stack.settle();
    const taken = stack.observed.length;
    expect(taken).toBeGreaterThanOrEqual(3);
    // Nothing reaches the bucket until the day is over.
    expect(await archivedObjects(stack)).toEqual([]);
    expect((await compactArchive(stack, new Date())).events).toBe(0);

    const run = await compactArchive(stack);
    expect(run.events).toBe(taken);
    const events = await archivedLines(stack, 'events/');
    expect(new Set(events.map((l) => l.key)).size).toBe(1);
    expect(events.map((l) => l.event.detail.eventId).sort()).toEqual(stack.observed.map((e) => (e.detail as { eventId: string }).eventId).sort());
    const reports = events.filter((l) => l.event['detail-type'] === 'ReportReceived');
    expect(reports).toHaveLength(3);
    for (const { event } of reports) {
      expect(event.detail.description).toBe(REDACTED_TEXT);
      expect(event.detail.location).toEqual({ postcode: 'LE13 0UL', text: REDACTED_TEXT });
    }
    const whole = await archivedLines(stack, 'public-text/');
    expect(whole.map((l) => l.event.detail.description).sort()).toEqual(['Sofa number 1 dumped', 'Sofa number 2 dumped', 'Sofa number 3 dumped']);
    expect(whole.every((l) => l.event.detail.location.text === 'Behind the garages on Mill Lane')).toBe(true);
  });

  it('adds no line for an event delivered again, before or after its day was written', async () => {
    expect((await stack.request('POST', '/reports', { json: report('Fridge on the verge') })).status).toBe(202);
    await stack.settle();
    const archiver = stack.invokers.get('EventArchiver');
    const [sealed] = stack.observed;
    const pending = stack.observed.at(-1);
    expect(archiver && sealed && pending).toBeTruthy();
    // A redelivery of an event already in the bucket, and of one still waiting.
    for (const event of [sealed, pending, pending]) await archiver?.(structuredClone(event));
    await compactArchive(stack);
    await archiver?.(structuredClone(pending));
    expect((await compactArchive(stack)).events).toBe(0);

    const ids = (await archivedLines(stack, 'events/')).map((l) => String(l.event.detail.eventId));
    const counts = countBy(ids);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(new Set(stack.observed.map((e) => (e.detail as { eventId: string }).eventId)).size);
  });

  it('carries the caller\'s correlation id from the HTTP request through every event that follows', async () => {
    const correlationId = 'report-chain-42';
    // Streams are data: finance opens SS5 first (after the first test, whose day's events it
    // counts). Opened directly, not with openTestStreams, which forgets what was observed: the
    // last test compares the whole archive with everything observed.
    await openDemoStreams(stack.endpoints.gateway, await stack.token('finance'));
    await stack.settle();
    const at = '/funding/SS5/2023-24';
    await stack.request('POST', `${at}/allocations`, { role: 'finance', json: { kind: 'provisional', amountPence: 1_000, reference: 'grant' } });
    await stack.settle();
    const spend = await stack.request('POST', `${at}/spends`, {
      role: 'finance',
      json: { project: 'Lights', amountPence: 5_000, reference: 'PO-9', eventId: 'xc1-over' },
      headers: { 'x-correlation-id': correlationId },
    });
    expect(spend.status).toBe(202);
    await stack.settle();
    const spent = stack.observedOf('FundingSpent').find((e) => (e.detail as { eventId: string }).eventId === 'xc1-over');
    expect(spent?.detail).toMatchObject({ correlationId });
    // Published by the ledger's consumer: the same chain, caused by the spend.
    const overspent = stack.observedOf('FundingOverspent').find((e) => (e.detail as { causedBy: string }).causedBy === 'xc1-over');
    expect(overspent?.detail).toMatchObject({ correlationId, causationId: 'xc1-over' });

    // Without one, the chain is named by the gateway's request id.
    await stack.request('POST', '/reports', { json: report('Tyres in the brook') });
    await stack.settle();
    const received = stack.observedOf('ReportReceived').at(-1)?.detail as { correlationId?: string };
    expect(received.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is read back whole in any state: days written, events waiting, a compactor stopped before sealing; each event once', async () => {
    const source = { s3: stack.s3, bucket: stack.endpoints.buckets.archive, documents: DynamoDBDocumentClient.from(stack.dynamodb), table: stack.endpoints.tables.main };
    // Days the compactor wrote and sealed: these events are in the bucket only (whatever ran before this test).
    expect((await stack.request('POST', '/reports', { json: report('Sofa on the verge') })).status).toBe(202);
    await stack.settle();
    expect((await compactArchive(stack)).events).toBeGreaterThan(0);
    expect((await stack.request('POST', '/reports', { json: report('Mattress by the river') })).status).toBe(202);
    await stack.settle();
    // A compactor run that wrote its objects and stopped before sealing: these events are in the bucket and still waiting.
    const waiting: PendingEvent[] = [];
    for await (const page of pendingPages(source.documents, source.table)) waiting.push(...page);
    expect(waiting.length).toBeGreaterThan(0);
    for (const object of groupObjects(waiting)) await stack.s3.send(new PutObjectCommand({ Bucket: source.bucket, Key: object.key, Body: object.body }));
    expect((await stack.request('POST', '/reports', { json: report('Paint tins in the lay-by') })).status).toBe(202);
    await stack.settle();

    const read: ArchivedEvent[] = [];
    for await (const archived of readArchive(source)) read.push(archived);
    const ids = read.map((r) => archivedEventId(r.event));
    expect([...countBy(ids).values()].every((n) => n === 1)).toBe(true);
    expect(new Set(ids)).toEqual(new Set(stack.observed.map((e) => (e.detail as { eventId: string }).eventId)));
    // Free text from the public comes back whole, from the waiting event or from public-text/.
    const descriptions = read.filter((r) => r.event['detail-type'] === 'ReportReceived').map((r) => (r.event.detail as { description: string }).description);
    expect(descriptions).toHaveLength(new Set(stack.observedOf('ReportReceived').map((e) => (e.detail as { eventId: string }).eventId)).size);
    expect(descriptions).not.toContain(REDACTED_TEXT);
    expect(read.some((r) => r.position.startsWith('pending/')) && read.some((r) => r.position.startsWith('events/'))).toBe(true);

    // Resumed after any position, the read gives every event after it, in the same order; the
    // only others are events it gave before (met again in the bucket: delivered twice, harmless).
    for (const at of [read.findIndex((r) => r.position.startsWith('pending/')), read.findIndex((r) => r.position.startsWith('events/')), read.length - 2]) {
      const before = new Set(ids.slice(0, at + 1));
      const rest: string[] = [];
      for await (const archived of readArchive(source, { after: read[at]?.position })) rest.push(archivedEventId(archived.event));
      expect(rest.filter((id) => !before.has(id))).toEqual(ids.slice(at + 1));
    }
    // A position of the old one-object-per-event layout is refused, not taken as a place to resume.
    await expect(readArchive(source, { after: 'events/2026/12/01/s1-e1.json' }).next()).rejects.toThrow(/not a position in the archive/);
  });
});
