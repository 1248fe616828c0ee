import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import S3rver from 's3rver';
import { buckets, tables, type TableDef } from '../resources.ts';
import type { OpenIterators } from './dynalite-iterators.ts';
import type { DynamoHooks } from './dynalite-server.ts';
import type { DynamoAsk, DynamoReply, DynamoRequest } from './dynalite-worker.ts';
import { startS3Proxy } from './s3-proxy.ts';

export type { DynamoAnswer, DynamoIntercept } from './dynalite-server.ts';

export const localTableName = (def: TableDef) => `safer-communities-${def.id.replace(/Table$/, '').toLowerCase()}`;
export const localBucketName = (id: string) => `safer-communities-${id.replace(/Bucket$/, '').toLowerCase()}`;

/** dynalite as startDynamo drives it, in this thread or in a worker of its own. */
interface Dynalite {
  readonly thread: 'main' | 'worker';
  /** Opens the server on this port (0: any), answers the port. */
  listen(port: number): Promise<number>;
  /** Closes it (dynalite-server.ts): an orderly stop, or a crash that drops every connection. */
  stop(crash: boolean): Promise<void>;
  /** LevelDB iterators open in dynalite's thread, and the oldest one's age (dynalite-iterators.ts). */
  iterators(): Promise<OpenIterators>;
  /** Let the process exit while dynalite is stopped (a worker would hold it), or not. */
  hold(holding: boolean): void;
  /** After the last stop: ends dynalite's thread, if it has one of its own. */
  end(): Promise<void>;
}

async function inThisThread(dir: string, hooks: DynamoHooks): Promise<Dynalite> {
  const [{ dynaliteServer }, { openDynaliteIterators }] = await Promise.all([import('./dynalite-server.ts'), import('./dynalite-iterators.ts')]);
  const server = dynaliteServer(dir, hooks);
  return { thread: 'main', listen: server.listen, stop: server.stop, iterators: async () => openDynaliteIterators(), hold: () => undefined, end: async () => undefined };
}

/**
 * The worker's entry: in `npm start`'s bundle, the compiled dynalite-worker.js that start.js
 * names in SC_DYNALITE_WORKER (bundle.ts builds it beside main.js); from source, the .ts entry
 * through dynalite-worker-tsx.js, which registers tsx in the worker.
 */
function dynaliteWorker(dir: string): Worker {
  if (process.env.SC_LOCAL_BUNDLE === 'yes') {
    const entry = process.env.SC_DYNALITE_WORKER;
    if (!entry) throw new Error('SC_DYNALITE_WORKER is not set: the bundle runs through infra/local/start.js, which names its dynalite-worker.js');
    return new Worker(entry, { workerData: { dir } });
  }
  return new Worker(new URL('./dynalite-worker-tsx.js', import.meta.url), { workerData: { dir, entry: new URL('./dynalite-worker.ts', import.meta.url).href } });
}

function inWorker(dir: string): Dynalite {
  const worker = dynaliteWorker(dir);
  const waiting = new Map<number, { resolve: (value: number | OpenIterators) => void; reject: (error: Error) => void }>();
  let next = 0;
  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: DynamoReply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(`dynalite worker: ${reply.message}`));
  });
  // An error thrown in dynalite ends its thread: the callers waiting hear of it, and it is thrown
  // here, uncaught, as it would have been with dynalite in this thread.
  worker.on('error', (error) => {
    failAll(error);
    throw error;
  });
  worker.on('exit', (code) => failAll(new Error(`dynalite worker exited (${code})`)));
  // Each ask's answer is of the type its op gives (dynalite-worker.ts, `handle`).
  const ask = <T extends number | OpenIterators>(request: DynamoAsk) =>
    new Promise<T>((resolve, reject) => {
      const id = (next += 1);
      waiting.set(id, { resolve: resolve as (value: number | OpenIterators) => void, reject });
      worker.postMessage({ ...request, id } satisfies DynamoRequest);
    });
  return {
    thread: 'worker',
    listen: (port) => ask<number>({ op: 'listen', port }),
    stop: async (crash) => {
      await ask({ op: 'stop', crash });
    },
    iterators: () => ask<OpenIterators>({ op: 'iterators' }),
    hold: (holding) => (holding ? worker.ref() : worker.unref()),
    end: async () => {
      await worker.terminate();
    },
  };
}

