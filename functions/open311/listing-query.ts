import { categories, type Category } from '#events/intake';
import type { FieldError } from './request-input.ts';

/** `GET requests.{format}` filters (GeoReport v2). */
export type RequestStatus = 'open' | 'closed';

/** A request's status, the note that says why (status_notes), and when it last changed. */
export interface RequestState {
  readonly status: RequestStatus;
  readonly notes?: string;
  readonly updatedAt?: string;
}

export type ListingQuery =
  | { readonly kind: 'ids'; readonly ids: readonly string[] }
  | {
      readonly kind: 'range';
      readonly from: Date;
      readonly to: Date;
      readonly serviceCodes?: ReadonlySet<Category>;
      readonly statuses?: ReadonlySet<RequestStatus>;
    };

export const MAX_RANGE_DAYS = 90;
export const MAX_IDS = 100;
/** The spec's default and our ceiling on one answer. */
export const MAX_RESULTS = 1000;

const DAY_MS = 24 * 3600 * 1000;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const REFERENCE = /^[A-Za-z0-9-]{1,32}$/;

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

function instant(value: string | undefined, field: string, errors: FieldError[]): Date | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const d = new Date(value.trim());
  if (!DATETIME.test(value.trim()) || Number.isNaN(d.getTime())) {
    errors.push({ field, message: `${field} must be a W3C date-time with an offset, like 2024-05-14T00:00:00Z` });
    return undefined;
  }
  return d;
}

/**
 * The query string → what to look up. `service_request_id` overrides every other filter, as
 * the spec says. Without dates, the last 90 days; a range may span at most 90 days.
 */
export function parseListingQuery(
  query: Readonly<Record<string, string | undefined>>,
  now: Date,
): { ok: true; value: ListingQuery } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (query.service_request_id !== undefined) {
    const ids = list(query.service_request_id);
    if (ids.length === 0) errors.push({ field: 'service_request_id', message: 'give at least one service_request_id' });
    if (ids.length > MAX_IDS) errors.push({ field: 'service_request_id', message: `give at most ${MAX_IDS} service_request_id values` });
    const bad = ids.find((id) => !REFERENCE.test(id));
    if (bad !== undefined) errors.push({ field: 'service_request_id', message: 'a service_request_id looks like SC-1A2B-3C4D' });
    return errors.length ? { ok: false, errors } : { ok: true, value: { kind: 'ids', ids: [...new Set(ids.map((id) => id.toUpperCase()))] } };
  }

  let serviceCodes: Set<Category> | undefined;
  if (query.service_code !== undefined) {
    const codes = list(query.service_code);
    const unknown = codes.filter((c) => !(categories as readonly string[]).includes(c));
    if (codes.length === 0 || unknown.length > 0) {
      errors.push({ field: 'service_code', message: 'service_code must be one or more service codes from services.json, comma-separated' });
    } else serviceCodes = new Set(codes as Category[]);
  }
  let statuses: Set<RequestStatus> | undefined;
  if (query.status !== undefined) {
    const values = list(query.status.toLowerCase());
    if (values.length === 0 || values.some((s) => s !== 'open' && s !== 'closed')) {
      errors.push({ field: 'status', message: 'status must be open, closed, or open,closed' });
    } else statuses = new Set(values as RequestStatus[]);
  }
  const start = instant(query.start_date, 'start_date', errors);
  const end = instant(query.end_date, 'end_date', errors);
  if (errors.length) return { ok: false, errors };

  const maxSpan = MAX_RANGE_DAYS * DAY_MS;
  const to = end ?? (start ? new Date(Math.min(start.getTime() + maxSpan, now.getTime())) : now);
  const from = start ?? new Date(to.getTime() - maxSpan);
  if (from > to) return { ok: false, errors: [{ field: 'start_date', message: 'start_date must be before end_date' }] };
  if (to.getTime() - from.getTime() > maxSpan) {
    return { ok: false, errors: [{ field: 'end_date', message: `start_date and end_date may be at most ${MAX_RANGE_DAYS} days apart` }] };
  }
  return {
    ok: true,
    value: { kind: 'range', from, to, ...(serviceCodes ? { serviceCodes } : {}), ...(statuses ? { statuses } : {}) },
  };
}

/** The UTC months a range touches, newest first: the partitions of the request index. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  let y = to.getUTCFullYear();
  let m = to.getUTCMonth();
  const stop = from.getUTCFullYear() * 12 + from.getUTCMonth();
  while (y * 12 + m >= stop) {
    months.push(`${y}-${String(m + 1).padStart(2, '0')}`);
    m -= 1;
    if (m < 0) {
      m = 11;
      y -= 1;
    }
  }
  return months;
}
