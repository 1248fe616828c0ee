/**
 * The fly-tipping facts in the main table. Every write is keyed by what the fact is about, so
 * a second delivery writes the same thing again:
 * - an incident, in the partition of its quarter (`keys.flyTipIncident`), with the reporter's
 *   answers and the latest officer record (a conditional write keeps the later one);
 * - a lookup from the report to its quarter (`keys.flyTipReport`);
 * - the reports of each case (`keys.flyTipCase`, a string set: adding one twice is adding it once);
 * - each counted action, in the partition of the quarter it was taken (`keys.flyTipAction`).
 * A quarter's return reads two partitions and batch-gets the cases and reports they name.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '#shared/batch-get';
import { keys } from '#shared/keys';
import { queryPage } from '#shared/paged-query';
import type { Fact, OfficerRecord, WdfAction } from './facts.ts';
import type { ActionRecord, FlyTipStore, IncidentRecord } from './returns.ts';

const toIncident = (item: Record<string, unknown>): IncidentRecord => ({
  reportId: item.reportId as string,
  reportedAt: item.reportedAt as string,
  ...(typeof item.reference === 'string' ? { reference: item.reference } : {}),
  ...(item.public ? { public: item.public as IncidentRecord['public'] & object } : {}),
  ...(item.officer ? { officer: item.officer as OfficerRecord } : {}),
});

export function dynamoFlyTipStore(db: DynamoDBDocumentClient, table: string): FlyTipStore {
  async function applyIncident(fact: Extract<Fact, { kind: 'public' | 'officer' }>): Promise<void> {
    const base: Record<string, string> = { '#type': 'type', '#reportId': 'reportId', '#quarter': 'quarter', '#reportedAt': 'reportedAt' };
    const values: Record<string, unknown> = { ':type': 'fly-tip-incident', ':reportId': fact.reportId, ':quarter': fact.quarter, ':reportedAt': fact.reportedAt };
    let set = '#type = :type, #reportId = :reportId, #quarter = :quarter, #reportedAt = :reportedAt';
    if (fact.reference) {
      Object.assign(base, { '#reference': 'reference' });
      Object.assign(values, { ':reference': fact.reference });
      set += ', #reference = if_not_exists(#reference, :reference)';
    }
    try {
      await db.send(
        new UpdateCommand(
          fact.kind === 'public'
            ? {
                TableName: table,
                Key: keys.flyTipIncident(fact.quarter, fact.reportId),
                UpdateExpression: `SET ${set}, #public = :details`,
                ExpressionAttributeNames: { ...base, '#public': 'public' },
                ExpressionAttributeValues: { ...values, ':details': fact.details },
              }
            : {
                TableName: table,
                Key: keys.flyTipIncident(fact.quarter, fact.reportId),
                UpdateExpression: `SET ${set}, #officer = :record`,
                // The later officer record wins, whichever arrives first.
                ConditionExpression: 'attribute_not_exists(#officer) OR #officer.#key < :key',
                ExpressionAttributeNames: { ...base, '#officer': 'officer', '#key': 'key' },
                ExpressionAttributeValues: { ...values, ':record': fact.record, ':key': fact.record.key },
              },
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    await db.send(new PutCommand({ TableName: table, Item: { ...keys.flyTipReport(fact.reportId), type: 'fly-tip-report', reportId: fact.reportId, quarter: fact.quarter } }));
  }

  async function readPartition(pk: string) {
    return (await queryPage(db, { table, pk })).items;
  }

  return {
    apply: async (fact) => {
      if (fact.kind === 'public' || fact.kind === 'officer') return applyIncident(fact);
      if (fact.kind === 'case-reports') {
        if (fact.reportIds.length === 0) return;
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.flyTipCase(fact.caseId),
            UpdateExpression: 'SET #type = :type, #caseId = :caseId ADD #reportIds :reportIds',
            ExpressionAttributeNames: { '#type': 'type', '#caseId': 'caseId', '#reportIds': 'reportIds' },
            ExpressionAttributeValues: { ':type': 'fly-tip-case', ':caseId': fact.caseId, ':reportIds': new Set(fact.reportIds) },
          }),
        );
        return;
      }
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...keys.flyTipAction(fact.quarter, fact.eventId), type: 'fly-tip-action', eventId: fact.eventId, caseId: fact.caseId, action: fact.action },
        }),
      );
    },

    incidents: async (quarter) => (await readPartition(keys.flyTipIncidents(quarter))).map(toIncident),

    actions: async (quarter): Promise<ActionRecord[]> =>
      (await readPartition(keys.flyTipActions(quarter))).map((i) => ({ eventId: i.eventId as string, caseId: i.caseId as string, action: i.action as WdfAction })),

    caseReports: async (caseIds) => {
      const items = await batchGet(db, table, caseIds.map((c) => keys.flyTipCase(c)));
      return new Map(items.map((i) => [i.caseId as string, [...((i.reportIds as Set<string> | undefined) ?? [])]]));
    },

    incidentReports: async (reportIds) => {
      const items = await batchGet(db, table, reportIds.map((r) => keys.flyTipReport(r)));
      return new Set(items.map((i) => i.reportId as string));
    },

    incident: async (reportId) => {
      const { Item: lookup } = await db.send(new GetCommand({ TableName: table, Key: keys.flyTipReport(reportId) }));
      if (typeof lookup?.quarter !== 'string') return undefined;
      const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.flyTipIncident(lookup.quarter, reportId) }));
      return Item ? toIncident(Item) : undefined;
    },
  };
}