/**
 * dynalite on LevelDB under the state directory, with the tables from resources.ts. `close()`
 * stops it in order (requests under way are answered); `kill()` drops every connection and
 * closes the server and its database (as a crash would, to the clients); `revive()` opens them
 * again on the same port and path.
 *
 * dynalite runs in a worker thread of its own (dynalite-worker.ts): its HTTP server, LevelDB and
 * request parsing then use the machine's second core while this thread runs the functions
 * (docs/benchmarks.md, "dynalite in a worker"). `close()` ends that thread. With a hook, or SC_DYNALITE_THREAD=main, it runs
 * in this thread, as the hooks read and count per request here: `intercept` (faults.ts: the
 * soak's throttling, from this thread's seeded generator) and `wrapAnswer` (meter.ts: units read
 * from dynalite's own database module as it writes). `openIterators()` counts LevelDB iterators
 * open in dynalite's thread, either way, and says how long the oldest has been open.
 */
export async function startDynamo(stateDir: string, port: number, region: string, hooks: DynamoHooks = {}) {
  const dir = join(stateDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  const inProcess = hooks.intercept !== undefined || hooks.wrapAnswer !== undefined || process.env.SC_DYNALITE_THREAD === 'main';
  const dynalite = inProcess ? await inThisThread(dir, hooks) : inWorker(dir);
  let running = true;
  let closed = false;
  const boundPort = await dynalite.listen(port);
  const url = `http://127.0.0.1:${boundPort}`;
  const client = new DynamoDBClient({ endpoint: url, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const def of Object.values(tables) as TableDef[]) await ensureTable(client, def, localTableName(def));
  client.destroy();
  const stop = async (crash: boolean) => {
    if (!running) return;
    running = false;
    await dynalite.stop(crash);
    dynalite.hold(false);
  };
  return {
    url,
    /** Where dynalite runs: a worker thread of its own, or this thread (when a hook is given). */
    thread: dynalite.thread,
    close: async () => {
      await stop(false);
      if (!closed) await dynalite.end();
      closed = true;
    },
    kill: () => stop(true),
    revive: async () => {
      if (running) return;
      if (closed) throw new Error('dynalite was closed: start it again with startDynamo');
      dynalite.hold(true);
      await dynalite.listen(boundPort);
      running = true;
    },
    /** LevelDB iterators dynalite has open and the oldest one's age (dynalite-iterators.ts), in whichever thread it runs. */
    openIterators: () => dynalite.iterators(),
  };
}

/** Creates the table `TableName` as `def` describes it, unless it exists (the rebuild makes fresh ones this way too). */
export async function ensureTable(client: DynamoDBClient, def: TableDef, TableName: string) {
  try {
    await client.send(new DescribeTableCommand({ TableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const keyAttrs = new Set([def.partitionKey, ...(def.sortKey ? [def.sortKey] : []), ...def.globalIndexes.flatMap((g) => [g.partitionKey, g.sortKey])]);
  const indexes: GlobalSecondaryIndex[] = def.globalIndexes.map((g) => ({
    IndexName: g.name,
    KeySchema: [
      { AttributeName: g.partitionKey, KeyType: 'HASH' },
      { AttributeName: g.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  }));
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyAttrs].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: def.partitionKey, KeyType: 'HASH' },
        ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      ...(indexes.length ? { GlobalSecondaryIndexes: indexes } : {}),
    }),
  );
}

/**
 * s3rver on the file system under the state directory, with the buckets from resources.ts,
 * behind the proxy that checks browser uploads as S3 does: its URL is the local S3 endpoint.
 */
export async function startS3(stateDir: string, port: number, region: string, credentials: { accessKeyId: string; secretAccessKey: string }, onRequest?: (method: string, url: string) => void) {
  const dir = join(stateDir, 's3');
  mkdirSync(dir, { recursive: true });
  const run = async (onPort: number) => {
    const server = new S3rver({
      port: onPort,
      address: '127.0.0.1',
      directory: dir,
      silent: true,
      configureBuckets: Object.values(buckets).map((b) => ({ name: localBucketName(b.id) })),
    });
    return { server, address: await server.run() };
  };
  let s3rver: Awaited<ReturnType<typeof run>> | undefined = await run(0);
  const upstreamPort = s3rver.address.port;
  const proxy = await startS3Proxy({ upstream: { host: '127.0.0.1', port: upstreamPort }, port, region, credentials: [credentials], ...(onRequest ? { onRequest } : {}) });
  const stop = async () => {
    const running = s3rver;
    s3rver = undefined;
    if (running) await running.server.close();
  };
  return {
    url: proxy.url,
    /** s3rver stopped: the endpoint answers 503 ServiceUnavailable, as S3 does when it cannot serve. */
    stop,
    start: async () => {
      if (!s3rver) s3rver = await run(upstreamPort);
    },
    close: async () => {
      await proxy.close();
      await stop();
    },
  };
}
