import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchWrite, type WriteRequest } from '#shared/batch-write';

type Sent = { RequestItems: Record<string, WriteRequest[]> };

/** A client answering each batch with what `unprocessed` leaves of it. */
const fakeDb = (unprocessed: (batch: WriteRequest[], call: number) => WriteRequest[]) => {
  const sent: WriteRequest[][] = [];
  const db = {
    send: async (command: { input: Sent }) => {
      const batch = command.input.RequestItems.main ?? [];
      sent.push(batch);
      const left = unprocessed(batch, sent.length);
      return left.length ? { UnprocessedItems: { main: left } } : {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
};

const deletes = (n: number): WriteRequest[] => Array.from({ length: n }, (_, i) => ({ DeleteRequest: { Key: { pk: `p${i}`, sk: 'S' } } }));

describe('unit: batchWrite', () => {
  afterEach(() => vi.useRealTimers());

  it('sends 25 a batch and sends again only what was left unprocessed', async () => {
    vi.useFakeTimers();
    const { db, sent } = fakeDb((batch, call) => (call === 1 ? batch.slice(20) : []));
    const done = batchWrite(db, 'main', deletes(30), 'the test');
    await vi.runAllTimersAsync();
    await done;
    expect(sent.map((b) => b.length)).toEqual([25, 5, 5]);
    expect(sent[1]).toEqual(deletes(25).slice(20));
  });

  it('throws, naming what and how many, when some stay unprocessed after 8 attempts, rather than dropping them', async () => {
    vi.useFakeTimers();
    const { db, sent } = fakeDb((batch) => (batch.length > 1 ? batch.slice(1) : batch));
    const done = batchWrite(db, 'main', deletes(3), "the retention sweep's deletions");
    const outcome = expect(done).rejects.toThrow("1 items of the retention sweep's deletions left unwritten after 8 attempts");
    await vi.runAllTimersAsync();
    await outcome;
    expect(sent.map((b) => b.length)).toEqual([3, 2, 1, 1, 1, 1, 1, 1]);
  });

  it('sends nothing for nothing', async () => {
    const { db, sent } = fakeDb(() => []);
    await batchWrite(db, 'main', [], 'nothing');
    expect(sent).toEqual([]);
  });
});
