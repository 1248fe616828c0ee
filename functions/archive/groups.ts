import { carriesPublicText, redact } from './data-classes.ts';
import { archiveLayout, groupKey } from './layout.ts';
import type { PendingEvent } from './staging.ts';

export interface GroupObject {
  readonly key: string;
  /** JSON Lines: one event per line, sorted by eventId, each eventId once. */
  readonly body: string;
  readonly eventIds: readonly string[];
  /** The events this object completes, with the key their marker records (the long-term one). */
  readonly sealing: readonly { eventId: string; sealedIn: string }[];
}

/**
 * The objects a day's events make: one under events/ with every event (free text from the
 * public redacted), and one under public-text/ with the events that carry such text, whole.
 * Pure, so the same pending events always make the same keys and bytes.
 */
export function groupObjects(pending: readonly PendingEvent[]): GroupObject[] {
  const byDay = new Map<string, Map<string, PendingEvent>>();
  for (const p of pending) {
    const day = byDay.get(p.day) ?? new Map<string, PendingEvent>();
    day.set(p.eventId, p);
    byDay.set(p.day, day);
  }
  const objects: GroupObject[] = [];
  for (const [day, events] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...events.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const ids = sorted.map((p) => p.eventId);
    const key = groupKey(archiveLayout.events, day, ids);
    const withText = sorted.filter((p) => carriesPublicText(p.event));
    if (withText.length > 0) {
      const textIds = withText.map((p) => p.eventId);
      objects.push({
        key: groupKey(archiveLayout.publicText, day, textIds),
        body: lines(withText.map((p) => p.event)),
        eventIds: textIds,
        sealing: [],
      });
    }
    objects.push({ key, body: lines(sorted.map((p) => redact(p.event))), eventIds: ids, sealing: ids.map((eventId) => ({ eventId, sealedIn: key })) });
  }
  return objects;
}

const lines = (events: readonly unknown[]) => events.map((e) => `${JSON.stringify(e)}\n`).join('');
