/**
 * Archive keys are partitioned by the day the fact happened (detail.occurredAt in UTC, or the
 * envelope time when an event has none), so a period can be replayed by listing a prefix.
 */
export function archiveKey(event: { source: string; 'detail-type': string; id: string; time: string; detail: unknown }) {
  const detail = (event.detail ?? {}) as { eventId?: unknown; occurredAt?: unknown };
  const when = new Date(typeof detail.occurredAt === 'string' ? detail.occurredAt : event.time);
  const at = Number.isNaN(when.getTime()) ? new Date(event.time) : when;
  const [y, m, d] = at.toISOString().slice(0, 10).split('-');
  const id = typeof detail.eventId === 'string' ? detail.eventId : event.id;
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return `events/year=${y}/month=${m}/day=${d}/${safe(event.source)}/${safe(event['detail-type'])}/${safe(id)}.json`;
}
