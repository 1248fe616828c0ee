import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '#shared/batch-get';
import type { Category } from '#events/intake';
import { retention } from '#shared/retention';
import { keys } from '#shared/keys';
import { queryPage } from '#shared/paged-query';
import type { RequestState } from './listing-query.ts';

/**
 * One item per Open311 request, keyed by its reference (the service_request_id) and indexed on
 * gsi1 by client and UTC month, so `GET requests` reads at most four partitions for its
 * 90-day window. It holds what the answer shows, so a request can be read back at once, before
 * the report is projected; the report's state decides only the status.
 */
export interface StoredRequest {
  readonly reference: string;
  readonly reportId: string;
  readonly client: string;
  readonly serviceCode: Category;
  readonly description: string;
  readonly requestedAt: string;
  readonly address?: string;
  readonly lat?: number;
  readonly long?: number;
  readonly mediaUrl?: string;
}

const month = (iso: string) => iso.slice(0, 7);

export const buildSaveRequest = (db: DynamoDBDocumentClient, tableName: string) => async (request: StoredRequest) => {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.open311Request(request.reference),
        type: 'open311-request',
        ...request,
        gsi1pk: keys.open311RequestsByMonth(request.client, month(request.requestedAt)),
        gsi1sk: `${request.requestedAt}#${request.reference}`,
        expiresAt: Math.floor(Date.parse(request.requestedAt) / 1000) + retention.reportDays * 86400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/** Undoes a save whose report could not be published, so the client's retry starts clean. */
export const buildForgetRequest = (db: DynamoDBDocumentClient, tableName: string) => async (reference: string) => {
  await db.send(new DeleteCommand({ TableName: tableName, Key: keys.open311Request(reference) }));
};

const toStored = (item: Record<string, unknown>): StoredRequest => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, expiresAt: _e, ...stored } = item;
  return stored as unknown as StoredRequest;
};

export const buildGetRequests =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (references: readonly string[]): Promise<StoredRequest[]> =>
    (await batchGet(db, tableName, references.map((r) => keys.open311Request(r)))).map(toStored);

/** One client's requests made between two instants, newest first, at most `limit`. */
export const buildQueryRequests =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (client: string, months: readonly string[], from: Date, to: Date, limit: number): Promise<StoredRequest[]> => {
    const out: StoredRequest[] = [];
    for (const m of months) {
      if (out.length >= limit) break;
      const page = await queryPage(
        db,
        { table: tableName, index: 'gsi1', pk: keys.open311RequestsByMonth(client, m), skBetween: [from.toISOString(), `${to.toISOString()}#\uffff`], descending: true },
        { limit: limit - out.length, readSize: 1000 },
      );
      out.push(...page.items.map(toStored));
    }
    return out;
  };

/**
 * Open311 status from the report's state: closed once the report was referred on, or once
 * the case it joined is closed; open otherwise (also while the report is still being stored).
 * The note says which, in words the public may read (never the case's outcome text), and
 * updated_datetime is when that happened.
 */
export const buildStatusOf =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (reportIds: readonly string[]): Promise<Map<string, RequestState>> => {
    const projection = { expression: 'pk, #status, caseId, referredTo, triagedAt', names: { '#status': 'status' } };
    const ids = [...new Set(reportIds)];
    const reportIdByPk = new Map(ids.map((id) => [keys.report(id).pk, id]));
    const reports = await batchGet(db, tableName, ids.map((id) => keys.report(id)), projection);
    // Matched on the key, so nothing is assumed about the case item's other attributes.
    const caseIds = [...new Set(reports.map((r) => r.caseId).filter((c): c is string => typeof c === 'string' && c.length > 0))];
    const caseIdByPk = new Map(caseIds.map((id) => [keys.case(id).pk, id]));
    const cases = await batchGet(db, tableName, caseIds.map((id) => keys.case(id)), { expression: 'pk, #status, closedAt', names: { '#status': 'status' } });
    const closedAt = new Map(cases.filter((c) => c.status === 'closed').map((c) => [caseIdByPk.get(String(c.pk)), typeof c.closedAt === 'string' ? c.closedAt : undefined]));
    const state = new Map<string, RequestState>(ids.map((id) => [id, { status: 'open', notes: 'Received: waiting for an officer to read it' }]));
    const at = (v: unknown) => (typeof v === 'string' ? { updatedAt: v } : {});
    for (const r of reports) {
      const reportId = reportIdByPk.get(String(r.pk));
      if (reportId === undefined) continue;
      if (r.status === 'referred') {
        state.set(reportId, { status: 'closed', notes: `Passed to ${typeof r.referredTo === 'string' ? r.referredTo : 'another service'}, who deal with this kind of problem`, ...at(r.triagedAt) });
      } else if (typeof r.caseId === 'string' && closedAt.has(r.caseId)) {
        state.set(reportId, { status: 'closed', notes: 'The case was closed', ...at(closedAt.get(r.caseId)) });
      } else if (typeof r.caseId === 'string') {
        state.set(reportId, { status: 'open', notes: 'Being looked into by an officer', ...at(r.triagedAt) });
      }
    }
    return state;
  };
