import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseAssigned, CaseClosed, CaseOpened, CaseShared, ReportLinked, ReportReferred } from '#events/cases';
import type { DetailOf } from '#events/contract';
import type { Actor } from '#events/envelope';
import { NoticeServed, PatrolLogged, TeamActionRecorded, WarningIssued } from '#events/enforcement';
import { ReportReceived } from '#events/intake';
import { sampleFor } from '#events/samples';
import { tables } from '#infra/resources';
import { localTableName, startDynamo } from '#infra/local/stores';
import { keys } from '#shared/keys';
import type { ContractsOf } from '#shared/wiring';
import type { caseProjector } from '../../functions/cases/capability.ts';
import { buildProjectCaseEvent } from '../../functions/cases/case-projection.ts';
import { buildProjectTriage, type ProjectedEvent } from '../../functions/cases/report-projection.ts';
import { buildMarkReportTriaged, buildSaveReport } from '../../functions/intake/reports-repository.ts';
import { eventOf } from '../support/events.ts';

/**
 * The case projection against the real local DynamoDB: every permutation of a case's events,
 * each delivered one to three times, must leave exactly the state one in-order delivery leaves.
 */
type Applied = { kind: 'case'; event: ProjectedEvent } | { kind: 'report'; detail: DetailOf<typeof ReportReceived> };

function eventsFor(run: string): Applied[] {
  const caseId = `case-${run}`;
  const ev = <C extends ContractsOf<typeof caseProjector>>(contract: C, detail: DetailOf<C>): Applied => ({ kind: 'case', event: eventOf(contract, detail) });
  const officer: Actor = { kind: 'officer', id: 'tenancy-m-evans' };
  return [
    { kind: 'report', detail: { ...sampleFor(ReportReceived), eventId: `rr1-${run}`, reportId: `r1-${run}` } },
    { kind: 'report', detail: { ...sampleFor(ReportReceived), eventId: `rr2-${run}`, reportId: `r2-${run}`, occurredAt: '2024-06-03T08:00:00+01:00' } },
    { kind: 'report', detail: { ...sampleFor(ReportReceived), eventId: `rr3-${run}`, reportId: `r3-${run}` } },
    ev(CaseOpened, {
      ...sampleFor(CaseOpened),
      eventId: `open-${run}`,
      occurredAt: '2024-06-03T09:00:00+01:00',
      actor: officer,
      caseId,
      kind: 'tenancy',
      owner: 'tenancy-services',
      category: 'tenancy.noise',
      riskCategory: 'B',
      referredFrom: 'housing',
      reportIds: [`r1-${run}`],
    }),
    ev(ReportLinked, { ...sampleFor(ReportLinked), eventId: `link-${run}`, occurredAt: '2024-06-04T10:00:00+01:00', caseId, reportId: `r2-${run}` }),
    ev(ReportReferred, { ...sampleFor(ReportReferred), eventId: `ref-${run}`, occurredAt: '2024-06-04T11:00:00+01:00', reportId: `r3-${run}` }),
    ev(CaseShared, { ...sampleFor(CaseShared), eventId: `share-${run}`, occurredAt: '2024-06-05T10:00:00+01:00', caseId, organisation: `Org ${run}` }),
    ev(WarningIssued, { ...sampleFor(WarningIssued), eventId: `cpw-${run}`, occurredAt: '2024-06-05T10:00:00+01:00', caseId }),
    ev(WarningIssued, { ...sampleFor(WarningIssued), eventId: `abc-${run}`, occurredAt: '2024-06-05T10:00:00+01:00', caseId, warningType: 'ABC', complyBy: undefined }),
    ev(NoticeServed, { ...sampleFor(NoticeServed), eventId: `cpn-${run}`, occurredAt: '2024-06-20T10:00:00+01:00', caseId }),
    ev(TeamActionRecorded, { ...sampleFor(TeamActionRecorded), eventId: `visit-${run}`, occurredAt: '2024-06-07T10:00:00+01:00', caseId, actionType: 'visit', contactWith: 'complainant' }),
    ev(TeamActionRecorded, { ...sampleFor(TeamActionRecorded), eventId: `call-${run}`, occurredAt: '2024-06-06T16:00:00+01:00', caseId, actionType: 'call', officerId: 'officer-2', contactWith: 'complainant' }),
    ev(TeamActionRecorded, { ...sampleFor(TeamActionRecorded), eventId: `insp-${run}`, occurredAt: '2024-06-04T08:00:00+01:00', caseId, actionType: 'inspection' }),
    ev(PatrolLogged, { ...sampleFor(PatrolLogged), eventId: `patrol-${run}` }),
    ev(CaseAssigned, { ...sampleFor(CaseAssigned), eventId: `assign1-${run}`, occurredAt: '2024-06-08T10:00:00+01:00', caseId, assignedTo: 'officer-first' }),
    ev(CaseAssigned, { ...sampleFor(CaseAssigned), eventId: `assign2-${run}`, occurredAt: '2024-06-09T10:00:00+01:00', caseId, assignedTo: 'officer-latest' }),
    ev(CaseClosed, { ...sampleFor(CaseClosed), eventId: `close1-${run}`, occurredAt: '2024-07-01T10:00:00+01:00', caseId, outcome: 'First outcome' }),
    ev(CaseClosed, { ...sampleFor(CaseClosed), eventId: `close2-${run}`, occurredAt: '2024-07-02T10:00:00+01:00', caseId, outcome: 'Final outcome' }),
  ];
}

