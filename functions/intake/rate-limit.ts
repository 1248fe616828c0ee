import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TooManyRequestsError } from '#shared/errors';
import { keys } from '#shared/keys';

export interface RateLimit {
  /** Requests allowed per client in one window. */
  limit: number;
  windowSeconds: number;
}

/** SC_REPORT_RATE_LIMIT="20/3600": 20 reports per client per hour (the default). */
export function rateLimitFromEnv(value = process.env.SC_REPORT_RATE_LIMIT): RateLimit {
  const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
  return m ? { limit: Number(m[1]), windowSeconds: Number(m[2]) } : { limit: 20, windowSeconds: 3600 };
}

/**
 * Counts a client's requests per fixed window in one conditional item per client and
 * window; the request over the limit is refused. The client is known by a hash of its IP
 * address (personal data is not kept), and the counter expires with its window.
 */
export const buildTakeRateLimit =
  (db: DynamoDBDocumentClient, tableName: string, settings: () => RateLimit = rateLimitFromEnv, now: () => Date = () => new Date()) =>
  async (scope: string, clientIp: string): Promise<void> => {
    const { limit, windowSeconds } = settings();
    const seconds = Math.floor(now().getTime() / 1000);
    const windowStart = seconds - (seconds % windowSeconds);
    const client = createHash('sha256').update(`${scope}:${clientIp}`).digest('hex').slice(0, 32);
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.rateLimit(`${scope}#${client}`, String(windowStart)),
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': windowStart + windowSeconds + 3600 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const wait = windowStart + windowSeconds - seconds;
      const minutes = Math.ceil(wait / 60);
      throw new TooManyRequestsError(
        `too many reports have been sent from your connection; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or telephone the council`,
        Math.max(1, wait),
      );
    }
  };
