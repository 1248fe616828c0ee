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
 * Sealing keeps reports reading counters only. The id sets are what make a busy day's items
 * big (16 bytes an event), and DynamoDB reads, and charges for, whole items whatever the
 * projection. A daily job (seal-counters.ts) moves the ids of settled days to a "seen" item in
 * a partition of its own and counts the seal on the day item (`sealed`). A write to a sealed
 * shard (a late, backdated event) first checks the seen item, then writes on condition that
 * the seal count is still the one it saw, so a seal in between sends it round again: still
 * one conditional write decides, and a count can be neither lost nor doubled.
 *
 * Powertools idempotency in front of the consumer would not be enough on its own: it writes its
 * record in a second request after the handler returns, so a crash or timeout after the counter
 * write and before that record is COMPLETED leaves no trace of the count, and the retry would
 * add it again. This condition is the guarantee, so the consumer has no Powertools record, only
 * the event's claim (`idempotency: 'own-writes'`), which refuses a conflicting event.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

type Key = { pk: string; sk: string };

export interface CounterStore {
  /** Adds an event's counters to its day once: 'duplicate' if this event was counted before. */
  apply(eventId: string, effect: CountedEffect): Promise<'applied' | 'duplicate'>;
  /**
   * Moves the id sets of the day shards in the range to their seen items, so reports read
   * counters only; counts never change. Safe to run at any time, as often as wanted.
   */
  seal(range: DateRange): Promise<{ sealed: number; skipped: number }>;
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

  /** The one write that counts an event: counters and id digest together, on condition. */
  const countOnce = async (key: Key, day: IsoDate, digest: string, deltas: CountedEffect['deltas'], sealed: number | undefined) => {
    const names: Record<string, string> = { '#ids': 'ids', '#type': 'type', '#day': 'day', '#sealed': 'sealed' };
    const values: Record<string, unknown> = { ':idset': new Set([digest]), ':id': digest, ':max': maxIds, ':type': 'kpi-day', ':day': day };
    const adds = (Object.entries(deltas) as [string, number][]).map(([name, amount], i) => {
      names[`#c${i}`] = attribute(name);
      values[`:v${i}`] = amount;
      return `#c${i} :v${i}`;
    });
    // Unsealed (today's shards, nearly every write): no other read. Sealed: only if no seal happened since we looked.
    if (sealed !== undefined) values[':sealed'] = sealed;
    const sealCondition = sealed === undefined ? 'attribute_not_exists(#sealed)' : '#sealed = :sealed';
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET #type = :type, #day = :day ADD #ids :idset, ${adds.join(', ')}`,
          ConditionExpression: `NOT contains(#ids, :id) AND (attribute_not_exists(#ids) OR size(#ids) < :max) AND ${sealCondition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  const seenBefore = async (key: Key, digest: string) => {
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
    return Count === 1;
  };

  const apply: CounterStore['apply'] = async (eventId, { day, deltas }) => {
    const shard = shardOf(eventId);
    const key = keys.kpiDay(day.slice(0, 7), day, shard);
    const digest = idDigestOf(eventId);
    if (await countOnce(key, day, digest, deltas, undefined)) return 'applied';
    // Refused: counted before, the item is full, or the day shard has been sealed. Each pass
    // reads the shard's seal count; a seal in between makes the conditional write fail, and
    // the next pass looks again. (dynalite ignores ReturnValuesOnConditionCheckFailure.)
    for (let pass = 0; pass < 5; pass += 1) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      if ((Item?.ids as Set<string> | undefined)?.has(digest)) return 'duplicate';
      const sealed = typeof Item?.sealed === 'number' ? Item.sealed : undefined;
      if (sealed === undefined) {
        if (Item?.ids instanceof Set && Item.ids.size >= maxIds) {
          throw new KpiDayFullError(`the KPI counters of ${day} (shard ${shard}) hold ${maxIds} events already; see docs/data-model.md ("KPI day counters")`);
        }
      } else if (await seenBefore(keys.kpiSeen(day.slice(0, 7), day, shard), digest)) {
        // Ids leave the day item only after they are in the seen item (seal, below).
        return 'duplicate';
      }
      if (await countOnce(key, day, digest, deltas, sealed)) return 'applied';
    }
    throw new Error(`the KPI counters of ${day} (shard ${shard}) kept changing while counting ${eventId}; the delivery will be retried`);
  };

  const seal: CounterStore['seal'] = async (range) => {
    const outcome = { sealed: 0, skipped: 0 };
    for (const month of monthsOf(range)) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            FilterExpression: 'attribute_exists(#ids)',
            ProjectionExpression: 'pk, sk, #day, #ids',
            ExpressionAttributeNames: { '#ids': 'ids', '#day': 'day' },
            ExpressionAttributeValues: { ':pk': keys.kpiDays(month), ':from': `DAY#${range.from}`, ':to': `DAY#${range.to}#~` },
            ConsistentRead: true,
            ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          const ids = item.ids as Set<string>;
          const shard = Number(String(item.sk).split('#')[2]);
          if ((await sealOne({ pk: String(item.pk), sk: String(item.sk) }, String(item.day), shard, ids)) === 'sealed') outcome.sealed += 1;
          else outcome.skipped += 1;
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    return outcome;
  };

  /**
   * 1. Adds the shard's ids to its seen item (a set union: repeating it is harmless);
   * 2. removes them from the day item and counts the seal, on condition that no id arrived in
   *    between (ids only grow, so the same size is the same set). A crash between the two
   *    leaves the ids in both places, which is only untidy.
   */
  const sealOne = async (key: Key, day: IsoDate, shard: number, ids: Set<string>): Promise<'sealed' | 'skipped'> => {
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.kpiSeen(day.slice(0, 7), day, shard),
          UpdateExpression: 'SET #type = :type, #day = :day ADD #ids :ids',
          ConditionExpression: 'attribute_not_exists(#ids) OR size(#ids) <= :room',
          ExpressionAttributeNames: { '#ids': 'ids', '#type': 'type', '#day': 'day' },
          ExpressionAttributeValues: { ':ids': ids, ':room': maxIds - ids.size, ':type': 'kpi-seen', ':day': day },
        }),
      );
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'REMOVE #ids ADD #sealed :one',
          ConditionExpression: 'size(#ids) = :n',
          ExpressionAttributeNames: { '#ids': 'ids', '#sealed': 'sealed' },
          ExpressionAttributeValues: { ':n': ids.size, ':one': 1 },
        }),
      );
      return 'sealed';
    } catch (error) {
      // The seen item is full, or an event arrived meanwhile: leave it for the next run.
      if (error instanceof ConditionalCheckFailedException) return 'skipped';
      throw error;
    }
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

  return { apply, seal, recordStock, readDays, latestStock };
}
