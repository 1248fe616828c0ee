/**
 * The KPI counters in DynamoDB (docs/data-model.md, "KPI day counters").
 *
 * Each London day has DAY_SHARDS items, one partition per London month. An event's whole effect
 * is ONE conditional UpdateItem on the shard its eventId hashes to: it adds the event's
 * counters AND the event's id digest to that item's `ids` set, on condition that the digest is
 * not there yet. DynamoDB applies an UpdateItem atomically, so the count and the record that it
 * was counted are written together or not at all: a redelivery (any number, any order) meets a
 * failed condition and changes nothing, and a crash can only happen before the write (nothing
 * counted, the retry counts it) or after it (counted, the retry is refused). No transaction is
 * needed (dynalite has none).
 *
 * Powertools idempotency in front of the consumer is not enough on its own: it writes its
 * record in a second request after the handler returns, so a crash or timeout after the counter
 * write and before that record is COMPLETED leaves no trace of the count, and the retry would
 * add it again. It only saves work; this condition is the guarantee.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import { counterNames, type CountedEffect, type Counters } from './counters.ts';
import type { DayCounters, HousingStock } from './figures.ts';
import type { DateRange } from './model.ts';
import { monthsOf, type IsoDate } from './range.ts';

/**
 * Items per London day. Fixed: an event's shard is a hash of its id, so changing this needs a
 * rebuild from the archive. Four keeps each item small (a year's report reads at most 4 × 366
 * items per year of range) and gives a busy day room for ~60,000 events.
 */
export const DAY_SHARDS = 4;

/**
 * Ids per item before it refuses more: 15,000 digests of 16 bytes is ~255 KB, well inside
 * DynamoDB's 400 KB item limit with the counters. At 1,000,000 events a year a shard holds
 * ~690 on an average day (~12 KB).
 */
export const MAX_IDS_PER_ITEM = 15_000;

/** A shard item already holds MAX_IDS_PER_ITEM events: the event is refused (dead-lettered), never dropped. */
export class KpiDayFullError extends Error {
  override name = 'KpiDayFullError';
}

const digestOf = (eventId: string) => createHash('sha256').update(eventId, 'utf8').digest();

/** The shard of a day an event is counted in. */
export const shardOf = (eventId: string): number => (digestOf(eventId)[0] ?? 0) % DAY_SHARDS;

/**
 * What the item records of an event: 96 bits of the SHA-256 of its eventId, 16 characters
 * whatever the id's length (ids may be up to 128). Two different events collide within one item
 * with probability below 10^-20 at 15,000 ids; the archive keeps the ids themselves.
 */
export const idDigestOf = (eventId: string): string => digestOf(eventId).subarray(4, 16).toString('base64url');

const attribute = (name: string) => `c_${name}`;

export interface CounterStore {
  /** Adds an event's counters to its day once: 'duplicate' if this event was counted before. */
  apply(eventId: string, effect: CountedEffect): Promise<'applied' | 'duplicate'>;
  /** Stores a housing stock count for its date unless a later-recorded one is there; idempotent. */
  recordStock(stock: HousingStock & { eventId: string; occurredAt: string }): Promise<'stored' | 'kept'>;
  /** The counters of every day in the range that has any (shards summed), in day order. */
  readDays(range: DateRange): Promise<DayCounters[]>;
  /** The housing stock with the latest `asOf` on or before the date. */
  latestStock(onOrBefore: IsoDate): Promise<HousingStock | undefined>;
}

/** Month partitions read at once: a five-year report with its previous five years reads 120. */
const MONTH_READS_IN_PARALLEL = 6;

async function inParallel<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function buildCounterStore(db: DynamoDBDocumentClient, tableName: string, options: { maxIdsPerItem?: number } = {}): CounterStore {
  const maxIds = options.maxIdsPerItem ?? MAX_IDS_PER_ITEM;
  const apply: CounterStore['apply'] = async (eventId, { day, deltas }) => {
    const key = keys.kpiDay(day.slice(0, 7), day, shardOf(eventId));
    const digest = idDigestOf(eventId);
    const moved = Object.entries(deltas) as [string, number][];
    const names: Record<string, string> = { '#ids': 'ids', '#type': 'type', '#day': 'day' };
    const values: Record<string, unknown> = { ':idset': new Set([digest]), ':id': digest, ':max': maxIds, ':type': 'kpi-day', ':day': day };
    const adds = moved.map(([name, amount], i) => {
      names[`#c${i}`] = attribute(name);
      values[`:v${i}`] = amount;
      return `#c${i} :v${i}`;
    });
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET #type = :type, #day = :day ADD #ids :idset, ${adds.join(', ')}`,
          ConditionExpression: 'NOT contains(#ids, :id) AND (attribute_not_exists(#ids) OR size(#ids) < :max)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return 'applied';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Refused: counted before, or the item is full. (dynalite ignores ReturnValuesOnConditionCheckFailure.)
    const { Count } = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        FilterExpression: 'contains(#ids, :id)',
        ExpressionAttributeNames: { '#ids': 'ids' },
        ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk, ':id': digest },
        ConsistentRead: true,
        Select: 'COUNT',
      }),
    );
    if (Count === 1) return 'duplicate';
    throw new KpiDayFullError(`the KPI counters of ${day} (shard ${key.sk}) hold ${maxIds} events already; see docs/data-model.md ("KPI day counters")`);
  };

  const recordStock: CounterStore['recordStock'] = async ({ asOf, homes, eventId, occurredAt }) => {
    const recordedAt = new Date(occurredAt).toISOString();
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.housingStock(asOf), type: 'housing-stock', asOf, homes, eventId, recordedAt },
          // The last recorded (by when it happened, then eventId) wins, whatever the delivery order.
          ConditionExpression: 'attribute_not_exists(pk) OR recordedAt < :at OR (recordedAt = :at AND eventId <= :id)',
          ExpressionAttributeValues: { ':at': recordedAt, ':id': eventId },
        }),
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'kept';
      throw error;
    }
  };

  const projection = ['#day', ...counterNames.map((_, i) => `#c${i}`)].join(', ');
  const projectionNames = { '#day': 'day', ...Object.fromEntries(counterNames.map((n, i) => [`#c${i}`, attribute(n)])) };

  const readMonth = async (month: string, range: DateRange): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      // Only the counters: the id sets stay on the server.
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ProjectionExpression: projection,
          ExpressionAttributeNames: projectionNames,
          ExpressionAttributeValues: { ':pk': keys.kpiDays(month), ':from': `DAY#${range.from}`, ':to': `DAY#${range.to}#~` },
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };

  const readDays: CounterStore['readDays'] = async (range) => {
    const pages = await inParallel(monthsOf(range), MONTH_READS_IN_PARALLEL, (month) => readMonth(month, range));
    const byDay = new Map<IsoDate, Partial<Counters>>();
    for (const item of pages.flat()) {
      const day = String(item.day);
      const counters = byDay.get(day) ?? {};
      for (const name of counterNames) {
        const value = item[attribute(name)];
        if (typeof value === 'number') counters[name] = (counters[name] ?? 0) + value;
      }
      byDay.set(day, counters);
    }
    return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, counters]) => ({ day, counters }));
  };

  const latestStock: CounterStore['latestStock'] = async (onOrBefore) => {
    const { Items } = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk <= :sk',
        ExpressionAttributeValues: { ':pk': keys.housingStocks(), ':sk': `ASOF#${onOrBefore}` },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = Items?.[0];
    return item ? { asOf: String(item.asOf), homes: Number(item.homes) } : undefined;
  };

  return { apply, recordStock, readDays, latestStock };
}
