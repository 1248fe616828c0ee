import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDynaliteIterators } from '#infra/local/dynalite-iterators';
import { localTableName, startDynamo } from '#infra/local/stores';
import { tables } from '#infra/resources';

/**
 * Each Query and Scan reads through a LevelDB iterator; one left open holds the memory it read
 * from until the database closes (the soak's rss grew with every event: docs/benchmarks.md,
 * "Memory at scale"). Counted, not timed: after any number of reads, none is left open.
 */
describe('integration: dynalite closes the iterator behind each Query and Scan', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-iterators-'));
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let client: DynamoDBClient;
  const table = localTableName(tables.main);
  const S = (s: string): AttributeValue => ({ S: s });

  beforeAll(async () => {
    dynamo = await startDynamo(stateDir, 0, 'eu-west-2');
    client = new DynamoDBClient({ endpoint: dynamo.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // 30 items in one partition, each also under the global index.
    for (let i = 0; i < 30; i += 25) {
      const items = Array.from({ length: Math.min(25, 30 - i) }, (_, k) => {
        const n = String(i + k).padStart(2, '0');
        return { PutRequest: { Item: { pk: S('ITER#1'), sk: S(`ITEM#${n}`), gsi1pk: S('ITER-INDEX#1'), gsi1sk: S(n) } } };
      });
      await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items } }));
    }
  });
  afterAll(async () => {
    client?.destroy();
    await dynamo?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('leaves no iterator open after queries read to the end, stopped by a limit, paged, on an index, and scans', async () => {
    // Counted in dynalite's own thread: a worker of its own (stores.ts), where the fix must be loaded too.
    expect(dynamo.thread).toBe('worker');
    const before = (await dynamo.openIterators()).open;
    const keys: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('ITER#1') }, Limit: 7, ExclusiveStartKey: start }),
      );
      keys.push(...(page.Items ?? []).map((item) => item.sk?.S ?? ''));
      start = page.LastEvaluatedKey;
    } while (start);
    // Closing the iterators does not cut a page short: every item once, in order.
    expect(keys).toEqual(Array.from({ length: 30 }, (_, i) => `ITEM#${String(i).padStart(2, '0')}`));

    for (let i = 0; i < 40; i += 1) {
      await client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('ITER#1') } }));
      await client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('ITER#1') }, Limit: 1 }));
      await client.send(new QueryCommand({ TableName: table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': S('ITER-INDEX#1') }, Limit: 3 }));
      await client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('NOTHING#here') } }));
      await client.send(new ScanCommand({ TableName: table, Limit: 5 }));
    }
    const index = await client.send(
      new QueryCommand({ TableName: table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': S('ITER-INDEX#1') } }),
    );
    expect(index.Count).toBe(30);

    // 206 reads; before the fix each left its iterator open (206 more here).
    expect((await dynamo.openIterators()).open).toBe(before);
  });

  it("says how long the oldest open iterator has been open, so a leaked one is told from a read under way", async () => {
    // LevelDB as dynalite opens it (dynalite → level → classic-level), in this thread, where the
    // count is kept (dynalite-iterators.ts is loaded here by the import above).
    let require = createRequire(import.meta.url);
    for (const name of ['dynalite', 'level']) require = createRequire(require.resolve(name));
    const { ClassicLevel } = require('classic-level') as {
      ClassicLevel: new (dir: string) => { open(): Promise<void>; put(k: string, v: string): Promise<void>; iterator(): { next(): Promise<unknown>; close(): Promise<void> }; close(): Promise<void> };
    };
    const db = new ClassicLevel(join(stateDir, 'aged'));
    await db.open();
    await db.put('k', 'v');
    const before = openDynaliteIterators();
    expect(before).toEqual({ open: 0, oldestSeconds: 0 });
    const iterator = db.iterator();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const held = openDynaliteIterators();
    expect(held.open).toBe(1);
    expect(held.oldestSeconds).toBeGreaterThanOrEqual(0.3);
    await iterator.close();
    expect(openDynaliteIterators()).toEqual({ open: 0, oldestSeconds: 0 });
    await db.close();
  });
});
