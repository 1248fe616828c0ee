import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TooManyRequestsError } from './errors.ts';
import { keys } from './keys.ts';

export interface RateLimit {
  /** Requests allowed per client in one window. */
  limit: number;
  windowSeconds: number;
}

/** What a public route limits, the setting that changes it ("requests/seconds") and the default. */
export const rateLimitedRoutes = {
  /** POST /reports: 20 reports per connection an hour. */
  reports: { setting: 'SC_REPORT_RATE_LIMIT', byDefault: { limit: 20, windowSeconds: 3600 }, what: 'reports' },
  /** POST /case-reviews: applications are rare (one person, one review), so 5 an hour is generous. */
  'case-reviews': { setting: 'SC_CASE_REVIEW_RATE_LIMIT', byDefault: { limit: 5, windowSeconds: 3600 }, what: 'applications' },
} as const satisfies Record<string, { setting: string; byDefault: RateLimit; what: string }>;

export type RateLimitScope = keyof typeof rateLimitedRoutes;

/** The scope's limit from its setting (e.g. SC_REPORT_RATE_LIMIT="20/3600"), read per request; the default if unset or malformed. */
export function rateLimitOf(scope: RateLimitScope, env: NodeJS.ProcessEnv = process.env): RateLimit {
  const { setting, byDefault } = rateLimitedRoutes[scope];
  const m = /^(\d+)\/(\d+)$/.exec(env[setting] ?? '');
  return m && Number(m[1]) > 0 && Number(m[2]) > 0 ? { limit: Number(m[1]), windowSeconds: Number(m[2]) } : byDefault;
}

/**
 * Counts a client's requests per fixed window in one conditional item per client and
 * window; the request over the limit is refused. The client is known by a hash of its IP
 * address (personal data is not kept), and the counter expires with its window.
 */
export const buildTakeRateLimit =
  (db: DynamoDBDocumentClient, tableName: string, settings: (scope: RateLimitScope) => RateLimit = rateLimitOf, now: () => Date = () => new Date()) =>
  async (scope: RateLimitScope, clientIp: string): Promise<void> => {
    const { limit, windowSeconds } = settings(scope);
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
        `too many ${rateLimitedRoutes[scope].what} have been sent from your connection; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or telephone the council`,
        Math.max(1, wait),
      );
    }
  };
