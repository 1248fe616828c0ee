import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { retention } from '#shared/retention';
import { keys } from '#shared/keys';
import type { ContactInput } from './report-input.ts';

/**
 * The contact vault: contact details live in one item, found only by their opaque token, and
 * expire. One person keeps one token: an e-mail address or phone number given before finds the
 * contactRef it was given under (through an item keyed by a digest of it, in the same vault
 * that already holds the details themselves), so a second report, or an ASB Case Review
 * application, by the same person carries the same contactRef.
 */
export const identities = (contact: Pick<ContactInput, 'email' | 'phone'>): string[] => {
  const email = contact.email?.trim().toLowerCase();
  const digits = contact.phone?.replace(/[^0-9]/g, '').replace(/^44/, '0');
  return [...(email ? [`email:${email}`] : []), ...(digits ? [`phone:${digits}`] : [])].map((id) => createHash('sha256').update(id).digest('hex'));
};

const newContactRef = () => `ct_${randomUUID().replaceAll('-', '')}`;

export const buildSaveContact =
  (db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) =>
  async (contact: ContactInput): Promise<string> => {
    const created = now();
    const expiresAt = Math.floor(created.getTime() / 1000) + retention.reporterContactDays * 86400;
    // 1. The token this person was given before, by any of their addresses.
    const digests = identities(contact);
    const known = await Promise.all(digests.map(async (d) => (await db.send(new GetCommand({ TableName: tableName, Key: keys.contactIdentity(d) }))).Item?.contactRef as string | undefined));
    const found = known.find((ref) => ref !== undefined);
    let contactRef = found ?? newContactRef();
    let minted = found === undefined;
    // 2. Each address points at it; of two first reports at once, the first claim wins and the other takes its token.
    for (const [i, digest] of digests.entries()) {
      if (known[i] !== undefined) continue;
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.contactIdentity(digest), type: 'contact-identity', contactRef, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const winner = (await db.send(new GetCommand({ TableName: tableName, Key: keys.contactIdentity(digest), ConsistentRead: true }))).Item?.contactRef;
        if (typeof winner === 'string' && minted) {
          contactRef = winner;
          minted = false;
        }
      }
    }
    // 3. The latest details, kept for the retention period from now.
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.contact(contactRef),
        UpdateExpression: 'SET #type = :type, #contact = :contact, #expiresAt = :expiresAt, #createdAt = if_not_exists(#createdAt, :now), #updatedAt = :now',
        ExpressionAttributeNames: { '#type': 'type', '#contact': 'contact', '#expiresAt': 'expiresAt', '#createdAt': 'createdAt', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':type': 'contact', ':contact': contact, ':expiresAt': expiresAt, ':now': created.toISOString() },
      }),
    );
    return contactRef;
  };

/** The details held under a token, if they have not expired (for telling the person something). */
export const buildGetContact = (db: DynamoDBDocumentClient, tableName: string) => async (contactRef: string) =>
  (await db.send(new GetCommand({ TableName: tableName, Key: keys.contact(contactRef) }))).Item?.contact as ContactInput | undefined;

/**
 * Notes that the person behind a token reported now, and answers when they last reported
 * before (ISO instant), if the vault knows.
 */
export const buildNoteReport =
  (db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) =>
  async (contactRef: string): Promise<string | undefined> => {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.contact(contactRef),
        UpdateExpression: 'SET #last = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#last': 'lastReportedAt' },
        ExpressionAttributeValues: { ':now': now().toISOString() },
        ReturnValues: 'UPDATED_OLD',
      }),
    ).catch((error: unknown) => {
      if (error instanceof ConditionalCheckFailedException) return { Attributes: undefined };
      throw error;
    });
    return typeof Attributes?.lastReportedAt === 'string' ? Attributes.lastReportedAt : undefined;
  };