describe('integration: case projection is order-independent and idempotent', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-cases-projection-'));
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let db: DynamoDBDocumentClient;
  const table = localTableName(tables.main);
  let apply: (a: Applied) => Promise<void>;

  beforeAll(async () => {
    dynamo = await startDynamo(stateDir, 0, 'eu-west-2');
    db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: dynamo.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const projectCase = buildProjectCaseEvent(db, table);
    const projectTriage = buildProjectTriage(buildMarkReportTriaged(db, table));
    const saveReport = buildSaveReport(db, table);
    apply = async (a) => {
      if (a.kind === 'report') return saveReport(a.detail);
      await projectTriage(a.event);
      await projectCase(a.event);
    };
  });
  afterAll(async () => {
    db.destroy();
    await dynamo.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** Everything the events wrote, with the run's suffix taken out so two runs compare. */
  async function state(run: string) {
    const caseItems = (await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.case(`case-${run}`).pk } }))).Items ?? [];
    const reports = await Promise.all(
      ['r1', 'r2', 'r3'].map(async (r) => (await db.send(new GetCommand({ TableName: table, Key: keys.report(`${r}-${run}`) }))).Item),
    );
    const share = (await db.send(new GetCommand({ TableName: table, Key: keys.partnerCase(`Org ${run}`, `case-${run}`) }))).Item;
    const text = JSON.stringify({ caseItems, reports, share }, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<string>)].sort() : v));
    return JSON.parse(text.replaceAll(run, 'RUN')) as unknown;
  }

  let reference: unknown;
  beforeAll(async () => {
    for (const a of eventsFor('Qbase')) await apply(a);
    reference = await state('Qbase');
  });

  it('builds the summary a person expects when the events arrive in order', () => {
    const summary = (reference as { caseItems: Record<string, unknown>[] }).caseItems.find((i) => i.sk === 'CASE');
    expect(summary).toMatchObject({
      status: 'closed',
      outcome: 'Final outcome',
      gsi1pk: keys.casesByStatus('closed'),
      gsi1sk: '2024-06-03T08:00:00.000Z#case-RUN',
      reportIds: ['r1-RUN', 'r2-RUN'],
      sharedWith: ['Org RUN'],
      officers: ['officer-2', 'officer-r-okafor', 'officer-j-patel', 'tenancy-m-evans'].sort(),
      firstContactAt: '2024-06-06T15:00:00.000Z',
      firstContactDueBy: '2024-06-06',
      reminderEvents: ['abc-RUN', 'cpn-RUN', 'cpw-RUN'],
      // The latest assignment wins, whatever order they arrive in.
      assignedTo: 'officer-latest',
    });
    const timeline = (reference as { caseItems: { sk: string; eventId: string }[] }).caseItems.filter((i) => i.sk.startsWith('EVENT#'));
    // occurredAt order; events at the same instant (abc, cpw, share) by eventId.
    expect(timeline.map((i) => i.eventId)).toEqual(['open', 'insp', 'link', 'abc', 'cpw', 'share', 'call', 'visit', 'assign1', 'assign2', 'cpn', 'close1', 'close2'].map((e) => `${e}-RUN`));
    const reports = (reference as { reports: Record<string, unknown>[] }).reports;
    expect(reports.map((r) => [r.status, r.gsi1pk, r.caseId, r.referredTo])).toEqual([
      ['triaged', keys.reportsByStatus('triaged'), 'case-RUN', undefined],
      ['triaged', keys.reportsByStatus('triaged'), 'case-RUN', undefined],
      ['referred', keys.reportsByStatus('referred'), undefined, 'Environmental Health (noise team)'],
    ]);
  });

  it('leaves the same state for any arrival order with each event delivered one to three times', async () => {
    let run = 0;
    const count = eventsFor('x').length;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: count, maxLength: count }),
        fc.array(fc.nat(), { minLength: count * 3, maxLength: count * 3 }),
        async (copies, shuffleKeys) => {
          const id = `Qp${(run += 1)}`;
          const events = eventsFor(id);
          const deliveries = events.flatMap((e, i) => Array.from({ length: copies[i] ?? 1 }, () => e));
          const order = deliveries.map((d, i) => ({ d, k: shuffleKeys[i] ?? 0, i })).sort((a, b) => a.k - b.k || a.i - b.i);
          for (const { d } of order) await apply(d);
          expect(await state(id)).toEqual(reference);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('keeps the report out of the queue when the triage decision arrives before the report', async () => {
    const [received, , , opened] = eventsFor('early');
    if (received?.kind !== 'report' || opened?.kind !== 'case') throw new Error('fixture order changed');
    await apply(opened);
    await apply(received);
    const item = (await db.send(new GetCommand({ TableName: table, Key: keys.report('r1-early') }))).Item;
    expect(item).toMatchObject({ status: 'triaged', gsi1pk: keys.reportsByStatus('triaged'), caseId: 'case-early', description: received.detail.description });
  });
});
