/** Grant profiles: one item per stream and year, beside the ledger (keys.fundingProfile); the latest set wins. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import type { QuarterAmounts } from './quarters.ts';
import type { ProfileStore, StoredProfile } from './setup.ts';

const profileOf = (item: Record<string, unknown>): StoredProfile => ({
  quarterPence: item.quarterPence as QuarterAmounts,
  eventId: String(item.eventId),
  setAt: String(item.setAt),
  published: item.published === true,
});

/** `a` was set after `b` (by time, then eventId, so two profiles set in the same instant still have one winner). */
const later = (a: StoredProfile, b: StoredProfile) => a.setAt > b.setAt || (a.setAt === b.setAt && a.eventId >= b.eventId);

export function buildProfileStore(db: DynamoDBDocumentClient, tableName: string): ProfileStore {
  const get: ProfileStore['get'] = async (stream, financialYear) => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.fundingProfile(stream, financialYear), ConsistentRead: true }));
    return Item ? profileOf(Item) : undefined;
  };
  return {
    get,
    put: async (stream, financialYear, profile) => {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.fundingProfile(stream, financialYear), type: 'funding-profile', stream, financialYear, ...profile, quarterPence: [...profile.quarterPence] },
            ConditionExpression: 'attribute_not_exists(pk) OR #setAt < :at OR (#setAt = :at AND #eventId <= :id)',
            ExpressionAttributeNames: { '#setAt': 'setAt', '#eventId': 'eventId' },
            ExpressionAttributeValues: { ':at': profile.setAt, ':id': profile.eventId },
          }),
        );
        return profile;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return (await get(stream, financialYear)) ?? profile;
      }
    },
    markPublished: async (stream, financialYear, eventId) => {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.fundingProfile(stream, financialYear),
            UpdateExpression: 'SET #published = :true',
            ConditionExpression: '#eventId = :id',
            ExpressionAttributeNames: { '#published': 'published', '#eventId': 'eventId' },
            ExpressionAttributeValues: { ':true': true, ':id': eventId },
          }),
        );
      } catch (error) {
        // A later profile replaced this one meanwhile: its own request marks it.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}

export function memoryProfileStore(): ProfileStore & { profiles: Map<string, StoredProfile> } {
  const profiles = new Map<string, StoredProfile>();
  const id = (stream: string, fy: string) => `${stream}#${fy}`;
  return {
    profiles,
    get: async (stream, fy) => profiles.get(id(stream, fy)),
    put: async (stream, fy, profile) => {
      const stored = profiles.get(id(stream, fy));
      if (stored && !later(profile, stored)) return stored;
      profiles.set(id(stream, fy), profile);
      return profile;
    },
    markPublished: async (stream, fy, eventId) => {
      const stored = profiles.get(id(stream, fy));
      if (stored?.eventId === eventId) profiles.set(id(stream, fy), { ...stored, published: true });
    },
  };
}
