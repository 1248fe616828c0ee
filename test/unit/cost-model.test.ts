import { describe, expect, it } from 'vitest';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { billedMs, DynamoCalls, eventChunks, gbSeconds, httpApiUnits, indexWrites, itemsByTable, Meter, putEntryBytes, readUnits, s3RequestClass, writeUnits, type IndexShape } from '../../infra/local/meter.ts';
import { costOf, fixedMonthly, monthlyUsage, prices, runsPerYear, schedules, type UnitUsage } from '../../bench/cost-model.ts';

describe('the meter’s units', () => {
  it('rounds write units up per KB, at least one', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(writeUnits(3 * 1024)).toBe(3);
  });
  it('rounds read units up per 4 KB, halved when eventually consistent', () => {
    expect(readUnits(100, true)).toBe(1);
    expect(readUnits(100, false)).toBe(0.5);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(8 * 1024, false)).toBe(1);
  });
  it('bills Lambda by the millisecond, rounded up, times memory', () => {
    expect(billedMs(0.2)).toBe(1);
    expect(billedMs(12.01)).toBe(13);
    expect(gbSeconds(1000, 1024)).toBe(1);
    expect(gbSeconds(99.5, 512)).toBeCloseTo(0.05, 10);
  });
  it('counts EventBridge 64 KB chunks and HTTP API 512 KB units', () => {
    expect(eventChunks(10)).toBe(1);
    expect(eventChunks(64 * 1024 + 1)).toBe(2);
    expect(eventChunks(256 * 1024)).toBe(4);
    expect(httpApiUnits(0)).toBe(1);
    expect(httpApiUnits(513 * 1024)).toBe(2);
  });
  it('weighs a PutEvents entry as EventBridge does', () => {
    expect(putEntryBytes({ Source: 'ab', DetailType: 'cd', Detail: { x: 1 } })).toBe(2 + 2 + 7);
    expect(putEntryBytes({ Source: 'ab', DetailType: 'cd', Detail: '{}', Time: new Date(), Resources: ['r'] })).toBe(14 + 2 + 2 + 2 + 1);
  });
  it('sorts S3 requests into their price classes', () => {
    expect(s3RequestClass('PUT', '/bucket/key')).toBe('tier1');
    expect(s3RequestClass('POST', '/bucket')).toBe('tier1');
    expect(s3RequestClass('GET', '/bucket?list-type=2&prefix=a')).toBe('tier1');
    expect(s3RequestClass('GET', '/bucket/key')).toBe('tier2');
    expect(s3RequestClass('HEAD', '/bucket/key')).toBe('tier2');
    expect(s3RequestClass('DELETE', '/bucket/key')).toBe('free');
  });
  it('reports what was counted between two snapshots', () => {
    const meter = new Meter();
    meter.invocation('A', 512, 10);
    meter.httpRequest(10);
    const before = meter.snapshot();
    meter.invocation('A', 512, 1000);
    meter.invocation('B', 1024, 0.5);
    meter.putEvents([10, 70 * 1024]);
    const d = Meter.between(before, meter.snapshot());
    expect(d.lambda.A).toMatchObject({ invocations: 1, billedMs: 1000, gbSeconds: 0.5 });
    expect(d.lambda.B).toMatchObject({ invocations: 1, billedMs: 1 });
    expect(d.events).toEqual({ entries: 2, chunks: 3 });
    expect(d.http).toEqual({ requests: 0, units: 0 });
  });
});

