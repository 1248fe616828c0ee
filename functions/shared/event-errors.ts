/**
 * Why a consumer refuses an event. Each is thrown, so the delivery fails and, after Lambda's
 * retries, lands in the dead-letter queue with this message as its reason (the local bus
 * records it beside the dead letter): the event is kept for a person to look at, never applied.
 */
export class RefusedEventError extends Error {
  override name = 'RefusedEventError';
}

/** An eventId seen before, carrying different content: one of the two is wrong, and neither is silently dropped. */
export class ConflictingEventError extends Error {
  override name = 'ConflictingEventError';
}
