import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Meter, TTL_SWEEPER_AGENT, type MeterCounts } from '#infra/local/meter';
import { localTableName, startDynamo } from '#infra/local/stores';
import { tables } from '#infra/resources';

/**
 * The meter in front of a real dynalite: each write's table units come from dynalite's own
 * consumed capacity, and its index writes from the images dynalite holds while it writes.
 * The main table has one GSI (gsi1, all attributes projected); the idempotency table none.
 */
describe('integration: the cost meter counts DynamoDB index writes', () => {
  const meter = new Meter();
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let db: DynamoDBDocumentClient;
  let sweeper: DynamoDBDocumentClient;
  const main = localTableName(tables.main);
  const idempotency = localTableName(tables.idempotency);
  const gsi = `${main}/gsi1`;

  beforeAll(async () => {
    dynamo = await startDynamo(mkdtempSync(join(tmpdir(), 'sc-meter-')), 0, 'eu-west-2', { wrapAnswer: (answer) => meter.dynamoFront(answer) });
    const client = (extra = {}) =>
      DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, ...extra }));
    db = client();
    sweeper = client({ customUserAgent: TTL_SWEEPER_AGENT });
  });
  afterAll(async () => {
    db.destroy();
    sweeper.destroy();
    await dynamo.close();
  });

  /** What `act` cost: the table's write units by operation and the index's writes. */
  const measure = async (act: () => Promise<unknown>) => {
    const before = meter.snapshot();
    await act();
    const d: MeterCounts = Meter.between(before, meter.snapshot());
    const tableUnits = Object.values(d.dynamodb).reduce((n, c) => n + c.writeUnits, 0);
    return { tableUnits, index: d.dynamodbIndexes[gsi] ?? { writes: 0, writeUnits: 0 } };
  };
  const big = 'x'.repeat(1500);

  it('puts an index entry for a new item that carries the index key, at its size', async () => {
    const cost = await measure(() => db.send(new PutCommand({ TableName: main, Item: { pk: 'M#1', sk: 'A', gsi1pk: 'S#untriaged', gsi1sk: '1', body: big } })));
    expect(cost).toEqual({ tableUnits: 2, index: { writes: 1, writeUnits: 2 } });
  });

  it('deletes and puts (two writes) when an update changes the index key', async () => {
    const cost = await measure(() => db.send(new UpdateCommand({ TableName: main, Key: { pk: 'M#1', sk: 'A' }, UpdateExpression: 'SET gsi1pk = :s', ExpressionAttributeValues: { ':s': 'S#triaged' } })));
    expect(cost).toEqual({ tableUnits: 2, index: { writes: 2, writeUnits: 4 } });
  });

  it('updates the entry in place (one write) when the key stays and a projected attribute changes', async () => {
    const cost = await measure(() => db.send(new UpdateCommand({ TableName: main, Key: { pk: 'M#1', sk: 'A' }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'seen' } })));
    expect(cost).toEqual({ tableUnits: 2, index: { writes: 1, writeUnits: 2 } });
  });

  it('deletes the entry when an update removes the index key (as sealing an archived event does)', async () => {
    const cost = await measure(() => db.send(new UpdateCommand({ TableName: main, Key: { pk: 'M#1', sk: 'A' }, UpdateExpression: 'REMOVE gsi1pk, gsi1sk, body' })));
    expect(cost).toEqual({ tableUnits: 2, index: { writes: 1, writeUnits: 2 } });
  });

  it('costs the index nothing for items outside it, and tables without an index', async () => {
    expect(await measure(() => db.send(new UpdateCommand({ TableName: main, Key: { pk: 'M#1', sk: 'A' }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'again' } })))).toEqual({
      tableUnits: 1,
      index: { writes: 0, writeUnits: 0 },
    });
    const idem = await measure(() => db.send(new PutCommand({ TableName: idempotency, Item: { id: 'e-1', status: 'COMPLETED' } })));
    expect(idem).toEqual({ tableUnits: 1, index: { writes: 0, writeUnits: 0 } });
  });

  it('deletes the entry when an item in the index is deleted, and counts each item of a batch', async () => {
    await db.send(new PutCommand({ TableName: main, Item: { pk: 'M#2', sk: 'A', gsi1pk: 'S#untriaged', gsi1sk: '2' } }));
    const deleted = await measure(() => db.send(new DeleteCommand({ TableName: main, Key: { pk: 'M#2', sk: 'A' } })));
    expect(deleted).toEqual({ tableUnits: 1, index: { writes: 1, writeUnits: 1 } });
    const batch = await measure(() =>
      db.send(
        new BatchWriteCommand({
          RequestItems: {
            [main]: [
              { PutRequest: { Item: { pk: 'M#3', sk: 'A', gsi1pk: 'S#untriaged', gsi1sk: '3' } } },
              { PutRequest: { Item: { pk: 'M#4', sk: 'A' } } },
              { DeleteRequest: { Key: { pk: 'M#1', sk: 'A' } } },
            ],
          },
        }),
      ),
    );
    expect(batch).toEqual({ tableUnits: 3, index: { writes: 1, writeUnits: 1 } });
  });

  it('leaves the local TTL sweeper’s requests out (TTL deletes are free on AWS)', async () => {
    await db.send(new PutCommand({ TableName: main, Item: { pk: 'M#5', sk: 'A', gsi1pk: 'S#untriaged', gsi1sk: '5' } }));
    const cost = await measure(() => sweeper.send(new DeleteCommand({ TableName: main, Key: { pk: 'M#5', sk: 'A' } })));
    expect(cost).toEqual({ tableUnits: 0, index: { writes: 0, writeUnits: 0 } });
  });
});
