/**
 * The one write a consumer whose own writes are idempotent needs in front of them: a claim on
 * the event, in the idempotency table, keyed by the function and the eventId. It keeps a digest
 * of the event's detail and the time of the first delivery, so
 * - a redelivery (the same detail) is told the first delivery's time, and its handler writes
 *   exactly what the first wrote (its writes are idempotent by themselves, so applying it again
 *   changes nothing);
 * - an event with the same eventId and other content is refused (ConflictingEventError, flagged
 *   and dead-lettered by the consumer), whichever items its handler would have touched.
 * One conditional UpdateItem, where Powertools idempotency costs a PutItem and an UpdateItem.
 * It does not stop two deliveries running at once, nor record that the handler finished: a
 * consumer may use it only if re-running its handler on the same event is harmless.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictingEventError } from './event-errors.ts';

/** JSON with every object's keys sorted, so the digest does not depend on the order a producer wrote them in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const digestOfDetail = (detail: unknown): string => createHash('sha256').update(canonical(detail)).digest('base64url');

export interface Claim {
  /** True for the first delivery of this eventId to this function. */
  readonly first: boolean;
  /** The bus time of the first delivery: what every delivery of the event is applied with. */
  readonly time: string;
}

export interface ClaimRequest {
  functionName: string;
  eventId: string;
  /** digestOfDetail of the delivered detail, as it came (before parsing). */
  digest: string;
  /** This delivery's bus time. */
  time: string;
}

/** Kept as long as Powertools keeps its records (the table's TTL attribute is `expiration`). */
export const CLAIM_SECONDS = 7 * 24 * 3600;

export function buildEventClaims(db: DynamoDBClient, table: () => string, now: () => number = Date.now) {
  return async function claim({ functionName, eventId, digest, time }: ClaimRequest): Promise<Claim> {
    try {
      const { Attributes } = await db.send(
        new UpdateItemCommand({
          TableName: table(),
          Key: { id: { S: `${functionName}#event#${eventId}` } },
          // The first delivery's digest and time stay; a redelivery only reads them back.
          UpdateExpression: 'SET #digest = if_not_exists(#digest, :digest), #time = if_not_exists(#time, :time), #expiration = if_not_exists(#expiration, :expiration)',
          ConditionExpression: 'attribute_not_exists(#digest) OR #digest = :digest',
          ExpressionAttributeNames: { '#digest': 'digest', '#time': 'time', '#expiration': 'expiration' },
          ExpressionAttributeValues: {
            ':digest': { S: digest },
            ':time': { S: time },
            ':expiration': { N: String(Math.floor(now() / 1000) + CLAIM_SECONDS) },
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      // ALL_OLD: nothing for the first delivery (no claim was there), the kept claim for a redelivery.
      const firstTime = Attributes?.time?.S;
      return firstTime === undefined ? { first: true, time } : { first: false, time: firstTime };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new ConflictingEventError(`event ${eventId} has the same eventId as one already applied but different content: it is not applied; find which is right`);
    }
  };
}
