import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import './dynalite-tuning.ts'; // dynalite's expression parses memoised (local only; docs/benchmarks.md, "The pipeline after the claim")
import S3rver from 's3rver';
import { buckets, tables, type TableDef } from '../resources.ts';
import { closeDynaliteIteratorsWhenDone } from './dynalite-iterators.ts';
import { startS3Proxy } from './s3-proxy.ts';

export const localTableName = (def: TableDef) => `safer-communities-${def.id.replace(/Table$/, '').toLowerCase()}`;
export const localBucketName = (id: string) => `safer-communities-${id.replace(/Bucket$/, '').toLowerCase()}`;

/** Answers a request itself (true) or lets dynalite answer it (false): the fault hook (faults.ts). */
export type DynamoIntercept = (req: IncomingMessage, res: ServerResponse) => boolean;
/** dynalite's own request listener, which a meter (meter.ts) may wrap. */
export type DynamoAnswer = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * dynalite on LevelDB under the state directory, with the tables from resources.ts. `kill()`
 * drops every connection and closes the server and its database (as a crash would, to the
 * clients); `revive()` opens them again on the same port and path.
 */
export async function startDynamo(stateDir: string, port: number, region: string, options: { intercept?: DynamoIntercept; wrapAnswer?: (answer: DynamoAnswer) => DynamoAnswer } = {}) {
  const dir = join(stateDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  // Else every Query and Scan leaves a LevelDB iterator open, holding memory, until the database closes.
  closeDynaliteIteratorsWhenDone();
  /** Requests dynalite is still working on: it has not yet called `end` on their response. */
  let working = 0;
  const onIdle: (() => void)[] = [];
  /** Stopping: a request that arrives now gets its connection dropped, as from a stopped process. */
  let refusing = false;
  const listen = async (onPort: number) => {
    const server: Server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const { intercept, wrapAnswer } = options;
    const [own] = server.listeners('request') as DynamoAnswer[];
    server.removeAllListeners('request');
    const answer = own && wrapAnswer ? wrapAnswer(own) : own;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (refusing) {
        req.socket.destroy();
        return;
      }
      if (intercept?.(req, res)) return;
      working += 1;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      let ended = false;
      res.end = ((...args: unknown[]) => {
        if (!ended) {
          ended = true;
          working -= 1;
          if (working === 0) for (const resolve of onIdle.splice(0)) resolve();
        }
        return end(...args);
      }) as ServerResponse['end'];
      answer?.(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => resolve());
    });
    return server;
  };
  /**
   * Waits (a while at most) until dynalite has finished every request it started: closing the
   * server closes its LevelDB, and a request still reading it then fails outside any caller
   * ("Database is closed", an uncaught rejection in dynalite) instead of answering.
   */
  const settled = (withinMs: number) =>
    working === 0
      ? Promise.resolve()
      : Promise.race([new Promise<void>((resolve) => onIdle.push(resolve)), new Promise<void>((resolve) => setTimeout(resolve, withinMs).unref())]);
  let server: Server | undefined = await listen(port);
  const boundPort = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${boundPort}`;
  const client = new DynamoDBClient({ endpoint: url, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const def of Object.values(tables) as TableDef[]) await ensureTable(client, def, localTableName(def));
  client.destroy();
  /**
   * Stops the server: requests that arrive from now on get their connection dropped; those under
   * way are answered (an orderly stop) or have their connections dropped at once, as a crash looks
   * to the clients; either way dynalite finishes them before its close shuts the database, and the
   * same port and path can be opened again by `revive()`.
   */
  const stop = async (crash: boolean) => {
    const s = server;
    server = undefined;
    if (!s) return;
    refusing = true;
    if (crash) s.closeAllConnections();
    else s.closeIdleConnections();
    await settled(10_000);
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
    refusing = false;
  };
  return {
    url,
    close: () => stop(false),
    kill: () => stop(true),
    revive: async () => {
      if (!server) server = await listen(boundPort);
    },
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
