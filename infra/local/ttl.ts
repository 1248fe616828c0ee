import { DeleteItemCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { tables, type TableDef } from '../resources.ts';
import { localTableName } from './stores.ts';

/**
 * DynamoDB's time to live, which dynalite lacks: deletes the items whose TTL attribute (epoch
 * seconds) has passed, so retention periods hold on this machine too. AWS deletes within
 * about two days of expiry; this sweeps every few minutes.
 */
export async function sweepExpired(client: DynamoDBClient, now: Date = new Date()): Promise<number> {
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
        const Key: Record<string, AttributeValue> = {};
        for (const attr of [def.partitionKey, def.sortKey]) if (attr && item[attr]) Key[attr] = item[attr];
        await client.send(new DeleteItemCommand({ TableName, Key }));
        deleted += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return deleted;
}

export function startTtlSweeper(client: DynamoDBClient, everyMs: number, onError: (error: unknown) => void) {
  const timer = setInterval(() => void sweepExpired(client).catch(onError), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
