/**
 * Metering for the local runtime: what a run would be billed for on AWS, counted where the
 * local stand-ins see it. Off unless a stack is started with a `Meter` (only `npm run cost`,
 * bench/cost.ts, gives one). Nothing under functions/ knows about it.
 *
 * - Lambda: each invoke of a function (around the invoker, as Lambda counts a request), its
 *   wall-clock duration rounded up to 1 ms, times the function's memory (function-settings.ts).
 * - DynamoDB: at dynalite's front door. Each data-plane request is sent on with
 *   `ReturnConsumedCapacity: TOTAL` (unless the caller asked already), and the units dynalite
 *   computes from the item sizes (1 WRU a KB written, the larger of the old and new item; 1 RRU
 *   per 4 KB read strongly consistent, half eventually consistent; Query and Scan by the bytes
 *   read) are added up per operation; a failed conditional write costs 1 WRU. Global secondary
 *   index writes are counted apart, per index, from the old and new images dynalite holds while
 *   it writes the item (`indexWrites`): a write request unit per KB of the index entry for each
 *   index the old or new image is in (two when the index key changes). Requests of the local TTL
 *   sweeper are not counted (TTL deletes are free on AWS).
 * - S3: at the local S3 endpoint, by request class (PUT/COPY/POST/LIST vs GET/HEAD), per bucket.
 * - EventBridge: PutEvents entries and their 64 KB chunks, at the bus.
 * - API Gateway: requests at the gateway, in 512 KB units.
 */
import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';

/** DynamoDB write request units for an item of this many bytes: 1 a KB, rounded up, at least 1. */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/** Read request units: 1 per 4 KB (rounded up, at least 1) strongly consistent, half that eventually. */
export const readUnits = (bytes: number, consistent: boolean): number => Math.max(1, Math.ceil(bytes / 4096)) / (consistent ? 1 : 2);

/** Lambda's billed duration: rounded up to the next millisecond, at least 1. */
export const billedMs = (ms: number): number => Math.max(1, Math.ceil(ms));

/** GB-seconds for one invocation of this duration at this memory size. */
export const gbSeconds = (ms: number, memoryMb: number): number => (billedMs(ms) / 1000) * (memoryMb / 1024);

/** EventBridge bills each 64 KB chunk of an entry as one event. */
export const eventChunks = (bytes: number): number => Math.max(1, Math.ceil(bytes / (64 * 1024)));

/** HTTP APIs meter requests in 512 KB increments. */
export const httpApiUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / (512 * 1024)));

/** S3's request classes: Tier 1 (PUT, COPY, POST, LIST), Tier 2 (GET, HEAD and the rest), DELETE free. */
export function s3RequestClass(method: string, url: string): 'tier1' | 'tier2' | 'free' {
  const { pathname, searchParams } = new URL(url, 'http://local');
  const keyed = pathname.split('/').filter(Boolean).length > 1;
  switch (method.toUpperCase()) {
    case 'PUT':
    case 'POST':
      return 'tier1';
    case 'DELETE':
      return 'free';
    case 'GET':
      // A GET on the bucket (no key) is a LIST, unless it reads a sub-resource such as ?location.
      return !keyed && (searchParams.has('list-type') || searchParams.has('prefix') || [...searchParams.keys()].length === 0) ? 'tier1' : 'tier2';
    default:
      return 'tier2';
  }
}

export interface LambdaCounts {
  invocations: number;
  billedMs: number;
  gbSeconds: number;
  memoryMb: number;
}
export interface DynamoCounts {
  requests: number;
  readUnits: number;
  writeUnits: number;
}
export interface IndexCounts {
  /** Index writes: a put or delete of an index entry, or an update of one in place. */
  writes: number;
  writeUnits: number;
}
export interface S3Counts {
  tier1: number;
  tier2: number;
  free: number;
}
export interface MeterCounts {
  lambda: Record<string, LambdaCounts>;
  /** Per operation, the table's own units (index writes are in `dynamodbIndexes`). */
  dynamodb: Record<string, DynamoCounts>;
  /** Per `table/index`: the write units its global secondary index costs. */
  dynamodbIndexes: Record<string, IndexCounts>;
  /** Writes refused by their condition (each costs a WRU, counted in its operation too). */
  conditionalFailures: number;
  s3: S3Counts & { byBucket: Record<string, S3Counts> };
  events: { entries: number; chunks: number };
  http: { requests: number; units: number };
}

