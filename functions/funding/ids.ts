import { createHash } from 'node:crypto';

/**
 * A stable eventId derived from what an event is about (the spend that caused an overspend,
 * the stream and year being closed, a client's idempotency key): producing it twice gives the
 * same id, so the second copy changes nothing downstream. Shaped like a UUID for readability.
 */
export function derivedEventId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
