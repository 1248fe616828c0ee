import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import { TOLERANCE_SECONDS } from './signature.ts';

/**
 * Signed messages already accepted, one small item each, kept only while their timestamp could
 * still pass the freshness check (plus a minute). A message is new if no item exists or the
 * item has expired: correctness does not wait for DynamoDB's TTL sweeper, which only keeps the
 * store from growing.
 */
export const buildRememberMessage =
  (db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) =>
  async (messageDigest: string, timestamp: number): Promise<'new' | 'seen'> => {
    const nowSeconds = Math.floor(now().getTime() / 1000);
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.discSeenMessage(messageDigest), type: 'disc-seen', expiresAt: timestamp + TOLERANCE_SECONDS + 60 },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return 'new';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'seen';
      throw error;
    }
  };