const emptyCounts = (): MeterCounts => ({
  lambda: {},
  dynamodb: {},
  dynamodbIndexes: {},
  conditionalFailures: 0,
  s3: { tier1: 0, tier2: 0, free: 0, byBucket: {} },
  events: { entries: 0, chunks: 0 },
  http: { requests: 0, units: 0 },
});

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

interface Capacity {
  CapacityUnits?: number;
}

/** What one PutEvents entry weighs as EventBridge counts it (the fields' UTF-8 bytes, 14 for a Time). */
export function putEntryBytes(entry: { Source: string; DetailType: string; Detail: unknown; Time?: Date; Resources?: readonly string[] }): number {
  const detail = typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail);
  return (entry.Time ? 14 : 0) + Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(detail) + (entry.Resources ?? []).reduce((n, r) => n + Buffer.byteLength(r), 0);
}

export class Meter {
  private counts = emptyCounts();

  /** A copy of everything counted so far. */
  snapshot(): MeterCounts {
    return structuredClone(this.counts);
  }

  /** What was counted between two snapshots. */
  static between(before: MeterCounts, after: MeterCounts): MeterCounts {
    const out = structuredClone(after);
    for (const [name, c] of Object.entries(out.lambda)) {
      const b = before.lambda[name];
      if (b) out.lambda[name] = { ...c, invocations: c.invocations - b.invocations, billedMs: c.billedMs - b.billedMs, gbSeconds: c.gbSeconds - b.gbSeconds };
    }
    for (const [op, c] of Object.entries(out.dynamodb)) {
      const b = before.dynamodb[op];
      if (b) out.dynamodb[op] = { requests: c.requests - b.requests, readUnits: c.readUnits - b.readUnits, writeUnits: c.writeUnits - b.writeUnits };
    }
    for (const [index, c] of Object.entries(out.dynamodbIndexes)) {
      const b = before.dynamodbIndexes[index];
      if (b) out.dynamodbIndexes[index] = { writes: c.writes - b.writes, writeUnits: c.writeUnits - b.writeUnits };
    }
    out.conditionalFailures -= before.conditionalFailures;
    for (const k of ['tier1', 'tier2', 'free'] as const) {
      out.s3[k] -= before.s3[k];
      for (const [bucket, c] of Object.entries(out.s3.byBucket)) c[k] -= before.s3.byBucket[bucket]?.[k] ?? 0;
    }
    out.events = { entries: out.events.entries - before.events.entries, chunks: out.events.chunks - before.events.chunks };
    out.http = { requests: out.http.requests - before.http.requests, units: out.http.units - before.http.units };
    return out;
  }

  invocation(name: string, memoryMb: number, ms: number): void {
    const c = (this.counts.lambda[name] ??= { invocations: 0, billedMs: 0, gbSeconds: 0, memoryMb });
    c.invocations += 1;
    c.billedMs += billedMs(ms);
    c.gbSeconds += gbSeconds(ms, memoryMb);
  }

  dynamo(operation: string, units: { read?: number; write?: number }): void {
    const c = (this.counts.dynamodb[operation] ??= { requests: 0, readUnits: 0, writeUnits: 0 });
    c.requests += 1;
    c.readUnits += units.read ?? 0;
    c.writeUnits += units.write ?? 0;
  }

  /** Index writes of one item write (`indexWrites`), per `table/index`. */
  dynamoIndexes(table: string, writes: readonly IndexWrite[]): void {
    for (const w of writes) {
      const c = (this.counts.dynamodbIndexes[`${table}/${w.index}`] ??= { writes: 0, writeUnits: 0 });
      c.writes += w.writes;
      c.writeUnits += w.units;
    }
  }

  s3Request(method: string, url: string): void {
    const kind = s3RequestClass(method, url);
    this.counts.s3[kind] += 1;
    const bucket = decodeURIComponent(new URL(url, 'http://local').pathname.split('/').filter(Boolean)[0] ?? '');
    const c = (this.counts.s3.byBucket[bucket] ??= { tier1: 0, tier2: 0, free: 0 });
    c[kind] += 1;
  }

  putEvents(entryBytes: readonly number[]): void {
    this.counts.events.entries += entryBytes.length;
    this.counts.events.chunks += entryBytes.reduce((n, b) => n + eventChunks(b), 0);
  }

