import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { keys } from '#shared/keys';
import type { ArchivedEnvelope } from './data-classes.ts';

/**
 * Events wait in the main table until the daily compactor writes each day's events as one
 * object. The item is keyed by eventId and written only if absent, so a redelivery, a producer
 * retry or a replay of an event already taken adds nothing; after sealing it stays (without
 * the event) long enough to refuse late redeliveries, then TTL removes it.
 */
export const sealedMarkerDays = 35;

export interface PendingEvent {
  readonly eventId: string;
  readonly day: string;
  readonly event: ArchivedEnvelope;
}

const table = () => setting('table');

/** Takes the event for the day's group; false when this eventId was taken before. */
export async function stage(eventId: string, day: string, event: ArchivedEnvelope): Promise<boolean> {
  try {
    await documents.send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.archivedEvent(eventId), gsi1pk: keys.archivePending(), gsi1sk: `${day}#${eventId}`, day, event: JSON.stringify(event) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Every event still waiting from days before `day`, oldest day first. */
export async function pendingBefore(day: string): Promise<PendingEvent[]> {
  const pending: PendingEvent[] = [];
  for await (const page of pendingPages(documents, table(), { before: `${day}#` })) pending.push(...page);
  return pending;
}

/**
 * The events waiting in a main table, a page at a time in gsi1 order (day, then eventId), all
 * of them or those before or after a `day#eventId`. Takes its client and table, so the archive
 * reader (the rebuild, the soak) can read a table other than the function's own.
 */
export async function* pendingPages(
  client: DynamoDBDocumentClient,
  tableName: string,
  range: { readonly before?: string; readonly after?: string } = {},
): AsyncGenerator<PendingEvent[]> {
  const bound = range.before !== undefined ? { op: '<', value: range.before } : range.after !== undefined ? { op: '>', value: range.after } : undefined;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: `gsi1pk = :pending${bound ? ` AND gsi1sk ${bound.op} :bound` : ''}`,
        ExpressionAttributeValues: { ':pending': keys.archivePending(), ...(bound ? { ':bound': bound.value } : {}) },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    yield (page.Items ?? []).map((item) => {
      const [itemDay, ...rest] = String(item.gsi1sk).split('#');
      return { eventId: rest.join('#'), day: itemDay ?? '', event: JSON.parse(String(item.event)) as ArchivedEnvelope };
    });
    start = page.LastEvaluatedKey;
  } while (start);
}

/** The oldest day still waiting (any day), or undefined when nothing waits. */
export async function oldestPendingDay(): Promise<string | undefined> {
  const page = await documents.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pending',
      ExpressionAttributeValues: { ':pending': keys.archivePending() },
      Limit: 1,
    }),
  );
  const first = page.Items?.[0];
  return first ? String(first.gsi1sk).split('#')[0] : undefined;
}

/** Marks the event as written to `key`: off the pending list, the event itself dropped. */
export async function seal(eventId: string, key: string, now: Date): Promise<void> {
  await documents.send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.archivedEvent(eventId),
      UpdateExpression: 'REMOVE gsi1pk, gsi1sk, #event SET #part = :key, expiresAt = :expires',
      ExpressionAttributeNames: { '#event': 'event', '#part': 'part' },
      ExpressionAttributeValues: { ':key': key, ':expires': Math.floor(now.getTime() / 1000) + sealedMarkerDays * 86_400 },
    }),
  );
}
