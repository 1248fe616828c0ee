import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { IdempotencyConfig, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import type { z } from 'zod';
import type { EventContract, DetailOf } from '#events/contract';
import { dynamodb } from './clients.ts';
import { buildEventClaims, digestOfDetail } from './event-claim.ts';
import { ConflictingEventError, RefusedEventError } from './event-errors.ts';
import { setting } from './config.ts';
import { correlated, correlationOfEvent } from './correlation.ts';
import { logger, metrics, publishMetrics } from './powertools.ts';
import { tracing } from './tracing.ts';
import type { ContractsOf, FunctionDeclaration } from './wiring.ts';

/**
 * One delivery, parsed by the contract it matched. A union over the contracts a consumer
 * subscribes to, discriminated by `detailType`: `if (event.detailType === 'CaseOpened')`
 * narrows `event.detail` with no cast.
 */
export type ConsumedEvent<C extends EventContract> = C extends EventContract
  ? EventOf<C> & {
      readonly contract: C;
      /** When the bus received it (not when it happened: that is detail.occurredAt). */
      readonly time: string;
      readonly envelopeId: string;
    }
  : never;

/** What a projection needs of an event: its source, detail-type and detail, as a union over contracts. */
export type EventOf<C extends EventContract> = C extends EventContract
  ? { readonly source: C['source']; readonly detailType: C['detailType']; readonly detail: DetailOf<C> }
  : never;

export type BusEnvelope = z.infer<typeof EventBridgeSchema>;

export class UnexpectedEventError extends Error {
  override name = 'UnexpectedEventError';
}

export function parseEvent<C extends EventContract>(contracts: readonly C[], raw: unknown): ConsumedEvent<C> {
  const envelope = EventBridgeSchema.parse(raw);
  const contract = contracts.find((c) => c.source === envelope.source && c.detailType === envelope['detail-type']);
  if (!contract) {
    throw new UnexpectedEventError(`no contract here for ${envelope.source} / ${envelope['detail-type']}`);
  }
  // A newer version may mean something else in fields of the same name: never read it as ours.
  const { schemaVersion, eventId } = (envelope.detail ?? {}) as { schemaVersion?: unknown; eventId?: unknown };
  if (typeof schemaVersion === 'number' && schemaVersion > contract.version) {
    throw new UnexpectedEventError(
      `cannot apply ${contract.detailType} ${String(eventId)}: schemaVersion ${schemaVersion} is newer than this consumer knows (it knows ${contract.version})`,
    );
  }
  return {
    contract,
    detail: contract.detail.parse(envelope.detail),
    source: envelope.source,
    detailType: envelope['detail-type'],
    time: envelope.time,
    envelopeId: envelope.id,
  } as ConsumedEvent<C>;
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
      // The stored record keeps a hash of the whole detail: the same eventId with other content fails.
      config: new IdempotencyConfig({ eventKeyJmesPath: 'detail.eventId', payloadValidationJmesPath: 'detail', expiresAfterSeconds: 7 * 24 * 3600 }),
      keyPrefix: request.context.functionName,
    }) as MiddlewareObj);
  return {
    before: (request) => of(request).before?.(request),
    after: (request) => of(request).after?.(request),
    // Powertools deletes the key's record on any error; a conflict's record is the FIRST event's,
    // which must stay, or the conflicting event would be applied on its retry.
    onError: (request) => (request.error instanceof IdempotencyValidationError ? undefined : of(request).onError?.(request)),
  };
}

/**
 * An event whose eventId was applied before with other content is a producer's bug or a
 * forgery: it is logged, counted (EventIdConflicts, worth an alarm) and dead-lettered with the
 * reason, never dropped as a duplicate nor applied over the first.
 */
export function flagConflict(error: unknown, detail: unknown): Error | undefined {
  if (!(error instanceof IdempotencyValidationError || error instanceof ConflictingEventError)) return undefined;
  const { eventId } = (detail ?? {}) as { eventId?: unknown };
  logger.error('an event with the same eventId as one already applied carries different content', { eventId: String(eventId) });
  metrics.addMetric('EventIdConflicts', MetricUnit.Count, 1);
  return error instanceof ConflictingEventError
    ? error
    : new ConflictingEventError(`event ${String(eventId)} has the same eventId as one already applied but different content: it is not applied; find which is right`);
}

/** Conflicts flagged as above; an event refused for what it is (an unknown version or ledger) is logged and counted (EventsRefused). */
const refusalsFlagged: MiddlewareObj = {
  onError: (request) => {
    const detail = (request.event as { detail?: unknown } | undefined)?.detail;
    const flagged = flagConflict(request.error, detail);
    if (flagged) request.error = flagged;
    else if (request.error instanceof UnexpectedEventError || request.error instanceof RefusedEventError) {
      logger.warn('event refused: it goes to the dead-letter queue', { reason: request.error.message });
      metrics.addMetric('EventsRefused', MetricUnit.Count, 1);
    }
  },
};