  httpRequest(bytes: number): void {
    this.counts.http.requests += 1;
    this.counts.http.units += httpApiUnits(bytes);
  }

  /**
   * Wraps dynalite's request listener: asks for the consumed capacity on every data-plane
   * request and counts it from the answer; while a write is under way, the index writes its
   * item makes are counted from the images dynalite holds (`indexWrites`). Requests the local
   * TTL sweeper makes (`TTL_SWEEPER_AGENT`) are passed on uncounted: TTL deletes are free on AWS.
   */
  dynamoFront(answer: (req: IncomingMessage, res: ServerResponse) => void) {
    watchIndexWrites();
    return (req: IncomingMessage, res: ServerResponse): void => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const agent = `${req.headers['user-agent'] ?? ''} ${req.headers['x-amz-user-agent'] ?? ''}`;
      if ((!READS.has(operation) && !WRITES.has(operation)) || agent.includes(TTL_SWEEPER_AGENT)) {
        answer(req, res);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
          if (!data.ReturnConsumedCapacity || data.ReturnConsumedCapacity === 'NONE') {
            body = Buffer.from(JSON.stringify({ ...data, ReturnConsumedCapacity: 'TOTAL' }));
          }
        } catch {
          // Not JSON: dynalite answers it with its own error.
        }
        const forwarded = Object.assign(Readable.from([body]), {
          headers: { ...req.headers, 'content-length': String(body.length) },
          method: req.method,
          url: req.url,
          httpVersion: req.httpVersion,
          socket: req.socket,
          connection: req.socket,
        }) as unknown as IncomingMessage;
        const writes = WRITES.has(operation) ? writesOf(operation, data).map((w) => ({ ...w, meter: this })) : [];
        for (const w of writes) underWay.add(w);
        const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
        res.end = ((chunk?: unknown, ...rest: unknown[]) => {
          for (const w of writes) underWay.delete(w);
          this.countDynamo(operation, chunk);
          return end(chunk, ...rest);
        }) as typeof res.end;
        answer(forwarded, res);
      });
    };
  }

  private countDynamo(operation: string, chunk: unknown): void {
    let reply: { __type?: string; ConsumedCapacity?: Capacity | Capacity[] } = {};
    try {
      reply = JSON.parse(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '{}') as typeof reply;
    } catch {
      return;
    }
    if (reply.__type) {
      if (reply.__type.endsWith('ConditionalCheckFailedException')) {
        this.counts.conditionalFailures += 1;
        this.dynamo(operation, { write: 1 });
      }
      return;
    }
    const consumed = ([] as Capacity[]).concat(reply.ConsumedCapacity ?? []).reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
    if (READS.has(operation)) this.dynamo(operation, { read: consumed });
    else this.dynamo(operation, { write: consumed });
  }
}

/** The user agent the local TTL sweeper's client carries (stack.ts), so the meter can leave it out. */
export const TTL_SWEEPER_AGENT = 'sc-ttl-sweeper';

type Item = Record<string, unknown>;

/** A global secondary index as the meter needs it: its key attributes and what it projects. */
export interface IndexShape {
  readonly name: string;
  readonly keys: readonly string[];
  readonly projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  readonly include?: readonly string[];
}
export interface IndexWrite {
  readonly index: string;
  /** 1 for a put, delete or in-place update of the index entry; 2 when its key changes (delete + put). */
  readonly writes: number;
  readonly units: number;
}

