import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BadRequestError } from './errors.ts';

export type Item = Record<string, unknown>;
/** Where a page starts or stopped: the key attributes of one item. */
export type Key = Record<string, unknown>;

/** The table's own keys and those of its one global index (infra/resources.ts). */
const keysOf = {
  table: { partition: 'pk', sort: 'sk', all: ['pk', 'sk'] },
  gsi1: { partition: 'gsi1pk', sort: 'gsi1sk', all: ['pk', 'sk', 'gsi1pk', 'gsi1sk'] },
} as const;

/** One partition, of the table (pk, sk) or of gsi1 (gsi1pk, gsi1sk). */
export interface PartitionQuery {
  readonly table: string;
  readonly index?: 'gsi1';
  readonly pk: string;
  /** Only sort keys from the first to the second, inclusive. */
  readonly skBetween?: readonly [string, string];
  /** Highest sort key first. */
  readonly descending?: boolean;
}

export interface PageOptions {
  /** Stop once this many items are kept; without it, the whole partition. */
  readonly limit?: number;
  /** A key a previous page gave as `next`. */
  readonly start?: Key;
  /** Which items to keep; the others are read and passed over. */
  readonly keep?: (item: Item) => boolean;
  /** Items per request at most (DynamoDB's Limit); without `keep`, never more than the page still needs. */
  readonly readSize?: number;
  /** Requests before answering with what is kept so far, so a filter that keeps little stops reading. */
  readonly maxReads?: number;
}

export interface QueryPage {
  readonly items: Item[];
  /** Where the next page starts; absent when the partition has been read to its end. */
  readonly next?: Key;
}

const notOurs = () => new BadRequestError('the cursor is not one this service gave out');

/** A start key must be one this query gave out: its own key attributes, as strings, in the same partition. */
function checkStart(query: PartitionQuery, start: Key): Key {
  const names = keysOf[query.index ?? 'table'];
  const fields = Object.entries(start);
  if (fields.length !== names.all.length || fields.some(([k, v]) => !(names.all as readonly string[]).includes(k) || typeof v !== 'string')) throw notOurs();
  if (start[names.partition] !== query.pk) throw notOurs();
  return start;
}

const keyOf = (query: PartitionQuery, item: Item): Key => Object.fromEntries(keysOf[query.index ?? 'table'].all.map((k) => [k, item[k]]));

/**
 * Reads a partition a request at a time from `start`, keeping what `keep` keeps, until `limit`
 * items are kept, the partition ends or `maxReads` requests were made. A page that fills in the
 * middle of a request stops at its last item, so the next page starts right after it.
 */
export async function queryPage(db: DynamoDBDocumentClient, query: PartitionQuery, options: PageOptions = {}): Promise<QueryPage> {
  const { limit, keep, readSize, maxReads = Infinity } = options;
  const names = keysOf[query.index ?? 'table'];
  const range = query.skBetween ? ` AND ${names.sort} BETWEEN :from AND :to` : '';
  const kept: Item[] = [];
  let start = options.start && checkStart(query, options.start);
  for (let reads = 0; reads < maxReads; reads += 1) {
    const wanted = Math.min(readSize ?? Infinity, keep || limit === undefined ? Infinity : limit - kept.length);
    const out = await db.send(
      new QueryCommand({
        TableName: query.table,
        ...(query.index ? { IndexName: query.index } : {}),
        KeyConditionExpression: `${names.partition} = :pk${range}`,
        ExpressionAttributeValues: { ':pk': query.pk, ...(query.skBetween ? { ':from': query.skBetween[0], ':to': query.skBetween[1] } : {}) },
        ...(query.descending ? { ScanIndexForward: false } : {}),
        ...(Number.isFinite(wanted) ? { Limit: wanted } : {}),
        ExclusiveStartKey: start,
      }),
    );
    const items = (out.Items ?? []) as Item[];
    for (const [i, item] of items.entries()) {
      if (keep && !keep(item)) continue;
      kept.push(item);
      if (kept.length === limit) {
        const ended = i === items.length - 1 && !out.LastEvaluatedKey;
        return ended ? { items: kept } : { items: kept, next: keyOf(query, item) };
      }
    }
    start = out.LastEvaluatedKey;
    if (!start) return { items: kept };
  }
  return { items: kept, next: start };
}

/** Every item in a partition (for partitions known to be small: a case's timeline, the open cases). */
export const queryAll = async (db: DynamoDBDocumentClient, query: PartitionQuery): Promise<Item[]> => (await queryPage(db, query)).items;