describe('the meter’s index writes (a write request unit per KB of index entry, per index touched)', () => {
  // Sizes by a simple rule, so the units are plain to see: each attribute weighs its value's length.
  const size = (item: Record<string, unknown>) => Object.values(item).reduce<number>((n, v) => n + String(v).length, 0);
  const keys = ['pk', 'sk'];
  const byStatus: IndexShape = { name: 'gsi1', keys: ['gsi1pk', 'gsi1sk'], projection: 'ALL' };
  const byOwner: IndexShape = { name: 'gsi2', keys: ['gsi2pk', 'gsi2sk'], projection: 'KEYS_ONLY' };
  const item = (patch: Record<string, unknown>) => ({ pk: 'R#1', sk: 'R', ...patch });
  const kb = (n: number) => 'x'.repeat(n * 1024);

  it('costs nothing for an item in no index, before or after', () => {
    expect(indexWrites(keys, [byStatus], item({ a: 1 }), item({ a: 2 }), size)).toEqual([]);
    expect(indexWrites(keys, [byStatus], undefined, item({ a: 1 }), size)).toEqual([]);
  });
  it('puts the entry when a new item carries the index key (table with one GSI)', () => {
    expect(indexWrites(keys, [byStatus], undefined, item({ gsi1pk: 'S', gsi1sk: '1', body: kb(1) }), size)).toEqual([{ index: 'gsi1', writes: 1, units: 2 }]);
  });
  it('counts each index the item is in (table with two GSIs), by what each projects', () => {
    const created = item({ gsi1pk: 'S', gsi1sk: '1', gsi2pk: 'O', gsi2sk: '1', body: kb(2) });
    expect(indexWrites(keys, [byStatus, byOwner], undefined, created, size)).toEqual([
      { index: 'gsi1', writes: 1, units: 3 },
      // KEYS_ONLY: the table's and the index's keys alone, under 1 KB.
      { index: 'gsi2', writes: 1, units: 1 },
    ]);
  });
  it('deletes and puts when an update changes the index key, two writes', () => {
    const before = item({ gsi1pk: 'untriaged', gsi1sk: '1', body: kb(1) });
    const after = item({ gsi1pk: 'triaged', gsi1sk: '1', body: kb(1) });
    expect(indexWrites(keys, [byStatus], before, after, size)).toEqual([{ index: 'gsi1', writes: 2, units: 4 }]);
  });
  it('updates in place, one write at the larger size, when the key stays and a projected attribute changes', () => {
    const before = item({ gsi1pk: 'S', gsi1sk: '1', body: 'short' });
    const after = item({ gsi1pk: 'S', gsi1sk: '1', body: kb(2) });
    expect(indexWrites(keys, [byStatus], before, after, size)).toEqual([{ index: 'gsi1', writes: 1, units: 3 }]);
  });
  it('costs nothing when the key stays and nothing the index projects changed', () => {
    const before = item({ gsi2pk: 'O', gsi2sk: '1', note: 'a' });
    expect(indexWrites(keys, [byOwner], before, { ...before, note: 'b' }, size)).toEqual([]);
    expect(indexWrites(keys, [byStatus], item({ gsi1pk: 'S', gsi1sk: '1', m: { b: 1, a: 2 } }), item({ gsi1pk: 'S', gsi1sk: '1', m: { a: 2, b: 1 } }), size)).toEqual([]);
  });
  it('deletes the entry when an update removes the index key, or the item is deleted', () => {
    const pending = item({ gsi1pk: 'ARCHIVE#PENDING', gsi1sk: 'd#e', event: kb(3) });
    expect(indexWrites(keys, [byStatus], pending, item({ part: 'k' }), size)).toEqual([{ index: 'gsi1', writes: 1, units: 4 }]);
    expect(indexWrites(keys, [byStatus, byOwner], pending, undefined, size)).toEqual([{ index: 'gsi1', writes: 1, units: 4 }]);
  });
  it('needs every key attribute of the index: half a key puts nothing in it', () => {
    expect(indexWrites(keys, [byStatus], undefined, item({ gsi1pk: 'S' }), size)).toEqual([]);
  });
});

describe('the DynamoDB call counter (the bench’s writes per report)', () => {
  it('names the tables and items of each kind of request', () => {
    expect(itemsByTable('PutItem', { TableName: 't', Item: {} })).toEqual([['t', 1]]);
    expect(itemsByTable('BatchWriteItem', { RequestItems: { a: [{}, {}], b: [{}] } })).toEqual([['a', 2], ['b', 1]]);
    expect(itemsByTable('BatchGetItem', { RequestItems: { a: { Keys: [{}, {}, {}] } } })).toEqual([['a', 3]]);
    expect(itemsByTable('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'a' } }, { Update: { TableName: 'b' } }, { ConditionCheck: { TableName: 'a' } }] })).toEqual([['a', 2], ['b', 1]]);
  });

  it('counts each call a client sends by caller, table and operation, document client included, and what came between two snapshots', async () => {
    const client = new DynamoDBClient({ region: 'eu-west-2', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const calls = new DynamoCalls();
    let caller: string | undefined = 'Projector';
    calls.attach(client, () => caller);
    // Answered before it leaves: nothing listens on the endpoint.
    client.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), { step: 'finalizeRequest', name: 'answerHere' });
    const documents = DynamoDBDocumentClient.from(client);
    await documents.send(new UpdateCommand({ TableName: 'main', Key: { pk: 'A' }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 1 } }));
    const before = calls.snapshot();
    await documents.send(new UpdateCommand({ TableName: 'main', Key: { pk: 'B' }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 1 } }));
    await documents.send(new BatchWriteCommand({ RequestItems: { main: [{ PutRequest: { Item: { pk: 'C' } } }, { PutRequest: { Item: { pk: 'D' } } }] } }));
    caller = undefined;
    await client.send(new GetItemCommand({ TableName: 'idempotency', Key: { id: { S: 'x' } } }));
    expect(DynamoCalls.between(before, calls.snapshot())).toEqual([
      { caller: 'Projector', table: 'main', operation: 'UpdateItem', calls: 1, items: 1 },
      { caller: 'Projector', table: 'main', operation: 'BatchWriteItem', calls: 1, items: 2 },
      { caller: '-', table: 'idempotency', operation: 'GetItem', calls: 1, items: 1 },
    ]);
    client.destroy();
  });
});

