import { DeleteItemCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { tables, type TableDef } from '../resources.ts';
import { localTableName } from './stores.ts';

/**
 * DynamoDB's time to live, which dynalite lacks: deletes the items whose TTL attribute (epoch
 * seconds) has passed, so retention periods hold on this machine too. AWS deletes within
 * about two days of expiry; this sweeps every few minutes.
 */
export async function sweepExpired(client: DynamoDBClient, now: Date = new Date(), stopping: () => boolean = () => false): Promise<number> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let deleted = 0;
  for (const def of Object.values(tables) as TableDef[]) {
    if (!def.ttlAttribute) continue;
    const TableName = localTableName(def);
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName,
          FilterExpression: '#ttl < :now',
          ExpressionAttributeNames: { '#ttl': def.ttlAttribute },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (stopping()) return deleted;
        const Key: Record<string, AttributeValue> = {};
        for (const attr of [def.partitionKey, def.sortKey]) if (attr && item[attr]) Key[attr] = item[attr];
        await client.send(new DeleteItemCommand({ TableName, Key }));
        deleted += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start && !stopping());
  }
  return deleted;
}

/** Sweeps every `everyMs`; `stop()` cancels the timer and waits for a sweep under way to reach its next item and end. */
export function startTtlSweeper(client: DynamoDBClient, everyMs: number, onError: (error: unknown) => void) {
  let stopped = false;
  let sweeping: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (sweeping) return; // the last one is still going: no second sweep over the same items
    sweeping = sweepExpired(client, new Date(), () => stopped)
      .catch(onError)
      .finally(() => (sweeping = undefined));
  }, everyMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await sweeping;
    },
  };
}
