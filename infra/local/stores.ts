import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
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

/** dynalite on LevelDB under the state directory, with the tables from resources.ts. */
export async function startDynamo(stateDir: string, port: number, region: string) {
  const dir = join(stateDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  const server: Server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint: url, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const def of Object.values(tables) as TableDef[]) await ensureTable(client, def);
  client.destroy();
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function ensureTable(client: DynamoDBClient, def: TableDef) {
  const TableName = localTableName(def);
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
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory: dir,
    silent: true,
    configureBuckets: Object.values(buckets).map((b) => ({ name: localBucketName(b.id) })),
  });
  const address = await server.run();
  const proxy = await startS3Proxy({ upstream: { host: '127.0.0.1', port: address.port }, port, region, credentials: [credentials] });
  return {
    url: proxy.url,
    close: async () => {
      await proxy.close();
      await server.close();
    },
  };
}