describe('the cost model', () => {
  const unit = (patch: Partial<UnitUsage>): UnitUsage => ({ lambdaRequests: 0, gbSeconds: 0, readUnits: 0, writeUnits: 0, s3Tier1: 0, s3Tier2: 0, eventChunks: 0, httpUnits: 0, logBytes: 0, ...patch });
  const units = {
    reportProduced: unit({ httpUnits: 1, lambdaRequests: 1 }),
    actionProduced: unit({ httpUnits: 1 }),
    reportConsumed: unit({ writeUnits: 10 }),
    otherConsumed: unit({ writeUnits: 2 }),
    pageView: unit({ readUnits: 4 }),
    photo: unit({ s3Tier1: 2, s3Tier2: 2 }),
    jobs: [],
  };
  it('adds each kind of work at its own volume', () => {
    const u = monthlyUsage(units, { s3BytesPerEvent: 0, dynamoBytesPerEvent: 0 }, { reports: 10, events: 100, pageViews: 5, months: 1 });
    expect(u.httpUnits).toBe(100);
    expect(u.lambdaRequests).toBe(10);
    expect(u.writeUnits).toBe(10 * 10 + 90 * 2);
    expect(u.readUnits).toBe(20);
  });
  it('prices a million write units and a million GB-seconds at the table’s (London) prices', () => {
    const u = { ...monthlyUsage(units, { s3BytesPerEvent: 0, dynamoBytesPerEvent: 0 }, { reports: 0, events: 0, pageViews: 0, months: 1 }), writeUnits: 1e6, gbSeconds: 1e6 };
    const cost = costOf(u, prices);
    expect(cost.lines.dynamodb).toBeCloseTo(0.7423, 10);
    expect(cost.lines.lambda).toBeCloseTo(13.3334, 6);
    expect(cost.total).toBeCloseTo(0.7423 + 13.3334, 6);
  });
  it('adds photos at their own volume, and each scheduled job per run and (the compactor) per event', () => {
    const withJobs = {
      ...units,
      jobs: [
        { schedule: 'Daily', runsPerMonth: 30, perRun: unit({ lambdaRequests: 1, s3Tier1: 2 }), perEvent: unit({ writeUnits: 2 }) },
        { schedule: 'Monthly', runsPerMonth: 1, perRun: unit({ lambdaRequests: 1, readUnits: 50 }) },
      ],
    };
    const u = monthlyUsage(withJobs, { s3BytesPerEvent: 0, dynamoBytesPerEvent: 0, bytesPerPhoto: 1024 ** 3 }, { reports: 10, events: 100, pageViews: 0, photos: 3, months: 2 });
    expect(u.lambdaRequests).toBe(10 + 30 + 1);
    expect(u.s3Tier1).toBe(3 * 2 + 30 * 2);
    expect(u.s3Tier2).toBe(3 * 2);
    expect(u.writeUnits).toBe(10 * 10 + 90 * 2 + 100 * 2);
    expect(u.readUnits).toBe(50);
    expect(u.s3GbStored).toBe(3 * 2);
  });
  it('grows storage with the months kept, logs for three months at most', () => {
    const logs = { ...units, pageView: unit({ logBytes: 1024 ** 3 }) };
    const u = monthlyUsage(logs, { s3BytesPerEvent: 1024, dynamoBytesPerEvent: 0 }, { reports: 0, events: 1024 * 1024, pageViews: 1, months: 12 });
    expect(u.s3GbStored).toBe(12);
    expect(u.logsGbStored).toBe(3);
    expect(costOf(u, prices).lines.s3).toBeCloseTo(12 * 0.024, 10);
  });
  it('counts a schedule’s runs in a year from its cron, in London time', () => {
    expect(runsPerYear('cron(30 6 * * ? *)')).toBe(365);
    expect(runsPerYear('cron(0 6 1 * ? *)')).toBe(12);
    expect(runsPerYear('cron(15 6 1 1,4,7,10 ? *)')).toBe(4);
    expect(runsPerYear('cron(5 0 1 4 ? *)')).toBe(1);
    expect(runsPerYear('cron(30 2 * * ? *)')).toBe(365);
    expect(schedules.find((s) => s.schedule === 'DailyArchiveCompaction')?.runsPerMonth).toBeCloseTo(365 / 12, 10);
  });
  it('counts the fixed costs: alarms, dashboard, secrets, key; the edge apart', () => {
    const fixed = fixedMonthly(prices, 10);
    expect(fixed.lines).toEqual({ alarms: 1, dashboard: 3, secrets: 0.8, kmsKey: 1 });
    expect(fixed.total).toBeCloseTo(5.8, 10);
    expect(fixed.edge).toBe(9);
  });
});
