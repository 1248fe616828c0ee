import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpired } from '#infra/local/ttl';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

describe('integration: local time to live', () => {
  let stack: TestStack;
  let db: DynamoDBClient;
  beforeAll(async () => {
    stack = await startTestStack();
    db = stack.dynamodb;
  });
  afterAll(() => stack.dispose());

  const put = (table: string, key: Record<string, string>, ttlAttr: string, expiresAt?: number) =>
    db.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          ...Object.fromEntries(Object.entries(key).map(([k, v]) => [k, { S: v }])),
          ...(expiresAt === undefined ? {} : { [ttlAttr]: { N: String(expiresAt) } }),
        },
      }),
    );
  const exists = async (table: string, key: Record<string, string>) =>
    (await db.send(new GetItemCommand({ TableName: table, Key: Object.fromEntries(Object.entries(key).map(([k, v]) => [k, { S: v }])) }))).Item !== undefined;

  it('deletes items whose expiry has passed and keeps the rest, in every table with a TTL', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const seconds = now.getTime() / 1000;
    const main = stack.endpoints.tables.main;
    const idem = stack.endpoints.tables.idempotency;
    await put(main, { pk: 'TTL#old', sk: 'X' }, 'expiresAt', seconds - 1);
    await put(main, { pk: 'TTL#new', sk: 'X' }, 'expiresAt', seconds + 60);
    await put(main, { pk: 'TTL#none', sk: 'X' }, 'expiresAt');
    await put(idem, { id: 'old-record' }, 'expiration', seconds - 3600);

    // Told to stop (the stack is stopping), a sweep deletes nothing more.
    expect(await sweepExpired(db, now, () => true)).toBe(0);
    expect(await exists(main, { pk: 'TTL#old', sk: 'X' })).toBe(true);
    expect(await sweepExpired(db, now)).toBeGreaterThanOrEqual(2);
    expect(await exists(main, { pk: 'TTL#old', sk: 'X' })).toBe(false);
    expect(await exists(idem, { id: 'old-record' })).toBe(false);
    expect(await exists(main, { pk: 'TTL#new', sk: 'X' })).toBe(true);
    expect(await exists(main, { pk: 'TTL#none', sk: 'X' })).toBe(true);
  });
});
