import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventContract } from '#events/contract';
import { CaseClosed, CaseOpened } from '#events/cases';
import { WarningIssued } from '#events/enforcement';
import { FundingSpent } from '#events/funding';
import { ReportReceived } from '#events/intake';
import { sampleFor } from '#events/samples';
import { eventConsumer } from '#shared/consumer';
import { ConflictingEventError } from '#shared/event-errors';
import { keys } from '#shared/keys';
import { metrics } from '#shared/powertools';
import { declareFunction } from '#shared/wiring';
import { londonDateOf } from '#shared/london-time';
import { buildCounterStore } from '../../functions/kpis/counter-store.ts';
import { countersFor } from '../../functions/kpis/counters.ts';
import { dynamoFlyTipStore } from '../../functions/fly-tipping/store.ts';
import { buildSubjectActions } from '../../functions/enforcement/subject-index.ts';
import { buildSearchIndex, termsOf } from '../../functions/officer-home/search.ts';
import { openTestStreams } from '../support/funding-streams.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * The consumers declared `idempotency: 'own-writes'` (docs/architecture.md, "Idempotent
 * consumers"): no Powertools record, one claim write per delivery. Against the whole local
 * stack (dynalite, the local bus, the functions as the topology wires them), each one:
 * - applies an event once however often a producer sends it, the retry an hour later with
 *   another envelope and another bus time (the first time is the one kept);
 * - refuses the same eventId with other content, on the first's entity or another one: it is
 *   dead-lettered with the reason and nothing of it is applied;
 * - gives the same result when an old event is delivered again after a later one.
 */
