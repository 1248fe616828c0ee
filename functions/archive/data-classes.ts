/**
 * Which parts of an event are free text from the public, by contract (`source/detail-type`).
 * Such text is kept whole only as long as the raw intake; the long-term archive keeps the
 * event with the text replaced, so counts, categories and places can still be rebuilt.
 * A new contract carrying text typed by a member of the public is added here.
 */
export const publicTextFields: Readonly<Record<string, readonly string[]>> = {
  'safer-communities.intake/ReportReceived': ['description', 'location.text'],
  'safer-communities.case-review/CaseReviewRequested': ['description', 'thirdParty.relationship'],
};

/** What stands in for removed text: still a valid string, so the redacted event parses. */
export const REDACTED_TEXT = '[free text from the public: kept under public-text/ for 2 years]';

export interface ArchivedEnvelope {
  readonly source: string;
  readonly 'detail-type': string;
  readonly id: string;
  readonly time: string;
  readonly detail: unknown;
  readonly [key: string]: unknown;
}

/** The id the archive keeps an event under: its detail's eventId (the bus's id only if it has none). */
export function archivedEventId(event: { readonly id?: unknown; readonly detail?: unknown }): string {
  const eventId = (event.detail as { eventId?: unknown } | undefined)?.eventId;
  return typeof eventId === 'string' ? eventId : String(event.id);
}

const fieldsOf = (event: ArchivedEnvelope) => publicTextFields[`${event.source}/${event['detail-type']}`] ?? [];

/** Whether this event holds free text from the public (so it also goes under public-text/). */
export const carriesPublicText = (event: ArchivedEnvelope): boolean => {
  const detail = event.detail as Record<string, unknown>;
  return fieldsOf(event).some((path) => typeof valueAt(detail, path) === 'string');
};

function valueAt(detail: Record<string, unknown> | undefined, path: string): unknown {
  let at: unknown = detail;
  for (const part of path.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at;
}

/** The event with every free-text field from the public replaced; other events unchanged. */
export function redact(event: ArchivedEnvelope): ArchivedEnvelope {
  const fields = fieldsOf(event);
  if (fields.length === 0) return event;
  const detail = structuredClone(event.detail) as Record<string, unknown>;
  for (const path of fields) {
    const parts = path.split('.');
    const last = parts.pop() as string;
    const parent = parts.length ? valueAt(detail, parts.join('.')) : detail;
    if (parent && typeof parent === 'object' && typeof (parent as Record<string, unknown>)[last] === 'string') {
      (parent as Record<string, unknown>)[last] = REDACTED_TEXT;
    }
  }
  return { ...event, detail };
}
