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
import S3rver from 's3rver';
import { buckets, tables, type TableDef } from '../resources.ts';
import { startS3Proxy } from './s3-proxy.ts';

export const localTableName = (def: TableDef) => `safer-communities-${def.id.replace(/Table$/, '').toLowerCase()}`;
export const localBucketName = (id: string) => `safer-communities-${id.replace(/Bucket$/, '').toLowerCase()}`;

/** Answers a request itself (true) or lets dynalite answer it (false): the fault hook (faults.ts). */
export type DynamoIntercept = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * dynalite on LevelDB under the state directory, with the tables from resources.ts. `kill()`
 * drops every connection and closes the server and its database (as a crash would, to the
 * clients); `revive()` opens them again on the same port and path.
 */
export async function startDynamo(stateDir: string, port: number, region: string, options: { intercept?: DynamoIntercept } = {}) {
  const dir = join(stateDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  const listen = async (onPort: number) => {
    const server: Server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const intercept = options.intercept;
    if (intercept) {
      const [answer] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
      server.removeAllListeners('request');
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (!intercept(req, res)) answer?.(req, res);
      });
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => resolve());
    });
    return server;
  };
  let server: Server | undefined = await listen(port);
  const boundPort = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${boundPort}`;
  const client = new DynamoDBClient({ endpoint: url, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const def of Object.values(tables) as TableDef[]) await ensureTable(client, def, localTableName(def));
  client.destroy();
  const close = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    url,
    close,
    kill: close,
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
export async function startS3(stateDir: string, port: number, region: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
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
  const proxy = await startS3Proxy({ upstream: { host: '127.0.0.1', port: upstreamPort }, port, region, credentials: [credentials] });
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