describe('integration: consumers idempotent by their own writes', () => {
  let stack: TestStack;
  let bus: EventBridgeClient;
  let db: DynamoDBDocumentClient;
  const table = () => stack.endpoints.tables.main;

  const put = async (contract: EventContract, detail: Record<string, unknown>, time: string) => {
    const out = await bus.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: stack.endpoints.eventBusName, Source: contract.source, DetailType: contract.detailType, Detail: JSON.stringify(detail), Time: new Date(time) }],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
  };
  /** The event, settled; then a producer's retry of it and a conflict (the same eventId, other content), settled. */
  const firstRetryConflict = async (contract: EventContract, detail: Record<string, unknown>, conflict: Record<string, unknown>, times: [string, string, string]) => {
    await put(contract, detail, times[0]);
    await stack.settle();
    await put(contract, detail, times[1]);
    await put(contract, conflict, times[2]);
    await stack.settle();
  };
  const lettersFor = (rule: string, eventId: string) =>
    stack.bus.deadLetters().filter((l) => l.target === rule && (l.event.detail as { eventId?: string }).eventId === eventId);
  const claimsOf = async (eventId: string) => {
    const { Items = [] } = await db.send(new ScanCommand({ TableName: stack.endpoints.tables.idempotency }));
    return Items.filter((i) => String(i.id).endsWith(`#event#${eventId}`));
  };

  // A fly-tipping report from a reporter who gave contact details: ReportProjector, StatusProjector,
  // CaseReviewProjector, FlyTipProjector and the SearchIndexer all take it.
  const first = { ...sampleFor(ReportReceived), eventId: 'evt-own-1', reportId: 'rpt-own-1', reference: 'SC-24-90001', reporter: { anonymous: false, contactRef: 'contact_own_1' } };
  const firstTime = '2024-05-14T08:31:00Z';
  const retryTime = '2024-05-14T09:45:00Z';
  // The same eventId with other content: on the same report, and on another report.
  const sameReportConflict = { ...first, description: 'Something else entirely', flyTip: { landType: 'railway', wasteType: 'black-bags-household' } };
  const otherReportConflict = { ...first, reportId: 'rpt-own-2', reference: 'SC-24-90002', reporter: { anonymous: false, contactRef: 'contact_own_2' } };
  const rules = ['ReportReceivedToProjector', 'ReportProgressToStatus', 'CaseReviewEventsToProjector', 'FlyTipEventsToProjector', 'ReportReceivedToSearchIndex'];

  beforeAll(async () => {
    stack = await startTestStack();
    const client = { region: stack.endpoints.region, credentials: stack.endpoints.credentials };
    bus = new EventBridgeClient({ ...client, endpoint: stack.endpoints.eventbridge });
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...client, endpoint: stack.endpoints.dynamodb }));
    await put(ReportReceived, first, firstTime);
    await stack.settle();
    await put(ReportReceived, first, retryTime);
    await put(ReportReceived, first, retryTime);
    await stack.settle();
    await put(ReportReceived, sameReportConflict, retryTime);
    await put(ReportReceived, otherReportConflict, retryTime);
    await stack.settle();
  });
  afterAll(async () => {
    bus.destroy();
    db.destroy();
    await stack.dispose();
  });

  it('keeps one claim per consumer, with the first delivery time, and no Powertools record', async () => {
    const claims = await claimsOf(first.eventId);
    const functions = claims.map((c) => String(c.id).split('#')[0]).sort();
    expect(functions).toEqual(['CaseReviewProjector', 'FlyTipProjector', 'ReportProjector', 'SearchIndexer', 'StatusProjector']);
    for (const claim of claims) expect(claim.time).toBe(firstTime);
    // Powertools' keys are `<function>#<hash>`: none of the report's consumers keeps one.
    const { Items = [] } = await db.send(new ScanCommand({ TableName: stack.endpoints.tables.idempotency }));
    expect(Items.map((i) => String(i.id)).filter((id) => !id.includes('#event#'))).toEqual([]);
  });

  it('dead-letters both conflicts in every one of these consumers, saying why', () => {
    for (const rule of rules) {
      const letters = lettersFor(rule, first.eventId);
      expect(letters, rule).toHaveLength(2);
      for (const letter of letters) expect(letter.error, rule).toMatch(/same eventId as one already applied but different content/);
      expect(letters.map((l) => (l.event.detail as { reportId: string }).reportId).sort(), rule).toEqual(['rpt-own-1', 'rpt-own-2']);
      expect(letters.map((l) => (l.event.detail as { description: string }).description), rule).toContain('Something else entirely');
    }
  });

  it('ReportProjector: the report once, as first received; the conflicts neither overwrite it nor add a report', async () => {
    const report = (await (await stack.request('GET', `/reports/${first.reportId}`, { role: 'officer' })).json()) as Record<string, unknown>;
    expect(report).toMatchObject({ reportId: first.reportId, description: first.description, receivedAt: firstTime, status: 'untriaged', receivedEventId: first.eventId });
    const queue = (await (await stack.request('GET', '/reports?status=untriaged&limit=100', { role: 'officer' })).json()) as { items: { reportId: string }[] };
    expect(queue.items.filter((r) => r.reportId.startsWith('rpt-own-')).map((r) => r.reportId)).toEqual([first.reportId]);
    expect((await stack.request('GET', `/reports/${otherReportConflict.reportId}`, { role: 'officer' })).status).toBe(404);
  });

  it('StatusProjector: one received step at the first time; the reference is the first report\'s', async () => {
    const { Items = [] } = await db.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.statusReportEntries(first.reportId) } }));
    expect(Items.map((i) => i.step)).toEqual([expect.objectContaining({ kind: 'received', eventId: first.eventId, at: '2024-05-14T08:31:00.000Z', reference: first.reference })]);
    const { Item } = await db.send(new GetCommand({ TableName: table(), Key: keys.statusReference(first.reference) }));
    expect(Item?.reportId).toBe(first.reportId);
    expect((await db.send(new GetCommand({ TableName: table(), Key: keys.statusReference(otherReportConflict.reference) }))).Item).toBeUndefined();
    const other = await db.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.statusReportEntries(otherReportConflict.reportId) } }));
    expect(other.Items).toEqual([]);
  });

  it('CaseReviewProjector: one held report under the reporter, received at the first time (its key holds that time)', async () => {
    const reporter = async (contactRef: string) =>
      (await db.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.caseReviewReporterReports(contactRef) } }))).Items ?? [];
    const held = await reporter('contact_own_1');
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ reportId: first.reportId, reportedOn: londonDateOf(firstTime), sk: `REPORT#2024-05-14T08:31:00.000Z#${first.reportId}` });
    expect(await reporter('contact_own_2')).toEqual([]);
    expect((await db.send(new GetCommand({ TableName: table(), Key: keys.caseReviewReportByReference(otherReportConflict.reference) }))).Item).toBeUndefined();
  });

  it('FlyTipProjector: the incident with the first report\'s details; none for the conflict', async () => {
    const store = dynamoFlyTipStore(db, table());
    const incident = await store.incident(first.reportId);
    expect(incident?.public).toEqual(first.flyTip);
    expect(await store.incident(otherReportConflict.reportId)).toBeUndefined();
  });

  /** The search items of a report's terms (one per term), read by key. */
  const searchItems = async (report: typeof first) =>
    Promise.all(termsOf(report).map(async (term) => (await db.send(new GetCommand({ TableName: table(), Key: keys.searchReport(term, report.reportId) }))).Item));

  it('SearchIndexer: the report\'s terms indexed once, at the first time (a retry does not move it); none for the conflict', async () => {
    const items = await searchItems(first);
    expect(items).toHaveLength(3);
    for (const item of items) expect(item).toMatchObject({ reportId: first.reportId, reference: first.reference, receivedAt: firstTime });
    expect(await buildSearchIndex(db, table()).find([`ref:${first.reference}`])).toEqual([{ reportId: first.reportId, reference: first.reference, receivedAt: firstTime }]);
    expect(await searchItems(otherReportConflict)).toEqual([undefined, undefined, undefined]);
    expect(await buildSearchIndex(db, table()).find([`ref:${otherReportConflict.reference}`])).toEqual([]);
  });

  it('re-applies an old report after the case that triaged it, and the report stays triaged', async () => {
    const opened = { ...sampleFor(CaseOpened), eventId: 'evt-own-case', caseId: 'case-own-1', reportIds: [first.reportId] };
    await put(CaseOpened, opened, '2024-05-14T10:02:00Z');
    await stack.settle();
    await put(ReportReceived, first, '2024-05-14T11:00:00Z');
    await stack.settle();
    const report = (await (await stack.request('GET', `/reports/${first.reportId}`, { role: 'officer' })).json()) as Record<string, unknown>;
    expect(report).toMatchObject({ status: 'triaged', caseId: 'case-own-1', receivedAt: firstTime });
    const queue = (await (await stack.request('GET', '/reports?status=untriaged&limit=100', { role: 'officer' })).json()) as { items: { reportId: string }[] };
    expect(queue.items.map((r) => r.reportId)).not.toContain(first.reportId);
    const { Items = [] } = await db.send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.statusReportEntries(first.reportId) } }));
    expect(Items.map((i) => (i.step as { kind: string }).kind).sort()).toEqual(['case', 'received']);
    for (const item of await searchItems(first)) expect(item?.receivedAt).toBe(firstTime);
  });

  it('KpiCounter: a case opened counted once however often it is sent; a conflict on another day is not counted', async () => {
    const opened = { ...sampleFor(CaseOpened), eventId: 'evt-own-kpi', caseId: 'case-own-kpi', occurredAt: '2024-06-03T10:00:00+01:00', reportIds: [] as string[] };
    const conflict = { ...opened, occurredAt: '2024-06-05T10:00:00+01:00' };
    await firstRetryConflict(CaseOpened, opened, conflict, ['2024-06-03T09:00:01Z', '2024-06-03T10:30:00Z', '2024-06-05T09:00:01Z']);
    const days = await buildCounterStore(db, table()).readDays({ from: '2024-06-01', to: '2024-06-30' });
    const { day, deltas } = countersFor({ source: CaseOpened.source, detailType: 'CaseOpened', detail: CaseOpened.detail.parse(opened) });
    expect(days.map((d) => d.day)).toEqual([day]);
    expect(days[0]?.counters).toEqual(deltas);
    const letters = lettersFor('KpiEventsToCounters', opened.eventId);
    expect(letters).toHaveLength(1);
    expect(letters[0]?.error).toMatch(/same eventId/);
  });

  it('SubjectIndexer: a warning indexed once under its subject; a conflict naming another subject is not indexed', async () => {
    const warning = { ...sampleFor(WarningIssued), eventId: 'evt-own-warning', caseId: 'case-own-w', subjectRef: 'subject_own_1' };
    const conflict = { ...warning, subjectRef: 'subject_own_2' };
    await firstRetryConflict(WarningIssued, warning, conflict, ['2024-06-03T09:00:01Z', '2024-06-03T10:30:00Z', '2024-06-03T10:31:00Z']);
    const actions = buildSubjectActions(db, table());
    expect((await actions('subject_own_1')).map((a) => a.eventId)).toEqual([warning.eventId]);
    expect(await actions('subject_own_2')).toEqual([]);
    const letters = lettersFor('EnforcementToSubjectIndex', warning.eventId);
    expect(letters).toHaveLength(1);
    expect((letters[0]?.event.detail as { subjectRef: string }).subjectRef).toBe('subject_own_2');
  });

  it('CaseProjector: a case opened once however often it is sent, closed whatever the order; a conflict naming another case opens none', async () => {
    const opened = { ...sampleFor(CaseOpened), eventId: 'evt-own-open', caseId: 'case-own-c1', reportIds: [] as string[] };
    const conflict = { ...opened, caseId: 'case-own-c2' };
    await firstRetryConflict(CaseOpened, opened, conflict, ['2024-05-14T10:02:01Z', '2024-05-14T11:00:00Z', '2024-05-14T11:01:00Z']);
    // A close, then the opening again: the case stays closed, its timeline has each event once.
    await put(CaseClosed, { ...sampleFor(CaseClosed), eventId: 'evt-own-close', caseId: opened.caseId }, '2024-06-28T15:45:01Z');
    await stack.settle();
    await put(CaseOpened, opened, '2024-06-28T16:00:00Z');
    await stack.settle();
    const res = await stack.request('GET', `/cases/${opened.caseId}`, { role: 'officer' });
    expect(res.status).toBe(200);
    const found = (await res.json()) as { status: string; timeline: { eventId: string }[] };
    expect(found.status).toBe('closed');
    expect(found.timeline.map((e) => e.eventId)).toEqual([opened.eventId, 'evt-own-close']);
    expect((await stack.request('GET', `/cases/${conflict.caseId}`, { role: 'officer' })).status).toBe(404);
    const letters = lettersFor('CaseEventsToCaseProjector', opened.eventId);
    expect(letters).toHaveLength(1);
    expect((letters[0]?.event.detail as { caseId: string }).caseId).toBe(conflict.caseId);
  });

  it('FundingLedger: a spend once however often it is sent; a conflict naming another year is not applied there', async () => {
    await openTestStreams(stack);
    const spend = { ...sampleFor(FundingSpent), eventId: 'evt-own-spend', amountPence: 1234, financialYear: '2024-25' };
    const conflict = { ...spend, financialYear: '2023-24' };
    await firstRetryConflict(FundingSpent, spend, conflict, ['2024-05-02T13:00:01Z', '2024-05-02T14:30:00Z', '2024-05-02T14:31:00Z']);
    const ledger = async (year: string) => (await (await stack.request('GET', `/funding/CSP/${year}`, { role: 'finance' })).json()) as { spentPence: number; lines?: { eventId: string }[] };
    const year = await ledger('2024-25');
    expect(year.spentPence).toBe(1234);
    expect((year.lines ?? []).filter((l) => l.eventId === spend.eventId)).toHaveLength(1);
    const before = await ledger('2023-24');
    expect(before.spentPence).toBe(0);
    expect((before.lines ?? []).map((l) => l.eventId)).not.toContain(spend.eventId);
    const letters = lettersFor('FundingEventsToLedger', spend.eventId);
    expect(letters).toHaveLength(1);
    expect((letters[0]?.event.detail as { financialYear: string }).financialYear).toBe('2023-24');
  });

  it('counts a conflict in EventIdConflicts and throws it for the dead-letter queue, before the handler runs; a redelivery is handled with the first time', async () => {
    const added = vi.spyOn(metrics, 'addMetric');
    const handled: string[] = [];
    const declaration = declareFunction({ name: 'OwnWritesProbe', entry: 'test', description: 'test consumer', subscription: { rule: 'OwnWritesProbe', contracts: [ReportReceived] } });
    const consumer = eventConsumer(declaration, async (e) => void handled.push(`${e.detail.description} at ${e.time}`), { idempotency: 'own-writes' });
    const context = { functionName: 'OwnWritesProbe', getRemainingTimeInMillis: () => 30_000, awsRequestId: 'probe' } as unknown as Context;
    const envelope = (detail: Record<string, unknown>, id: string, time: string) => ({
      version: '0', id, 'detail-type': ReportReceived.detailType, source: ReportReceived.source, account: '000000000000', time, region: 'eu-west-2', resources: [], detail,
    });
    const detail = { ...first, eventId: 'evt-own-probe' };
    try {
      await consumer(envelope(detail, 'env-1', '2024-05-14T08:31:00Z'), context);
      await consumer(envelope(detail, 'env-2', '2024-05-14T09:00:00Z'), context);
      await expect(consumer(envelope({ ...detail, description: 'Other words' }, 'env-3', '2024-05-14T09:01:00Z'), context)).rejects.toThrow(ConflictingEventError);
      expect(handled).toEqual([`${first.description} at 2024-05-14T08:31:00Z`, `${first.description} at 2024-05-14T08:31:00Z`]);
      const counted = added.mock.calls.map(([name]) => name);
      expect(counted.filter((n) => n === 'EventIdConflicts')).toHaveLength(1);
      expect(counted.filter((n) => n === 'EventsReapplied')).toHaveLength(1);
      expect(counted.filter((n) => n === 'EventsApplied')).toHaveLength(2);
    } finally {
      added.mockRestore();
    }
  });
});
