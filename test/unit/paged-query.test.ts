import type { DynamoDBDocumentClient, QueryCommand, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '#shared/cursor';
import { BadRequestError } from '#shared/errors';
import { queryAll, queryPage, type Item } from '#shared/paged-query';

/**
 * A gsi1 partition as DynamoDB pages it: sorted by gsi1sk, at most Limit items a request,
 * LastEvaluatedKey whenever a request stopped at its Limit.
 */
function partition(count: number) {
  const items: Item[] = Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(3, '0');
    return { pk: `ITEM#${n}`, sk: 'ITEM', gsi1pk: 'LIST', gsi1sk: `2024-06-01T00:00:${n}Z#${n}`, n: i };
  });
  const requests: QueryCommandInput[] = [];
  const db = {
    send: async (command: QueryCommand) => {
      const input = command.input;
      requests.push(input);
      const values = input.ExpressionAttributeValues ?? {};
      const ordered = items
        .filter((item) => item.gsi1pk === values[':pk'])
        .filter((item) => values[':from'] === undefined || (String(item.gsi1sk) >= String(values[':from']) && String(item.gsi1sk) <= String(values[':to'])))
        .sort((a, b) => String(a.gsi1sk).localeCompare(String(b.gsi1sk)) * (input.ScanIndexForward === false ? -1 : 1));
      const from = input.ExclusiveStartKey ? ordered.findIndex((item) => item.pk === input.ExclusiveStartKey?.pk) + 1 : 0;
      const page = ordered.slice(from, input.Limit === undefined ? undefined : from + input.Limit);
      const last = page.at(-1);
      const stopped = input.Limit !== undefined && page.length === input.Limit && last;
      return { Items: page, ...(stopped ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, gsi1pk: last.gsi1pk, gsi1sk: last.gsi1sk } } : {}) };
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, requests };
}

const list = { table: 'main', index: 'gsi1', pk: 'LIST' } as const;
const numbers = (items: readonly Item[]) => items.map((i) => i.n);

describe('unit: queryPage', () => {
  it('reads a page of the asked size and then the rest from where it stopped when given its next key', async () => {
    const { db, requests } = partition(5);
    const first = await queryPage(db, list, { limit: 3 });
    expect(numbers(first.items)).toEqual([0, 1, 2]);
    expect(requests[0]).toMatchObject({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', Limit: 3 });
    const second = await queryPage(db, list, { limit: 3, start: first.next });
    expect(numbers(second.items)).toEqual([3, 4]);
    expect(second.next).toBeUndefined();
  });

  it('reads newest first and only the sort keys in range when asked', async () => {
    const { db } = partition(10);
    const page = await queryPage(db, { ...list, descending: true, skBetween: ['2024-06-01T00:00:002Z', '2024-06-01T00:00:006Z#\uffff'] }, { limit: 3 });
    expect(numbers(page.items)).toEqual([6, 5, 4]);
  });

  it('stops at the last kept item when a page fills in the middle of a request', async () => {
    const { db, requests } = partition(20);
    const even = (item: Item) => Number(item.n) % 2 === 0;
    const first = await queryPage(db, list, { limit: 3, keep: even, readSize: 10 });
    expect(numbers(first.items)).toEqual([0, 2, 4]);
    expect(first.next).toEqual({ pk: 'ITEM#004', sk: 'ITEM', gsi1pk: 'LIST', gsi1sk: '2024-06-01T00:00:004Z#004' });
    expect(requests[0]?.Limit).toBe(10);
    const rest = await queryPage(db, list, { limit: 100, keep: even, readSize: 10, start: first.next });
    expect(numbers(rest.items)).toEqual([6, 8, 10, 12, 14, 16, 18]);
    expect(rest.next).toBeUndefined();
  });

  it('answers with what it kept and where it got to when the reads run out', async () => {
    const { db, requests } = partition(30);
    const page = await queryPage(db, list, { limit: 5, keep: (item) => Number(item.n) >= 25, readSize: 10, maxReads: 2 });
    expect(page.items).toEqual([]);
    expect(page.next).toMatchObject({ pk: 'ITEM#019' });
    expect(requests).toHaveLength(2);
  });

  it('gives no next key when the last item of the partition fills the page', async () => {
    const { db } = partition(4);
    const page = await queryPage(db, list, { limit: 2, keep: (item) => Number(item.n) >= 2, readSize: 10 });
    expect(numbers(page.items)).toEqual([2, 3]);
    expect(page.next).toBeUndefined();
  });

  it('reads a whole partition a request at a time when asked for all', async () => {
    const { db } = partition(7);
    expect(numbers(await queryAll(db, { table: 'main', index: 'gsi1', pk: 'LIST' }))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it.each([
    ['another partition', { pk: 'ITEM#001', sk: 'ITEM', gsi1pk: 'OTHER', gsi1sk: 'x' }],
    ['a missing key attribute', { pk: 'ITEM#001', sk: 'ITEM', gsi1pk: 'LIST' }],
    ['an attribute that is no key', { pk: 'ITEM#001', sk: 'ITEM', gsi1pk: 'LIST', gsi1sk: 'x', n: '1' }],
    ['a key that is not a string', { pk: 1, sk: 'ITEM', gsi1pk: 'LIST', gsi1sk: 'x' }],
  ])('refuses a start key from %s with a 400 when paging', async (_label, start) => {
    const { db, requests } = partition(3);
    await expect(queryPage(db, list, { limit: 2, start })).rejects.toThrow(BadRequestError);
    expect(requests).toHaveLength(0);
  });
});

describe('unit: paging cursors', () => {
  it('carries a key through a cursor and back when encoded', () => {
    const key = { pk: 'a', sk: 'b' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it.each(['not-a-cursor', Buffer.from('{"pk":').toString('base64url')])('refuses %s with a 400 when decoding', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(/cursor is not one this service gave out/);
  });
});
