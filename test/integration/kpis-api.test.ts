import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventContract } from '#events/contract';
import { FixedPenaltyIssued, TeamActionRecorded, WarningIssued } from '#events/enforcement';
import { createEventPublisher } from '#events/put';
import { sampleFor } from '#events/samples';
import { HousingStockRecorded } from '#events/tenancy';
import { roles, type Role } from '#infra/topology';
import { keys } from '#shared/keys';
import { countEvent, type KpiEvent } from '../../functions/kpis/count-event.ts';
import { buildCounterStore } from '../../functions/kpis/counter-store.ts';
import { buildForgetRequestedExport, buildSaveExportRecord } from '../../functions/kpis/export-store.ts';
import type { KpiReport } from '../../functions/kpis/model.ts';
import {
  committeeYearEvents,
  committeeYears,
  kpiEvent,
  outsideCommitteeYears,
  outsideTenancyYear,
  tenancyQuarters,
  tenancyYearEvents,
  withDuplicates,
} from '../support/kpi-events.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('integration: KPIs through the HTTP API on the local stack', () => {
  let stack: TestStack;
  let eventBridge: EventBridgeClient;
  let bus: ReturnType<typeof createEventPublisher>;
  let dynamo: DynamoDBDocumentClient;
  /** eventIds whose first KpiCounter delivery fails after the handler has run (a crash before the ack). */
  const failAfterCounting = new Set<string>();
  let counterInvocations = 0;
  /** While set, KpiExportWriter waits for it before writing (to see a requested export before its files exist). */
  let holdWriter: Promise<void> | undefined;
  /** Periods (`from`) whose next KpiExportWriter delivery fails before writing, or after writing (a crash before the ack). */
  const failBeforeWriting = new Set<string>();
  const failAfterWriting = new Set<string>();
  let writerInvocations = 0;

  beforeAll(async () => {
    stack = await startTestStack({
      wrapInvoke: (spec, invoke) => {
        if (spec.name === 'KpiExportWriter') {
          return async (event) => {
            writerInvocations += 1;
            await holdWriter;
            const from = (event as { detail?: { from?: string } }).detail?.from ?? '';
            if (failBeforeWriting.delete(from)) throw new Error('injected: the write failed');
            const out = await invoke(event);
            if (failAfterWriting.delete(from)) throw new Error('injected: the function died after writing');
            return out;
          };
        }
        if (spec.name !== 'KpiCounter') return invoke;
        return async (event) => {
          counterInvocations += 1;
          const out = await invoke(event);
          const eventId = (event as { detail?: { eventId?: string } }).detail?.eventId ?? '';
          if (failAfterCounting.delete(eventId)) throw new Error('injected: the function died after counting');
          return out;
        };
      },
    });
    eventBridge = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials });
    bus = createEventPublisher({ client: eventBridge, busName: stack.endpoints.eventBusName });
    dynamo = DynamoDBDocumentClient.from(stack.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  });
  afterAll(async () => {
    eventBridge.destroy();
    await stack.dispose();
  });

  const kpis = async (from: string, to: string, role: Role = 'officer') => {
    await stack.settle();
    const res = await stack.request('GET', `/kpis?from=${from}&to=${to}`, { role });
    expect(res.status).toBe(200);
    return (await res.json()) as KpiReport;
  };
  const publish = async (events: readonly KpiEvent[]) => {
    for (let i = 0; i < events.length; i += 10) {
      await bus.publish(events.slice(i, i + 10).map((e) => ({ contract: contractOf(e), detail: e.detail as never })));
    }
  };
  const contracts = new Map<string, EventContract>();
  const contractOf = (e: KpiEvent) => {
    const found = contracts.get(e.detailType);
    if (!found) throw new Error(`no contract registered for ${e.detailType}`);
    return found;
  };

  it("reproduces the council's enforcement table for both October-September years from shuffled, duplicated events", { timeout: 300_000 }, async () => {
    const events = [...committeeYearEvents(committeeYears[0] as never, 'y22'), ...committeeYearEvents(committeeYears[1] as never, 'y23'), ...outsideCommitteeYears('edge')];
    const deliveries = withDuplicates(events, 20, 20_231_001);
    expect(deliveries.length).toBeGreaterThan(7_300);
    // ~7,800 deliveries straight into the projection against the stack's DynamoDB: the bus
    // would deliver the same, one by one, far slower. The read below goes through GET /kpis.
    const store = buildCounterStore(dynamo, stack.endpoints.tables.main);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < deliveries.length) await countEvent(deliveries[next++] as KpiEvent, store);
      }),
    );

    const report = await kpis('2023-10-01', '2024-09-30', 'finance');
    expect(report.previous).toMatchObject({ from: '2022-10-01', to: '2023-09-30' });
    const table = (k: KpiReport['kpis']) => ({
      closure: k.closure_orders,
      s1: k.s1_injunctions,
      cpw: k.cpw_issued,
      cpn: k.cpn_issued,
      otherNotices: k.other_enforcement_notices,
      interviews: k.interviews_under_caution,
      fpn: k.fpn_issued,
      legal: k.legal_case_files,
      stopSearch: k.stop_search_operations,
      total: k.total_team_actions,
    });
    const published = ({ from: _f, to: _t, ...row }: (typeof committeeYears)[number]) => row;
    expect(table(report.kpis)).toEqual(published(committeeYears[1] as (typeof committeeYears)[number]));
    expect(table(report.previous.kpis)).toEqual(published(committeeYears[0] as (typeof committeeYears)[number]));
    expect(report.kpis).toMatchObject({ cpw_issued: 40, cpn_issued: 18, fpn_issued: 15, interviews_under_caution: 35, total_team_actions: 4364 });
    expect(report.previous.kpis).toMatchObject({ cpw_issued: 58, cpn_issued: 19, fpn_issued: 10, interviews_under_caution: 14, total_team_actions: 2606 });
    expect((report.kpis.total_team_actions ?? 0) - (report.previous.kpis.total_team_actions ?? 0)).toBe(1758);
    expect(report.kpis.other_warnings_and_actions).toBe(14);

    // The nightly seal moves ids aside; the report is the same.
    const sealed = (await stack.invokers.get('KpiCounterSealer')?.({ schedule: 'KpiCounterSeal', from: '2024-09-01', to: '2024-09-30' })) as { sealed: number };
    expect(sealed.sealed).toBeGreaterThan(100);
    expect(await kpis('2023-10-01', '2024-09-30', 'finance')).toEqual(report);
  });

  it("reproduces Tenancy Services' quarter table and NM01 when the cases arrive on the bus, duplicated and across BST midnights", async () => {
    for (const c of [(await import('#events/cases')).CaseOpened, HousingStockRecorded, FixedPenaltyIssued, WarningIssued, TeamActionRecorded]) contracts.set(c.detailType, c);
    const cases = [...tenancyYearEvents('fy23'), ...outsideTenancyYear('fy23')];
    const stock = [
      kpiEvent(HousingStockRecorded, { eventId: 'stock-2023', occurredAt: '2023-04-03T09:00:00+01:00', asOf: '2023-03-31', homes: 3_860 }),
      kpiEvent(HousingStockRecorded, { eventId: 'stock-2024', occurredAt: '2024-04-01T09:00:00+01:00', asOf: '2024-03-31', homes: 3_872 }),
    ];
    await publish(withDuplicates([...cases, ...stock], 5, 42));

    const report = await kpis('2023-04-01', '2024-03-31', 'admin');
    const row = (q: readonly number[]) => ({ Q1: q[0], Q2: q[1], Q3: q[2], Q4: q[3], total: q.reduce((t, n) => t + n, 0) });
    expect(report.kpis.tenancy_cases).toEqual({ A: row(tenancyQuarters.A), B: row(tenancyQuarters.B), C: row(tenancyQuarters.C), total: 106 });
    // 106 cases per 3,872 homes (the stock as at 31 March 2024); 6 of them hate-related.
    expect(report.kpis.nm01_asb_per_1000_homes).toBe(27.38);
    expect(report.kpis.nm01_hate_asb_per_1000_homes).toBe(1.55);
    expect(report.previous.kpis.tenancy_cases.total).toBe(1); // 31 March 2023, 23:30 BST
    expect(report.previous.kpis.nm01_asb_per_1000_homes).toBe(0.26); // 1 case per 3,860 homes, the stock as at 31 March 2023
    expect((await kpis('2023-03-01', '2023-03-30')).kpis.nm01_asb_per_1000_homes).toBeNull(); // no stock on or before 30 March 2023
    expect((await kpis('2024-04-01', '2024-04-30')).kpis.tenancy_cases.A.Q1).toBe(1); // 1 April 2024, 00:30 BST
  });

  it('counts once when a delivery fails after counting and is retried, and again when redelivered past its idempotency record', async () => {
    const event = kpiEvent(FixedPenaltyIssued, { eventId: 'api-crash-fpn', occurredAt: '2025-02-03T10:00:00Z' });
    failAfterCounting.add('api-crash-fpn');
    const before = counterInvocations;
    await publish([event]);
    await stack.settle();
    expect(counterInvocations - before).toBe(2);
    const table = stack.endpoints.tables.idempotency;
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: table, ProjectionExpression: 'id' }));
    for (const item of Items) await dynamo.send(new DeleteCommand({ TableName: table, Key: { id: item.id } }));
    await publish([event, event]);
    const report = await kpis('2025-02-01', '2025-02-28');
    expect(report.kpis.fpn_issued).toBe(1);
    expect(report.kpis.total_team_actions).toBe(1);
  });

  it('dead-letters an event the counters cannot decode or place, with the reason, and moves no counter', async () => {
    const put = (detail: Record<string, unknown>) =>
      eventBridge.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: stack.endpoints.eventBusName, Source: WarningIssued.source, DetailType: WarningIssued.detailType, Detail: JSON.stringify(detail) }],
        }),
      );
    const base = { ...sampleFor(WarningIssued), occurredAt: '2025-03-04T10:00:00Z' };
    expect((await put({ ...base, eventId: 'undecodable-warning', warningType: 'caution' })).FailedEntryCount).toBe(0);
    expect((await put({ ...base, eventId: 'future-warning', schemaVersion: 2 })).FailedEntryCount).toBe(0);
    await stack.settle();
    const letters = stack.bus.deadLetters().filter((l) => l.target === 'KpiEventsToCounters');
    expect(letters.map((l) => (l.event.detail as { eventId: string }).eventId).sort()).toEqual(['future-warning', 'undecodable-warning']);
    expect(letters.find((l) => (l.event.detail as { eventId: string }).eventId === 'future-warning')?.error).toMatch(/cannot apply WarningIssued future-warning: schemaVersion 2 is newer than this consumer knows/);
    expect(letters.find((l) => (l.event.detail as { eventId: string }).eventId === 'undecodable-warning')?.error).toMatch(/warningType/);
    const report = await kpis('2025-03-01', '2025-03-31');
    expect(report.kpis.total_team_actions).toBe(0);
    expect(report.kpis.cpw_issued).toBe(0);
  });

  it.each([
    ['from after to', 'from=2024-05-01&to=2024-04-01', /swap them/],
    ['an impossible date', 'from=2024-02-30&to=2024-03-31', /2024-02-30 is not a date in the calendar/],
    ['over five years', 'from=2019-01-01&to=2024-12-31', /longer than 5 years/],
    ['a missing date', 'from=2024-01-01', /give to as a date written YYYY-MM-DD/],
  ])('answers 400 saying what to change when the range has %s', async (_, query, message) => {
    const res = await stack.request('GET', `/kpis?${query}`, { role: 'officer' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(message);
  });

  type Listed = { exportId: string; from: string; to: string; createdAt: string; status: string; objects: { format: string; href: string }[] };
  const listedExport = async (exportId: string) => {
    const listed = await stack.request('GET', '/kpis/exports', { role: 'finance' });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('no-store');
    const entries = ((await listed.json()) as { exports: Listed[] }).exports.filter((e) => e.exportId === exportId);
    expect(entries.length).toBeLessThanOrEqual(1);
    return entries[0];
  };

  it('takes an export request at once, lists it as requested until KpiExportWriter has written CSV, JSON and HTML, emits KpiExportReady, downloads through the link, and replaces it when exported again', async () => {
    const exportIt = () => stack.request('POST', '/kpis/exports', { role: 'officer', json: { from: '2023-10-01', to: '2024-09-30' } });
    let release = () => {};
    holdWriter = new Promise((resolve) => (release = resolve));
    const first = await exportIt();
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ exportId: '2023-10-01_2024-09-30' });
    // 1. Asked for, not written: listed as requested with no files; its download is a 404 that says so.
    expect(await listedExport('2023-10-01_2024-09-30')).toMatchObject({ from: '2023-10-01', to: '2024-09-30', status: 'requested', objects: [] });
    const early = await stack.request('GET', '/kpis/exports/2023-10-01_2024-09-30/csv', { role: 'finance' });
    expect(early.status).toBe(404);
    expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(/is being prepared/);
    release();
    holdWriter = undefined;
    await stack.settle();
    expect(stack.observedOf('KpiExportRequested').map((e) => e.detail)).toEqual([expect.objectContaining({ from: '2023-10-01', to: '2024-09-30', actor: expect.objectContaining({ kind: 'officer' }) })]);

    // 2. Written by the consumer of KpiExportRequested.
    const ready = stack.observedOf('KpiExportReady').map((e) => e.detail as { period: string; objects: { key: string; format: string; bucket: string }[] });
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({ period: '2023-24-oct-sep', from: '2023-10-01', to: '2024-09-30' });
    // A committee year's export also carries the annual report's figures (kpis-annual.test.ts reads them).
    expect(ready[0]?.objects.map((o) => o.key)).toEqual([
      'kpis/2023-10-01_2024-09-30/kpis.csv',
      'kpis/2023-10-01_2024-09-30/kpis.json',
      'kpis/2023-10-01_2024-09-30/kpis.html',
      'kpis/2023-10-01_2024-09-30/annual-report.html',
    ]);

    const bucket = stack.endpoints.buckets.exports;
    const csv = await (await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kpis/2023-10-01_2024-09-30/kpis.csv' }))).Body?.transformToString('utf-8');
    expect(csv?.startsWith('\uFEFFid,label,value,previous,change\r\n')).toBe(true);
    expect(csv).toContain('\r\ncpw_issued,Community Protection Warnings issued,40,58,-18\r\n');
    expect(csv).toContain('\r\ntotal_team_actions,Total recorded team actions,4364,2606,1758\r\n');
    const json = JSON.parse((await (await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kpis/2023-10-01_2024-09-30/kpis.json' }))).Body?.transformToString()) ?? '{}') as KpiReport & { exportId: string };
    expect(json).toMatchObject({ exportId: '2023-10-01_2024-09-30', period: '2023-24-oct-sep', kpis: { fpn_issued: 15 }, previous: { kpis: { fpn_issued: 10 } } });

    // 3. Exported again: while it is being written, the written one stays listed and downloadable
    //    (a request never puts it back to "being prepared"); then one record, the same four
    //    objects, a second KpiExportReady.
    holdWriter = new Promise((resolve) => (release = resolve));
    expect((await exportIt()).status).toBe(202);
    expect(await listedExport('2023-10-01_2024-09-30')).toMatchObject({ status: 'ready', objects: expect.arrayContaining([expect.objectContaining({ format: 'csv' })]) });
    expect((await stack.request('GET', '/kpis/exports/2023-10-01_2024-09-30/csv', { role: 'finance' })).status).toBe(302);
    release();
    holdWriter = undefined;
    await stack.settle();
    const entry = await listedExport('2023-10-01_2024-09-30');
    expect(entry?.status).toBe('ready');
    expect(entry?.objects).toEqual(
      ['csv', 'json', 'html', 'annual-report'].map((format) => ({ format, href: `/kpis/exports/2023-10-01_2024-09-30/${format}` })),
    );
    // 4. The link redirects to a short-lived presigned GET, never cached, which downloads the file.
    const link = await stack.request('GET', entry?.objects[0]?.href ?? '', { role: 'finance' });
    expect(link.status).toBe(302);
    expect(link.headers.get('cache-control')).toBe('no-store');
    const location = new URL(link.headers.get('location') ?? '');
    expect(location.searchParams.get('X-Amz-Expires')).toBe('60');
    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(await download.text()).toContain('cpw_issued,Community Protection Warnings issued,40,58,-18');
    const { KeyCount } = await stack.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'kpis/2023-10-01_2024-09-30/' }));
    expect(KeyCount).toBe(4);
    expect(stack.observedOf('KpiExportReady')).toHaveLength(2);
  });

  it.each([
    ['an export that does not exist', '/kpis/exports/2020-01-01_2020-01-31/csv', /there is no KPI export 2020-01-01_2020-01-31/],
    ['an id that is not one', '/kpis/exports/not-an-export/csv', /there is no KPI export not-an-export/],
    ['a format the export does not have', '/kpis/exports/2023-10-01_2024-09-30/xlsx', /has no xlsx file: it has csv, json, html, annual-report/],
  ])('answers a download of %s with a JSON 404 that says why', async (_, path, message) => {
    const res = await stack.request('GET', path, { role: 'officer' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toMatch(message);
  });

  it('retries a requested export whose write failed, and applies a redelivered request once', async () => {
    // August 2024: the first delivery fails before writing; the bus retries it (Lambda's async retries).
    failBeforeWriting.add('2024-08-01');
    const invocationsBefore = writerInvocations;
    expect((await stack.request('POST', '/kpis/exports', { role: 'admin', json: { from: '2024-08-01', to: '2024-08-31' } })).status).toBe(202);
    await stack.settle();
    expect(failBeforeWriting.size).toBe(0);
    expect(writerInvocations - invocationsBefore).toBe(2);
    expect(stack.observedOf('KpiExportReady').filter((e) => (e.detail as { period: string }).period === '2024-08')).toHaveLength(1);
    expect(await listedExport('2024-08-01_2024-08-31')).toMatchObject({ status: 'ready', objects: [expect.objectContaining({ format: 'csv' }), expect.anything(), expect.anything()] });
    expect(stack.bus.deadLetters().filter((d) => d.event['detail-type'] === 'KpiExportRequested')).toEqual([]);

    // July 2024: the function dies after writing and putting KpiExportReady; the retry is the same eventId, applied once.
    failAfterWriting.add('2024-07-01');
    expect((await stack.request('POST', '/kpis/exports', { role: 'admin', json: { from: '2024-07-01', to: '2024-07-31' } })).status).toBe(202);
    await stack.settle();
    expect(failAfterWriting.size).toBe(0);
    expect(stack.observedOf('KpiExportReady').filter((e) => (e.detail as { period: string }).period === '2024-07')).toHaveLength(1);
    expect(await listedExport('2024-07-01_2024-07-31')).toMatchObject({ status: 'ready' });
  });

  it('answers 500 and lists nothing when the request cannot be put on the bus; asked again, it is prepared', async () => {
    const september = { from: '2024-09-01', to: '2024-09-30' };
    const bus = mockClient(EventBridgeClient);
    bus.on(PutEventsCommand).rejects(new Error('injected: EventBridge is unavailable'));
    let refused: Response;
    try {
      refused = await stack.request('POST', '/kpis/exports', { role: 'admin', json: september });
    } finally {
      bus.restore();
    }
    expect(refused.status).toBe(500);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/try again/);
    // Nothing will write it, so it is not listed as being prepared.
    expect(await listedExport('2024-09-01_2024-09-30')).toBeUndefined();
    expect((await stack.request('POST', '/kpis/exports', { role: 'admin', json: september })).status).toBe(202);
    await stack.settle();
    expect(await listedExport('2024-09-01_2024-09-30')).toMatchObject({ status: 'ready' });
  });

  it('takes back only the requested record its own request saved', async () => {
    const table = stack.endpoints.tables.main;
    const save = buildSaveExportRecord(dynamo, table);
    const forget = buildForgetRequestedExport(dynamo, table);
    const record = { exportId: '2019-04-01_2019-04-30', period: '2019-04', from: '2019-04-01', to: '2019-04-30', createdAt: '2026-12-02T10:00:00.000Z', status: 'requested' as const, objects: [] };
    const key = keys.kpiExport('2019-04-01', '2019-04-30');
    const stored = async () => (await dynamo.send(new GetCommand({ TableName: table, Key: key }))).Item;
    await save(record);
    // A later request for the period saved its own: the earlier one's failure leaves it.
    await save({ ...record, createdAt: '2026-12-02T10:00:05.000Z' });
    await forget(record);
    expect(await stored()).toMatchObject({ status: 'requested', createdAt: '2026-12-02T10:00:05.000Z' });
    // Written since: it stays.
    await save({ ...record, createdAt: '2026-12-02T10:00:05.000Z', status: 'ready', objects: [{ format: 'csv', bucket: 'b', key: 'k' }] });
    await forget({ ...record, createdAt: '2026-12-02T10:00:05.000Z' });
    expect(await stored()).toMatchObject({ status: 'ready' });
    // Still its own: gone.
    await dynamo.send(new DeleteCommand({ TableName: table, Key: key }));
    await save(record);
    await forget(record);
    expect(await stored()).toBeUndefined();
  });

  it('runs the scheduled exports for the period just ended, newest first in the list', async () => {
    const job = stack.invokers.get('KpiScheduledExports');
    expect(job).toBeDefined();
    await job?.({ schedule: 'KpiQuarterlyExport', scheduledTime: '2024-04-01T05:15:00Z' });
    await job?.({ schedule: 'KpiMonthlyExport', scheduledTime: '2024-10-01T05:00:00Z' });
    await stack.settle();
    const res = await stack.request('GET', '/kpis/exports?limit=2', { role: 'admin' });
    const body = (await res.json()) as { exports: { exportId: string }[]; next?: string };
    expect(body.exports.map((e) => e.exportId)).toEqual(['2024-09-01_2024-09-30', '2024-01-01_2024-03-31']);
    expect(body.next).toEqual(expect.any(String));
    const rest = (await (await stack.request('GET', `/kpis/exports?cursor=${body.next}`, { role: 'admin' })).json()) as { exports: { exportId: string }[] };
    expect(rest.exports.map((e) => e.exportId)).toContain('2023-10-01_2024-09-30');
    expect(stack.observedOf('KpiExportReady').map((e) => (e.detail as { period: string }).period)).toEqual(expect.arrayContaining(['2023-24-Q4', '2024-09']));
  });

  describe('who may use the KPI routes', () => {
    const routes = [
      { method: 'GET', path: '/kpis?from=2024-04-01&to=2024-04-30', allowed: ['officer', 'finance', 'admin'], ok: 200 },
      { method: 'GET', path: '/kpis/exports', allowed: ['officer', 'finance', 'admin'], ok: 200 },
      { method: 'POST', path: '/kpis/exports', allowed: ['officer', 'admin'], ok: 202 },
      { method: 'GET', path: '/kpis/exports/2023-10-01_2024-09-30/csv', allowed: ['officer', 'finance', 'admin'], ok: 302 },
    ] as const;
    for (const route of routes) {
      it(`${route.method} ${route.path.split('?')[0]}: ${route.ok} for ${route.allowed.join(', ')}; 403 for every other role; 401 without a token`, async () => {
        const call = (role?: Role) => stack.request(route.method, route.path, { ...(role ? { role } : {}), ...(route.method === 'POST' ? { json: { from: '2024-04-01', to: '2024-04-30' } } : {}) });
        expect((await call()).status).toBe(401);
        for (const role of roles) {
          const res = await call(role);
          expect(res.status, role).toBe((route.allowed as readonly Role[]).includes(role) ? route.ok : 403);
          if (res.status === 403) expect(JSON.stringify(await res.json())).not.toMatch(/kpis|export|cpw/i);
        }
      });
    }
  });
});
