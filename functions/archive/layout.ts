import { createHash } from 'node:crypto';

/**
 * Where grouped archive objects live. Every event goes under `events/` (free text from the
 * public replaced by a marker) and is kept 7 years; the events that carry such text are also
 * kept whole under `public-text/`, for as long as the raw intake (retention.publicTextDays).
 * One object per prefix per day: JSON Lines, one event per line, sorted by eventId.
 */
export const archiveLayout = { events: 'events/', publicText: 'public-text/' } as const;
export type ArchivePrefix = (typeof archiveLayout)[keyof typeof archiveLayout];

/**
 * The key of the group object holding these events of one day. Named by a digest of the
 * eventIds, so writing the same group again (a compactor re-run) names the same object.
 */
export function groupKey(prefix: ArchivePrefix, day: string, eventIds: readonly string[]): string {
  const [y, m, d] = day.split('-');
  const digest = createHash('sha256').update([...eventIds].sort().join('\n')).digest('hex').slice(0, 16);
  return `${prefix}year=${y}/month=${m}/day=${d}/events-${digest}.jsonl`;
}

/** The archiving day (UTC) of an instant. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
