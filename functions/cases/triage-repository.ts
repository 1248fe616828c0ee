import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';

/** A claim not completed within this time (the function died between claim and publish) may be taken over. */
export const CLAIM_STALE_AFTER_MS = 2 * 60 * 1000;

export type ClaimResult = 'claimed' | 'decided' | 'busy';

/**
 * One triage decision per report: the deciding request claims the report's TRIAGE item with a
 * conditional put before it puts its event, so two officers deciding at once cannot both open
 * a case for it. The report item itself only changes when the event is projected.
 */
export const buildTriageClaims = (db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) => ({
  claim: async (reportId: string, claimId: string): Promise<ClaimResult> => {
    const at = now();
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.reportTriage(reportId), type: 'triage-claim', claimId, state: 'pending', claimedAt: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :pending AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':stale': new Date(at.getTime() - CLAIM_STALE_AFTER_MS).toISOString() },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.reportTriage(reportId) }));
      return Item?.state === 'decided' ? 'decided' : 'busy';
    }
  },
  complete: (reportId: string, claimId: string, eventId: string) =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.reportTriage(reportId),
        UpdateExpression: 'SET #state = :decided, eventId = :eventId',
        ConditionExpression: 'claimId = :claimId',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':decided': 'decided', ':eventId': eventId, ':claimId': claimId },
      }),
    ),
  release: async (reportId: string, claimId: string) => {
    try {
      await db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: keys.reportTriage(reportId),
          ConditionExpression: 'claimId = :claimId AND #state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimId': claimId, ':pending': 'pending' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  },
});

export type TriageClaims = ReturnType<typeof buildTriageClaims>;