/** JSON with object keys sorted, so two images compare equal whatever their attribute order. */
const canonical = (value: unknown): string =>
  value === null || typeof value !== 'object'
    ? JSON.stringify(value ?? null)
    : Array.isArray(value)
      ? `[${value.map(canonical).join(',')}]`
      : `{${Object.keys(value as Item).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Item)[k])}`).join(',')}}`;

interface DynaliteDb {
  itemSize: (item: Item) => number;
  updateIndexes: (this: unknown, store: unknown, table: DynaliteTable, oldItem: Item | undefined, newItem: Item | undefined, cb: unknown) => void;
}
let db: DynaliteDb | undefined;
/**
 * dynalite's database module (the one dynalite uses: one copy in Node's module cache), loaded
 * on first use: only a metered stack needs it, and without a meter dynalite runs in a worker
 * thread (stores.ts), so the main thread need not load it and LevelDB.
 */
const dynaliteDb = () => (db ??= createRequire(import.meta.url)('dynalite/db/index.js') as DynaliteDb);
const itemSize = (item: Item) => dynaliteDb().itemSize(item);

/**
 * The index writes one item write makes, as DynamoDB bills them: for each global secondary
 * index, nothing if neither the old nor the new image carries the index's key attributes; one
 * write (of the new entry) when only the new one does; one (a delete) when only the old one
 * does; two (a delete and a put) when both do and the index key changed; one when the key is
 * the same and a projected attribute changed; nothing when the projected entry is unchanged.
 * Each write costs a write request unit per KB of the index entry (the table's key, the
 * index's key and the projected attributes), the larger of old and new for an update.
 */
export function indexWrites(tableKeys: readonly string[], indexes: readonly IndexShape[], oldItem: Item | undefined, newItem: Item | undefined, size: (item: Item) => number = itemSize): IndexWrite[] {
  const out: IndexWrite[] = [];
  for (const index of indexes) {
    const project = (item: Item): Item =>
      index.projection === 'ALL' ? item : Object.fromEntries([...new Set([...tableKeys, ...index.keys, ...(index.include ?? [])])].filter((k) => item[k] !== undefined).map((k) => [k, item[k]]));
    const inIndex = (item: Item | undefined): item is Item => item !== undefined && index.keys.every((k) => item[k] !== undefined && item[k] !== null);
    const before = inIndex(oldItem) ? project(oldItem) : undefined;
    const after = inIndex(newItem) ? project(newItem) : undefined;
    const units = (item: Item) => writeUnits(size(item));
    if (before && after) {
      if (index.keys.some((k) => canonical(before[k]) !== canonical(after[k]))) out.push({ index: index.name, writes: 2, units: units(before) + units(after) });
      else if (canonical(before) !== canonical(after)) out.push({ index: index.name, writes: 1, units: Math.max(units(before), units(after)) });
    } else if (after) out.push({ index: index.name, writes: 1, units: units(after) });
    else if (before) out.push({ index: index.name, writes: 1, units: units(before) });
  }
  return out;
}

/** An item write under way at a metered front door: which table, which keys, which operation. */
interface UnderWay {
  readonly meter: Meter;
  readonly table: string;
  /** The request's items or keys: one of them names the item dynalite is writing. */
  readonly sources: readonly Item[];
}
const underWay = new Set<UnderWay>();

/** The items or keys a write request names, per table. */
function writesOf(operation: string, data: Item): { table: string; sources: Item[] }[] {
  if (operation === 'BatchWriteItem') {
    const requests = (data.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } }[]>;
    return Object.entries(requests).map(([table, list]) => ({
      table,
      sources: list.flatMap((r) => [r.PutRequest?.Item, r.DeleteRequest?.Key].filter((x): x is Item => x !== undefined)),
    }));
  }
  const source = (operation === 'PutItem' ? data.Item : data.Key) as Item | undefined;
  return source ? [{ table: String(data.TableName), sources: [source] }] : [];
}

interface DynaliteTable {
  TableName: string;
  KeySchema: { AttributeName: string }[];
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: { AttributeName: string }[]; Projection: { ProjectionType: IndexShape['projection']; NonKeyAttributes?: string[] } }[];
}

let watching = false;
/**
 * Wraps dynalite's `updateIndexes`, which every item write (put, update, delete, each item of a
 * batch) calls inside the item's lock with the old and the new image: the index writes are
 * counted for the metered request that names that item. Once per process; writes no metered
 * front door has under way (another stack, the TTL sweeper) are not counted.
 */
function watchIndexWrites(): void {
  if (watching) return;
  watching = true;
  const db = dynaliteDb();
  const original = db.updateIndexes;
  db.updateIndexes = function updateIndexes(store, table, oldItem, newItem, cb) {
    const indexes = table.GlobalSecondaryIndexes ?? [];
    const item = newItem ?? oldItem;
    if (indexes.length > 0 && item) {
      const tableKeys = table.KeySchema.map((k) => k.AttributeName);
      const names = (source: Item) => tableKeys.every((k) => canonical(source[k]) === canonical(item[k]));
      const writer = [...underWay].find((w) => w.table === table.TableName && w.sources.some(names));
      if (writer) {
        const shapes = indexes.map((g) => ({ name: g.IndexName, keys: g.KeySchema.map((k) => k.AttributeName), projection: g.Projection.ProjectionType, include: g.Projection.NonKeyAttributes ?? [] }));
        writer.meter.dynamoIndexes(table.TableName, indexWrites(tableKeys, shapes, oldItem ?? undefined, newItem ?? undefined));
      }
    }
    return original.call(this, store, table, oldItem, newItem, cb);
  };
}

/** DynamoDB operations that write items (a failed condition still costs a write on AWS and a request here). */
export const DYNAMO_WRITES: ReadonlySet<string> = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** One kind of DynamoDB call: who sent it (a function's name, or '-' from outside any), to which table, which operation. */
export interface DynamoCall {
  caller: string;
  table: string;
  operation: string;
  /** Requests sent (each SDK command once, its retries not counted again). */
  calls: number;
  /** Items the calls named: 1 each, or the items of a batch or transaction on this table. */
  items: number;
}

/** The tables an operation's input names, each with the items it names there. */
export function itemsByTable(operation: string, input: Record<string, unknown>): [string, number][] {
  const perTable = (requests: unknown, count: (r: unknown) => number): [string, number][] =>
    Object.entries((requests ?? {}) as Record<string, unknown>).map(([table, r]) => [table, count(r)]);
  switch (operation) {
    case 'BatchWriteItem':
      return perTable(input.RequestItems, (r) => (r as unknown[]).length);
    case 'BatchGetItem':
      return perTable(input.RequestItems, (r) => ((r as { Keys?: unknown[] }).Keys ?? []).length);
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      const out = new Map<string, number>();
      for (const item of (input.TransactItems ?? []) as Record<string, { TableName?: string }>[]) {
        for (const part of Object.values(item)) if (part?.TableName) out.set(part.TableName, (out.get(part.TableName) ?? 0) + 1);
      }
      return [...out];
    }
    default:
      return typeof input.TableName === 'string' ? [[input.TableName, 1]] : [];
  }
}

interface Stackable {
  middlewareStack: { add: (middleware: never, options: { step: 'build'; name: string; override?: boolean }) => void };
}

/**
 * Counts DynamoDB calls where they are sent, per caller, table and operation, at no cost to
 * the stores (the bench's pipeline figure: `DynamoCalls.attach` on the functions' client). The
 * caller is whatever `callerNow()` answers while the call is built (the local runtime's
 * current function).
 */
export class DynamoCalls {
  private readonly counts = new Map<string, DynamoCall>();
  /** While set, every write call's operation and (marshalled) input is kept here too (the bench replays them bare). */
  writes: { operation: string; input: Record<string, unknown> }[] | undefined;

  count(caller: string, operation: string, input: Record<string, unknown>): void {
    if (this.writes && DYNAMO_WRITES.has(operation)) this.writes.push({ operation, input });
    for (const [table, items] of itemsByTable(operation, input)) {
      const key = `${caller}\u0000${table}\u0000${operation}`;
      const c = this.counts.get(key) ?? { caller, table, operation, calls: 0, items: 0 };
      c.calls += 1;
      c.items += items;
      this.counts.set(key, c);
    }
  }

  /** A copy of everything counted so far. */
  snapshot(): DynamoCall[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }

  /** What was counted between two snapshots (kinds with nothing new left out). */
  static between(before: readonly DynamoCall[], after: readonly DynamoCall[]): DynamoCall[] {
    const key = (c: DynamoCall) => `${c.caller}\u0000${c.table}\u0000${c.operation}`;
    const was = new Map(before.map((c) => [key(c), c]));
    return after
      .map((c) => ({ ...c, calls: c.calls - (was.get(key(c))?.calls ?? 0), items: c.items - (was.get(key(c))?.items ?? 0) }))
      .filter((c) => c.calls > 0);
  }

  /** Counts every call `client` sends from now on (the operation read from the request's X-Amz-Target). */
  attach(client: Stackable, callerNow: () => string | undefined): void {
    const middleware = (next: (args: unknown) => Promise<unknown>) => async (args: { input: Record<string, unknown>; request?: { headers?: Record<string, string> } }) => {
      const target = args.request?.headers?.['x-amz-target'] ?? args.request?.headers?.['X-Amz-Target'] ?? '';
      this.count(callerNow() ?? '-', target.split('.')[1] ?? '?', args.input);
      return next(args);
    };
    client.middlewareStack.add(middleware as never, { step: 'build', name: 'countDynamoCalls', override: true });
  }
}
