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
 *   read) are added up per operation. Puts of an item carrying a GSI key add the same units for
 *   the index; a failed conditional write costs 1 WRU.
 * - S3: at the local S3 endpoint, by request class (PUT/COPY/POST/LIST vs GET/HEAD).
 * - EventBridge: PutEvents entries and their 64 KB chunks, at the bus.
 * - API Gateway: requests at the gateway, in 512 KB units.
 */
import { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';

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
export interface MeterCounts {
  lambda: Record<string, LambdaCounts>;
  dynamodb: Record<string, DynamoCounts>;
  /** Writes refused by their condition (each costs a WRU, counted in its operation too). */
  conditionalFailures: number;
  s3: { tier1: number; tier2: number; free: number };
  events: { entries: number; chunks: number };
  http: { requests: number; units: number };
}

const emptyCounts = (): MeterCounts => ({
  lambda: {},
  dynamodb: {},
  conditionalFailures: 0,
  s3: { tier1: 0, tier2: 0, free: 0 },
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
    out.conditionalFailures -= before.conditionalFailures;
    for (const k of ['tier1', 'tier2', 'free'] as const) out.s3[k] -= before.s3[k];
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

  s3Request(method: string, url: string): void {
    this.counts.s3[s3RequestClass(method, url)] += 1;
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
   * request and counts it from the answer. `gsiKeys` names, per table, the attributes that put
   * an item in a global secondary index (an index write costs as much again).
   */
  dynamoFront(answer: (req: IncomingMessage, res: ServerResponse) => void, gsiKeys: ReadonlyMap<string, readonly string[]>) {
    return (req: IncomingMessage, res: ServerResponse): void => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      if (!READS.has(operation) && !WRITES.has(operation)) {
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
        const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
        res.end = ((chunk?: unknown, ...rest: unknown[]) => {
          this.countDynamo(operation, data, chunk, gsiKeys);
          return end(chunk, ...rest);
        }) as typeof res.end;
        answer(forwarded, res);
      });
    };
  }

  private countDynamo(operation: string, request: Record<string, unknown>, chunk: unknown, gsiKeys: ReadonlyMap<string, readonly string[]>): void {
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
    let indexWrites = 0;
    if (operation === 'PutItem') {
      const keys = gsiKeys.get(String(request.TableName)) ?? [];
      const item = (request.Item ?? {}) as Record<string, unknown>;
      if (keys.some((k) => k in item)) indexWrites = consumed;
    }
    if (READS.has(operation)) this.dynamo(operation, { read: consumed });
    else this.dynamo(operation, { write: consumed + indexWrites });
  }
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