/** The part of every consumer's stack: logs with the invocation's context, metrics flushed. */
function consumerStack<R>(run: (raw: unknown, context: Context) => Promise<R>) {
  const delivered = (raw: unknown, context: Context) => {
    const envelope = (raw ?? {}) as { detail?: unknown; id?: unknown };
    return correlationOfEvent(envelope.detail, typeof envelope.id === 'string' ? envelope.id : context.awsRequestId);
  };
  return middy(correlated(delivered, run))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(tracing())
    .use(publishMetrics())
    .use({
      before: () => {
        // Counted before the idempotency check: deliveries received vs. EventsApplied shows duplicates
        // (with 'own-writes', a redelivery is applied again and counted as EventsReapplied too).
        metrics.addMetric('EventsReceived', MetricUnit.Count, 1);
      },
    });
}

export interface ConsumerOptions {
  /**
   * How a consumer applies each detail.eventId once (docs/architecture.md, "Idempotent consumers"):
   * - `'powertools'` (the default): Powertools idempotency, a record put before the handler and
   *   completed after it (two writes); a redelivery is not handled again.
   * - `'own-writes'`: the handler's writes are idempotent by themselves (applying the same event
   *   again, with the same time, changes nothing, in any order with other events). One claim
   *   write per delivery (`event-claim.ts`) keeps the conflict check and the first delivery's
   *   time; a redelivery is handled again with that time. Only for a consumer whose writes have
   *   been shown to be so, by a test that delivers the same event twice and a conflict.
   */
  idempotency?: 'powertools' | 'own-writes';
}

const claimEvent = buildEventClaims(dynamodb, () => setting('idempotencyTable'));

/**
 * An EventBridge consumer of the contracts its declaration subscribes to: each delivery is
 * parsed by its contract and applied once per detail.eventId (a redelivery or a producer retry
 * changes nothing; the same eventId with other content is flagged, never applied). A failure
 * throws, so Lambda's async retries and then the dead-letter queue take over.
 */
export function eventConsumer<D extends FunctionDeclaration & { subscription: { contracts: readonly EventContract[] } }>(
  declaration: D,
  handle: (event: ConsumedEvent<ContractsOf<D>>) => Promise<void>,
  options: ConsumerOptions = {},
) {
  const contracts = declaration.subscription.contracts as readonly ContractsOf<D>[];
  const ownWrites = options.idempotency === 'own-writes';
  const run = async (raw: unknown, context: Context): Promise<{ eventId: string }> => {
    let event = parseEvent(contracts, raw);
    const { eventId } = event.detail as { eventId: string };
    logger.appendKeys({ eventId, detailType: event.detailType });
    if (ownWrites) {
      const digest = digestOfDetail((raw as { detail?: unknown }).detail);
      const claim = await claimEvent({ functionName: context.functionName, eventId, digest, time: event.time });
      if (!claim.first) {
        // A redelivery, a producer's retry or a retry after a failure: applied as the first was.
        metrics.addMetric('EventsReapplied', MetricUnit.Count, 1);
        event = { ...event, time: claim.time };
      }
    }
    await handle(event);
    metrics.addMetric('EventsApplied', MetricUnit.Count, 1);
    return { eventId };
  };
  const stack = consumerStack(run).use(refusalsFlagged);
  const handler = ownWrites ? stack : stack.use(idempotentPerFunction());
  return Object.assign(handler, {
    wiring: { name: declaration.name, contracts: contracts.map((c) => `${c.source} ${c.detailType}`), idempotency: options.idempotency ?? 'powertools' },
  });
}

/**
 * A consumer that takes events whole, whatever their contract (the archive). Its writes must
 * be idempotent by themselves (a key made from the event).
 */
export function envelopeConsumer<D extends FunctionDeclaration & { subscription: { pattern: object } }, R>(
  declaration: D,
  handle: (envelope: BusEnvelope) => Promise<R>,
) {
  const handler = consumerStack(async (raw: unknown) => {
    const envelope = EventBridgeSchema.parse(raw);
    logger.appendKeys({ envelopeId: envelope.id, detailType: envelope['detail-type'] });
    const result = await handle(envelope);
    metrics.addMetric('EventsApplied', MetricUnit.Count, 1);
    return result;
  });
  return Object.assign(handler, { wiring: { name: declaration.name, contracts: [] as string[] } });
}
