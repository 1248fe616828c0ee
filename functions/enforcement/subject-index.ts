/**
 * The subject index: every enforcement action about a subject (a person, a body or premises),
 * whatever case it is on, so the rules can find a CPW given on one case when a CPN is served on
 * another, or a CPN and its appeal when a breach FPN is issued.
 *
 * One item per (subject, event), keyed by (occurredAt, eventId) under the subject's partition:
 * writing the same event again writes the same item, so a redelivery or a replay is harmless,
 * and the order events arrive in does not matter.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import { queryAll } from '#shared/paged-query';
import type { TimelineEntry } from '../cases/case-model.ts';
import { storedEventOf, timelineEntryOf } from '../cases/case-repository.ts';

/** What the index needs of an event: its envelope, source, detail-type and subject. */
export interface IndexedEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: { eventId: string; occurredAt: string; schemaVersion: number; actor: unknown; subjectRef?: string | undefined } & Record<string, unknown>;
}

export const buildIndexSubjectAction = (db: DynamoDBDocumentClient, tableName: string) => async (e: IndexedEvent) => {
  const { subjectRef, occurredAt, eventId } = e.detail;
  if (subjectRef === undefined) return;
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.subjectAction(subjectRef, new Date(occurredAt).toISOString(), eventId), type: 'subject-action', ...storedEventOf(e) },
    }),
  );
};

/** Every indexed action about a subject, oldest first, as timeline entries (the rules parse them as events). */
export const buildSubjectActions =
  (db: DynamoDBDocumentClient, tableName: string) =>
  async (subjectRef: string): Promise<TimelineEntry[]> =>
    (await queryAll(db, { table: tableName, pk: keys.subjectActions(subjectRef) })).map(timelineEntryOf);
