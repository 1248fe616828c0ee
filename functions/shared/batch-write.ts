import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type WriteRequest = { readonly PutRequest: { readonly Item: Record<string, unknown> } } | { readonly DeleteRequest: { readonly Key: Record<string, unknown> } };

const ATTEMPTS = 8;

/**
 * BatchWriteItem in chunks of 25, retrying (with backoff) what DynamoDB leaves unprocessed. If
 * some are still unprocessed after every attempt (throttled throughout) it throws, naming `what`,
 * so the caller fails and is retried rather than dropping writes: every request here must be
 * safe to repeat (puts of whole items, deletes).
 */
export async function batchWrite(db: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[], what: string): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: readonly WriteRequest[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending && pending.length > 0 && attempt < ATTEMPTS; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as WriteRequest[] } }));
      pending = out.UnprocessedItems?.[tableName] as WriteRequest[] | undefined;
    }
    if (pending && pending.length > 0) throw new Error(`${pending.length} items of ${what} left unwritten after ${ATTEMPTS} attempts`);
  }
}
