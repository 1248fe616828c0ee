import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DetailOf } from '#events/contract';
import type { ReportReceived } from '#events/intake';
import { decodeCursor, encodeCursor } from '#shared/cursor';
import { BadRequestError } from '#shared/errors';
import { keys } from '#shared/keys';
import { queryPage } from '#shared/paged-query';

export type ReportDetail = DetailOf<typeof ReportReceived>;
/**
 * untriaged: waiting in the queue; triaged: a case was opened for it or it joined one
 * (`caseId` says which); referred: handed to another service.
 */
export type ReportStatus = 'untriaged' | 'triaged' | 'referred';

export interface ReportView {
  reportId: string;
  reference?: string;
  status: ReportStatus;
  channel: ReportDetail['channel'];
  category: ReportDetail['category'];
  description: string;
  location: ReportDetail['location'];
  hateMotivated: boolean;
  reporter: ReportDetail['reporter'];
  caseId?: string;
  referredTo?: string;
  occurredAt: string;
  /** The reporter did not know exactly when (docs/report-form.md, "When it happened"). */
  occurredAtApproximate?: boolean;
  /** When the report reached the council (the event's time); older items may not have it. */
  receivedAt?: string;
  receivedEventId: string;
}

const reportFields = (d: ReportDetail, receivedAt?: string) => ({
  reportId: d.reportId,
  reference: d.reference,
  channel: d.channel,
  category: d.category,
  description: d.description,
  location: d.location,
  hateMotivated: d.hateMotivated,
  reporter: d.reporter,
  occurredAt: d.occurredAt,
  occurredAtApproximate: d.occurredAtApproximate,
  receivedAt,
  receivedEventId: d.eventId,
});

function setExpression(fields: Record<string, unknown>) {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
  return {
    expression: entries.map(([k]) => `#${k} = :${k}`).join(', '),
    names: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
    values: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
  };
}

/**
 * Stores a received report. Applying the same event twice writes the same item; a triage
 * decision that arrived first is kept (the report stays out of the untriaged queue).
 */
export const buildSaveReport = (db: DynamoDBDocumentClient, tableName: string) => async (detail: ReportDetail, receivedAt?: string) => {
  const key = keys.report(detail.reportId);
  const queued = setExpression({
    ...reportFields(detail, receivedAt),
    type: 'report',
    gsi1pk: keys.reportsByStatus('untriaged'),
    gsi1sk: `${new Date(detail.occurredAt).toISOString()}#${detail.reportId}`,
  });
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${queued.expression}, #status = if_not_exists(#status, :untriaged)`,
        ConditionExpression: 'attribute_not_exists(#status) OR #status = :untriaged',
        ExpressionAttributeNames: { ...queued.names, '#status': 'status' },
        ExpressionAttributeValues: { ...queued.values, ':untriaged': 'untriaged' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const fields = setExpression({ ...reportFields(detail, receivedAt), type: 'report' });
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${fields.expression}`,
        ExpressionAttributeNames: fields.names,
        ExpressionAttributeValues: fields.values,
      }),
    );
  }
};

const toView = (item: Record<string, unknown>): ReportView => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, ...view } = item;
  return view as unknown as ReportView;
};

export const buildGetReport = (db: DynamoDBDocumentClient, tableName: string) => async (reportId: string) => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.report(reportId) }));
  return Item && Item.description !== undefined ? toView(Item) : undefined;
};

export interface Page<T> {
  items: T[];
  next?: string;
}

/**
 * The /reports cursor carries only where a page stopped in its list, the last report's list
 * position (`instant#reportId`, its gsi1sk); the key to start from is rebuilt here from it. So
 * a cursor is never a raw key a caller could aim at another partition or make too long for
 * DynamoDB: anything that is not a position this list could hold is a 400.
 */
const position = /^([0-9T:.+\-Z]{20,35})#([^#]{1,64})$/;

function startOf(status: ReportStatus, cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  const value = decodeCursor(cursor) as { at?: unknown } | null;
  const at = value && typeof value === 'object' && Object.keys(value).length === 1 ? value.at : undefined;
  const match = typeof at === 'string' ? position.exec(at) : null;
  if (!match || !Number.isFinite(Date.parse(match[1] ?? ''))) throw new BadRequestError('the cursor is not one this service gave out');
  return { ...keys.report(match[2] ?? ''), gsi1pk: keys.reportsByStatus(status), gsi1sk: at };
}

/** Reports in one status, oldest first (the triage queue is worked in arrival order), a page at a time. */
export const buildListReports =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (status: ReportStatus, limit: number, cursor?: string): Promise<Page<ReportView>> => {
    const page = await queryPage(db, { table: tableName, index: 'gsi1', pk: keys.reportsByStatus(status) }, { limit, start: startOf(status, cursor) });
    return { items: page.items.map(toView), ...(page.next ? { next: encodeCursor({ at: page.next.gsi1sk }) } : {}) };
  };

/** A triage decision on a report, from CaseOpened or ReportLinked (triaged) or ReportReferred (referred). */
export interface TriageDecision {
  status: Exclude<ReportStatus, 'untriaged'>;
  caseId?: string;
  referredTo?: string;
  /** When the decision was made (UTC ISO instant). */
  decidedAt: string;
  eventId: string;
}

/**
 * Records a triage decision on the report item and moves it from the untriaged queue to the
 * list of its new status (newest decisions sort last). Order-independent: buildSaveReport keeps
 * a decision that arrived before the report, and if two decisions were ever made the earliest
 * (decidedAt, then eventId) wins whatever order they arrive in; re-applying one changes nothing.
 */
export const buildMarkReportTriaged = (db: DynamoDBDocumentClient, tableName: string) => async (reportId: string, decision: TriageDecision) => {
  const key = `${decision.decidedAt}#${decision.eventId}`;
  const set = setExpression({
    status: decision.status,
    gsi1pk: keys.reportsByStatus(decision.status),
    gsi1sk: `${decision.decidedAt}#${reportId}`,
    triageKey: key,
    triagedAt: decision.decidedAt,
    caseId: decision.caseId,
    referredTo: decision.referredTo,
  });
  const remove = decision.caseId === undefined ? 'caseId' : 'referredTo';
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.report(reportId),
        UpdateExpression: `SET ${set.expression} REMOVE #${remove}`,
        ConditionExpression: 'attribute_not_exists(#triageKey) OR #triageKey > :triageKey',
        ExpressionAttributeNames: { ...set.names, [`#${remove}`]: remove },
        ExpressionAttributeValues: set.values,
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};
