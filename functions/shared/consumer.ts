import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import type { EventContract, DetailOf } from '#events/contract';
import { dynamodb } from './clients.ts';
import { setting } from './config.ts';
import { logger, metrics } from './powertools.ts';

/** The parts of the EventBridge envelope a consumer may use, with the detail parsed by its contract. */
export interface ConsumedEvent<C extends EventContract> {
  readonly contract: C;
  readonly detail: DetailOf<C>;
  readonly source: string;
  readonly detailType: string;
  /** When the bus received it (not when it happened: that is detail.occurredAt). */
  readonly time: string;
  readonly envelopeId: string;
}

export class UnexpectedEventError extends Error {
  override name = 'UnexpectedEventError';
}

export function parseEvent<C extends EventContract>(contracts: readonly C[], raw: unknown): ConsumedEvent<C> {
  const envelope = EventBridgeSchema.parse(raw);
  const contract = contracts.find((c) => c.source === envelope.source && c.detailType === envelope['detail-type']);
  if (!contract) {
    throw new UnexpectedEventError(`no contract here for ${envelope.source} / ${envelope['detail-type']}`);
  }
  return {
    contract,
    detail: contract.detail.parse(envelope.detail) as DetailOf<C>,
    source: envelope.source,
    detailType: envelope['detail-type'],
    time: envelope.time,
    envelopeId: envelope.id,
  };
}

type Request = middy.Request<unknown, unknown, Error, Context>;
type MiddlewareObj = middy.MiddlewareObj<unknown, unknown, Error, Context>;

/**
 * Powertools idempotency, keyed per function: the record's key starts with the invoked
 * function's name, so two functions consuming the same event each apply it once. (The
 * default prefix comes from AWS_LAMBDA_FUNCTION_NAME, which functions sharing one process
 * locally would share.) Built on first invocation, when the function's name is known.
 */
function idempotentPerFunction(): MiddlewareObj {
  let inner: MiddlewareObj | undefined;
  const of = (request: Request) =>
    (inner ??= makeHandlerIdempotent({
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: setting('idempotencyTable'), awsSdkV3Client: dynamodb }),
      config: new IdempotencyConfig({ eventKeyJmesPath: 'detail.eventId', expiresAfterSeconds: 7 * 24 * 3600 }),
      keyPrefix: request.context.functionName,
    }) as MiddlewareObj);
  return {
    before: (request) => of(request).before?.(request),
    after: (request) => of(request).after?.(request),
    onError: (request) => of(request).onError?.(request),
  };
}

/**
 * An EventBridge consumer: each delivery is parsed against the contracts it subscribes to and
 * handled once per detail.eventId (a redelivery or a producer retry returns the first result).
 * A failure throws, so Lambda's async retries and then the dead-letter queue take over.
 */
export function eventConsumer<C extends EventContract>(
  contracts: readonly C[],
  handle: (event: ConsumedEvent<C>) => Promise<void>,
) {
  const run = async (raw: unknown, _context: Context): Promise<{ eventId: string }> => {
    const event = parseEvent(contracts, raw);
    const { eventId } = event.detail as { eventId: string };
    logger.appendKeys({ eventId, detailType: event.detailType });
    await handle(event);
    metrics.addMetric('EventsApplied', MetricUnit.Count, 1);
    return { eventId };
  };
  return middy(run)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use({
      before: () => {
        // Counted before the idempotency check: deliveries received vs. EventsApplied shows duplicates.
        metrics.addMetric('EventsReceived', MetricUnit.Count, 1);
      },
    })
    .use(idempotentPerFunction());
}
