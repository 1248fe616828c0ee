import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Sets attributes on an item that must already be there (a claim marked published, an import's
 * outcome): DynamoDB's ConditionalCheckFailedException if it is not, never a new half item.
 */
export async function setOnItem(db: DynamoDBDocumentClient, tableName: string, key: { pk: string; sk: string }, values: Readonly<Record<string, unknown>>): Promise<void> {
  const names = Object.keys(values);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
    }),
  );
}
