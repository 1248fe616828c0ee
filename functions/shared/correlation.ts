import { AsyncLocalStorage } from 'node:async_hooks';
import { logger } from './powertools.ts';
import { annotate } from './tracing.ts';

/**
 * What ties one report (or one scheduled run) together across functions: the correlation id
 * of the request or run that started the chain, and the eventId of the event being handled
 * (the cause of whatever this invocation publishes). The publisher stamps both on every
 * event it puts (publisher.ts); consumers take them from the event they receive.
 */
export interface Correlation {
  readonly correlationId: string;
  readonly causationId?: string;
}

/** Held per invocation (the local runtime runs many functions in one process, concurrently). */
const current = new AsyncLocalStorage<Correlation>();

export const currentCorrelation = (): Correlation | undefined => current.getStore();

/** An id a caller may hand us: short and plain, so it can sit in logs and X-Ray annotations. */
export const acceptableId = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value);

/**
 * Runs the handler with the correlation its first argument yields, logged on every line of
 * the invocation (the Logger's keys, reset at the end by injectLambdaContext).
 */
export function correlated<E, C, R>(of: (event: E, context: C) => Correlation, run: (event: E, context: C) => Promise<R>) {
  return (event: E, context: C): Promise<R> => {
    const correlation = of(event, context);
    logger.appendKeys({ correlationId: correlation.correlationId, ...(correlation.causationId ? { causationId: correlation.causationId } : {}) });
    annotate(correlation.correlationId);
    return current.run(correlation, () => run(event, context));
  };
}

/** The correlation an event carries on to what its consumer publishes. */
export function correlationOfEvent(detail: unknown, fallback: string): Correlation {
  const d = (detail ?? {}) as { eventId?: unknown; correlationId?: unknown };
  const eventId = acceptableId(d.eventId) ? d.eventId : undefined;
  const correlationId = acceptableId(d.correlationId) ? d.correlationId : (eventId ?? fallback);
  return { correlationId, ...(eventId ? { causationId: eventId } : {}) };
}
