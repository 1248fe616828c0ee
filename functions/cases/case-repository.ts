import { BatchGetCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import { queryAll, queryPage, type Item, type Key } from '#shared/paged-query';
import type { CaseItem, CaseStatus, TimelineEntry } from './case-model.ts';

/** A case as stored: its summary item (if projected yet) and its timeline, in occurredAt order. */
export interface StoredCase {
  summary?: CaseItem;
  timeline: TimelineEntry[];
}

/**
 * An event as a stored timeline item (the case timeline, the subject index): its envelope and
 * type at the top, its own fields under `fields`; {@link timelineEntryOf} reads it back.
 */
export function storedEventOf(e: { source: string; detailType: string; detail: { eventId: string; occurredAt: string; schemaVersion: number; actor: unknown } }) {
  const { eventId, occurredAt, schemaVersion, actor, ...fields } = e.detail;
  return { eventId, occurredAt, schemaVersion, actor, source: e.source, detailType: e.detailType, fields };
}

export const timelineEntryOf = (item: Item): TimelineEntry => ({
  eventId: item.eventId as string,
  occurredAt: item.occurredAt as string,
  source: item.source as string,
  detailType: item.detailType as string,
  actor: item.actor as TimelineEntry['actor'],
  ...(item.fields as Item),
});

/** One query reads the summary and the whole timeline (the summary's sk 'CASE' sorts before 'EVENT#…'). */
export const buildLoadCase =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (caseId: string): Promise<StoredCase> => {
    const items = await queryAll(db, { table: tableName, pk: keys.case(caseId).pk });
    const summary = items.find((i) => i.sk === keys.case(caseId).sk);
    const timeline = items.filter((i) => typeof i.sk === 'string' && i.sk.startsWith('EVENT#')).map(timelineEntryOf);
    return { ...(summary ? { summary } : {}), timeline };
  };

export interface CasePage {
  items: CaseItem[];
  /** Where the next page starts: the status partition and the last key read. */
  next?: { status: CaseStatus; key?: Key };
}

/**
 * Case summaries in one status partition, newest first, read a page at a time and kept when
 * `keep` says so, until `limit` are kept or the partition ends. A page stops mid-read at the
 * last kept item, so the next page starts right after it.
 */
export const buildListCaseItems =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (status: CaseStatus, keep: (item: CaseItem) => boolean, limit: number, start?: Key, maxReads = 20): Promise<CasePage> => {
    const page = await queryPage(
      db,
      { table: tableName, index: 'gsi1', pk: keys.casesByStatus(status), descending: true },
      { limit, start, keep, readSize: 100, maxReads },
    );
    return { items: page.items, ...(page.next ? { next: { status, key: page.next } } : {}) };
  };

/** Every case summary in a partition: for the daily reminders (bounded by the open cases). */
export const buildAllCaseItems = (db: DynamoDBDocumentClient, tableName: string) => async (status: CaseStatus) =>
  queryAll(db, { table: tableName, index: 'gsi1', pk: keys.casesByStatus(status) });

/** The summaries of the cases shared with a partner organisation. */
export const buildPartnerCaseItems =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (organisation: string): Promise<CaseItem[]> => {
    const shares = await queryAll(db, { table: tableName, pk: keys.partnerCases(organisation) });
    const ids = [...new Set(shares.map((s) => s.caseId as string))];
    const found: CaseItem[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Item[] }> | undefined = { [tableName]: { Keys: ids.slice(i, i + 100).map((id) => keys.case(id)) } };
      for (let attempt = 0; request && Object.keys(request).length && attempt < 8; attempt += 1) {
        const out = await db.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...((out.Responses?.[tableName] ?? []) as CaseItem[]));
        request = out.UnprocessedKeys as typeof request;
        if (request && Object.keys(request).length) await new Promise((r) => setTimeout(r, 2 ** attempt * 20));
      }
    }
    return found.sort((a, b) => String(b.openedAt ?? '').localeCompare(String(a.openedAt ?? '')));
  };

/** The next number in a year's case sequence (atomic; a number is never given out twice). */
export const buildNextCaseNumber =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (year: string): Promise<number> => {
    const out = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.caseCounter(year),
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'last' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.last);
  };

/** The summary item alone (no timeline). */
export const buildGetCaseItem =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (caseId: string): Promise<CaseItem | undefined> =>
    (await db.send(new GetCommand({ TableName: tableName, Key: keys.case(caseId) }))).Item;
