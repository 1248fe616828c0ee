import { createHash, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import { queryAll } from '#shared/paged-query';

/**
 * Open311 API keys, one per client, revocable. A key is 256 random bits, shown once when it is
 * made; only its SHA-256 is stored (a fast hash is enough for a secret this long: there is no
 * dictionary to try). Items: the key (found by hash, names its client) and the client (lists
 * clients, says which key hash is current).
 */
export const CLIENT_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const hashApiKey = (apiKey: string) => createHash('sha256').update(apiKey, 'utf8').digest('hex');
export const newApiKey = () => `o311_${randomBytes(32).toString('base64url')}`;

export interface ClientInfo {
  readonly client: string;
  readonly status: 'active' | 'revoked';
  readonly createdAt: string;
  readonly revokedAt?: string;
}

export class ApiKeyError extends Error {
  override name = 'ApiKeyError';
}

export function buildApiKeys(db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) {
  const checkName = (client: string) => {
    if (!CLIENT_NAME.test(client)) throw new ApiKeyError('a client name is 2 to 63 lower-case letters, digits or hyphens, like fixmystreet');
  };

  /** Makes a key for a client that has none active; returns the key, which is never stored. */
  async function create(client: string): Promise<string> {
    checkName(client);
    const apiKey = newApiKey();
    const keyHash = hashApiKey(apiKey);
    const createdAt = now().toISOString();
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.open311ApiKey(keyHash), type: 'open311-key', client, createdAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.open311Client(client),
            type: 'open311-client',
            client,
            keyHash,
            status: 'active',
            createdAt,
            gsi1pk: keys.open311Clients(),
            gsi1sk: client,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :revoked',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'revoked' },
        }),
      );
    } catch (error) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: keys.open311ApiKey(keyHash) }));
      if (error instanceof ConditionalCheckFailedException) {
        throw new ApiKeyError(`${client} already has an active key: revoke it first`);
      }
      throw error;
    }
    return apiKey;
  }

  /** The key stops working at once; the client may be given a new one. */
  async function revoke(client: string): Promise<void> {
    checkName(client);
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.open311Client(client), ConsistentRead: true }));
    if (!Item || Item.status !== 'active') throw new ApiKeyError(`${client} has no active key`);
    const revokedAt = now().toISOString();
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.open311ApiKey(String(Item.keyHash)),
        UpdateExpression: 'SET revokedAt = :at',
        ExpressionAttributeValues: { ':at': revokedAt },
      }),
    );
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.open311Client(client),
        UpdateExpression: 'SET #status = :revoked, revokedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': 'revoked', ':at': revokedAt },
      }),
    );
  }

  async function list(): Promise<ClientInfo[]> {
    const items = await queryAll(db, { table: tableName, index: 'gsi1', pk: keys.open311Clients() });
    return items.map((item) => ({
      client: String(item.client),
      status: item.status === 'active' ? 'active' : 'revoked',
      createdAt: String(item.createdAt),
      ...(item.revokedAt ? { revokedAt: String(item.revokedAt) } : {}),
    }));
  }

  /** The client a key belongs to, or undefined for a key that is unknown or revoked. */
  async function authenticate(apiKey: string | undefined): Promise<string | undefined> {
    if (!apiKey || apiKey.length > 200) return undefined;
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.open311ApiKey(hashApiKey(apiKey)), ConsistentRead: true }));
    if (!Item || Item.revokedAt !== undefined) return undefined;
    return String(Item.client);
  }

  return { create, revoke, list, authenticate };
}
export type ApiKeys = ReturnType<typeof buildApiKeys>;
