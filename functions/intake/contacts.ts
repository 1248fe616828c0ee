import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { retention } from '#shared/retention';
import { keys } from '#shared/keys';
import type { ContactInput } from './report-input.ts';

/** Contact details live in one item, found only by their opaque token, and expire. */
export const buildSaveContact =
  (db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) =>
  async (contact: ContactInput): Promise<string> => {
    const contactRef = `ct_${randomUUID().replaceAll('-', '')}`;
    const created = now();
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.contact(contactRef),
          type: 'contact',
          contact,
          createdAt: created.toISOString(),
          expiresAt: Math.floor(created.getTime() / 1000) + retention.reporterContactDays * 86400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return contactRef;
  };
