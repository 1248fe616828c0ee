/**
 * The pipeline's write calls sent again bare, from a plain client: the same tables, items,
 * conditions and expressions, on keys of their own (the partition key's value with `#bare`
 * after it). What a part of the pipeline costs beyond these is its own work (bench/run.ts,
 * bench/pipeline-parts.ts).
 */
import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tables, type TableDef } from '../infra/resources.ts';
import { localTableName } from '../infra/local/stores.ts';

/** Each table's partition key attribute, by its local name. */
const partitionKeys = new Map((Object.values(tables) as TableDef[]).map((def) => [localTableName(def), def.partitionKey]));

/** A write call as the pipeline sent it (marshalled), on a key of its own. */
export function bareWrite(client: DynamoDBClient, operation: string, input: Record<string, unknown>): Promise<unknown> {
  const copy = structuredClone(input) as Record<string, any>;
  const rekey = (table: string, item: Record<string, { S?: string }> | undefined) => {
    const attribute = partitionKeys.get(table);
    const value = attribute ? item?.[attribute] : undefined;
    if (value?.S !== undefined) value.S = `${value.S}#bare`;
  };
  switch (operation) {
    case 'PutItem':
      rekey(copy.TableName, copy.Item);
      return client.send(new PutItemCommand(copy as never));
    case 'UpdateItem':
      rekey(copy.TableName, copy.Key);
      return client.send(new UpdateItemCommand(copy as never));
    case 'DeleteItem':
      rekey(copy.TableName, copy.Key);
      return client.send(new DeleteItemCommand(copy as never));
    case 'BatchWriteItem':
      for (const [table, requests] of Object.entries(copy.RequestItems as Record<string, any[]>)) {
        for (const r of requests) rekey(table, r.PutRequest?.Item ?? r.DeleteRequest?.Key);
      }
      return client.send(new BatchWriteItemCommand(copy as never));
    default:
      throw new Error(`the bench cannot send ${operation} again`);
  }
}
