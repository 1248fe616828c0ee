/**
 * What is in the main table, as the rebuild sees it: items that are read models (projected from
 * events, so a rebuild from the archive makes them again) and items that are primary records
 * (written by a request, never carried by an event: the contact vault, triage claims, API keys,
 * rate limits, …), which a rebuild cannot make and a swap must carry over. The archive's staging
 * (events waiting for the compactor, marks of those written) is carried over too: it is the
 * not-yet-written part of the archive, and the marks keep refusing late redeliveries.
 */
import { isDeepStrictEqual } from 'node:util';
import { tables } from '../resources.ts';

export type Item = Record<string, unknown>;

/** Primary records by key: what no event carries. Everything else is a read model. */
const primary: readonly { kind: string; test: (parts: readonly string[], sk: string) => boolean }[] = [
  { kind: 'report triage claim', test: (p, sk) => p[1] === 'REPORT' && sk === 'TRIAGE' },
  { kind: 'report photos', test: (p, sk) => p[1] === 'REPORT' && sk === 'PHOTOS' },
  { kind: 'case number sequence', test: (p) => p[1] === 'COUNTER' },
  { kind: 'contact vault', test: (p) => p[1] === 'CONTACT' || p[1] === 'CONTACT-ID' },
  { kind: 'rate limit', test: (p) => p[1] === 'RATE' },
  { kind: 'web submission', test: (p) => p[1] === 'SUBMISSION' },
  { kind: 'DISC replay record', test: (p) => p[1] === 'DISC' },
  { kind: 'Open311 key, client or request', test: (p) => p[1] === 'OPEN311' },
  { kind: 'KPI export record', test: (p) => p[1] === 'KPI' && p[2] === 'EXPORT' },
  { kind: 'housing stock claim', test: (p) => p[1] === 'KPI' && p[2] === 'HOUSING-STOCK-CLAIM' },
  { kind: 'case review claim', test: (p, sk) => p[1] === 'CASE-REVIEW' && sk.startsWith('CLAIM#') },
  // Without its claim, a message already sent to a reporter would be due again after a swap.
  { kind: 'status message claim', test: (p) => p[1] === 'STATUS' && p[2] === 'MESSAGE' },
  // Who was shown whose contact details, subject access exports and erasures: a legal record
  // (6 years) no event carries. A swap without it would lose it, and the rebuild reads its
  // erasures to erase again (erasures.ts).
  { kind: 'privacy access record', test: (p) => p[1] === 'PRIVACY' },
  // A funding import staged for finance to confirm (written by the request; its rows become events only when confirmed).
  { kind: 'funding import', test: (p) => p[1] === 'FUNDING-IMPORT' },
  // The archive's own: events waiting for the compactor (whole) and the marks of those written.
  { kind: 'archive staging', test: (p) => p[1] === 'ARCHIVE' },
];

export const keyOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`;

/** A primary record's kind, or undefined for a read model. */
export function primaryKind(item: Item): string | undefined {
  const parts = String(item.pk).split('#');
  return primary.find((p) => p.test(parts, String(item.sk)))?.kind;
}

/** The words of keys that name a kind of item rather than an id (`KPI DAYS`, `CASE-REVIEW REPORTER`). */
const kindWords = new Set(['DAYS', 'SEEN', 'HOUSING-STOCK', 'HOUSING-STOCK-CLAIM', 'EXPORT', 'EXPORTS', 'REPORTER', 'REPORT-REF', 'INCIDENTS', 'REPORT', 'CASE', 'ACTIONS', 'KEY', 'CLIENT', 'CLIENTS', 'REQUEST', 'REQUESTS']);

/** A read model's kind, for grouping differences: the key's words without the ids (`CASE EVENT`, `KPI DAYS DAY`). */
export function modelKind(item: Item): string {
  const [, first = '', second = ''] = String(item.pk).split('#');
  const sk = String(item.sk).split('#')[0] ?? '';
  return [first, ...(kindWords.has(second) ? [second] : []), ...(/^[A-Z][A-Z-]*$/.test(sk) ? [sk] : [])].join(' ');
}

/**
 * Attributes that record when or in what order the live system happened to see things, not what
 * the events say; they are left out of the compare:
 * - the KPI day counters' event ids, which the nightly sealer moves aside (`KPI SEEN`), so a
 *   sealed live day and a fresh rebuilt one hold them in different places;
 * - a funding spend's overspend verdict (`overspends`, and `checked` on a spend line): judged
 *   on the ledger as it stood when the spend arrived, so it depends on arrival order; the
 *   FundingOverspent events it caused are in the archive;
 * - a report status item's `expiresAt`: the status projection counts it from when the step
 *   happened since 2026-12-02 (functions/status/repository.ts), but before that from when it
 *   wrote the item, so a live item written earlier expires at another second than its rebuilt one;
 * - `textRemovedAt`, on any item: when a retention sweep removed its free text (live, some night;
 *   rebuilt, at the end of the rebuild). Whether the text is gone is compared: it is the text itself.
 */
function arrivalAttributes(kind: string, live: Item, rebuilt: Item): readonly string[] {
  if (kind === 'KPI DAYS DAY' && (live.sealed !== undefined || rebuilt.sealed !== undefined)) return ['ids', 'sealed'];
  if (kind === 'FUNDING LEDGER') return ['overspends'];
  if (kind.startsWith('STATUS ')) return ['expiresAt'];
  return [];
}
const arrivalKinds = new Set(['KPI SEEN DAY']);

/** Sets become sorted arrays, so a DynamoDB set compares by its members. */
function plain(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(plain).sort();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** A funding ledger without its per-spend `checked` flags (see arrivalAttributes). */
function withoutArrival(kind: string, field: string, value: unknown): unknown {
  if (kind === 'FUNDING LEDGER' && field === 'lines' && value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, Record<string, unknown>>).map(([k, line]) => [k, Object.fromEntries(Object.entries(line).filter(([f]) => f !== 'checked'))]));
  }
  return value;
}

export interface Difference {
  readonly kind: string;
  readonly pk: string;
  readonly sk: string;
  /** The attribute, or `(item)` when the item is on one side only. */
  readonly field: string;
  readonly live: unknown;
  readonly rebuilt: unknown;
}

export interface Comparison {
  readonly compared: number;
  readonly byKind: Readonly<Record<string, { items: number; differences: number }>>;
  readonly differences: readonly Difference[];
  readonly primary: number;
  /** Items on one side only whose time to live has passed: not differences. */
  readonly expired: number;
}

/**
 * An item whose time to live has passed (the main table's TTL attribute, `expiresAt`, epoch
 * seconds: resources.ts). DynamoDB's TTL deletes such items some time later (within about 48 hours on AWS;
 * infra/local/ttl.ts locally) and until then reads still return them, so a live table may or may
 * not still hold one, while the rebuild writes it again from the archive (which outlives it).
 */
const expired = (item: Item, nowSeconds: number) => {
  const expiresAt = item[tables.main.ttlAttribute];
  return typeof expiresAt === 'number' && expiresAt <= nowSeconds;
};

/**
 * Every read-model item of both tables, attribute by attribute. An item on one side only that has
 * expired (see `expired`) is not a difference: whether TTL has removed it yet is timing. Counted
 * under `expired`.
 */
export function compareTables(live: readonly Item[], rebuilt: readonly Item[], options: { now?: Date } = {}): Comparison {
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  let expiredOnOneSide = 0;
  const liveByKey = new Map(live.filter((i) => !primaryKind(i)).map((i) => [keyOf(i), i]));
  const rebuiltByKey = new Map(rebuilt.filter((i) => !primaryKind(i)).map((i) => [keyOf(i), i]));
  const differences: Difference[] = [];
  const byKind: Record<string, { items: number; differences: number }> = {};
  for (const key of new Set([...liveByKey.keys(), ...rebuiltByKey.keys()])) {
    const a = liveByKey.get(key);
    const b = rebuiltByKey.get(key);
    const item = (a ?? b) as Item;
    const kind = modelKind(item);
    const tally = (byKind[kind] ??= { items: 0, differences: 0 });
    tally.items += 1;
    if (arrivalKinds.has(kind)) continue;
    const before = differences.length;
    if (!a || !b) {
      if (expired(item, nowSeconds)) {
        expiredOnOneSide += 1;
        continue;
      }
      differences.push({ kind, pk: String(item.pk), sk: String(item.sk), field: '(item)', live: a ? 'present' : 'absent', rebuilt: b ? 'present' : 'absent' });
    } else {
      const skip = new Set([...arrivalAttributes(kind, a, b), 'textRemovedAt']);
      for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (skip.has(field)) continue;
        const x = plain(withoutArrival(kind, field, a[field]));
        const y = plain(withoutArrival(kind, field, b[field]));
        if (!isDeepStrictEqual(x, y)) differences.push({ kind, pk: String(item.pk), sk: String(item.sk), field, live: x, rebuilt: y });
      }
    }
    if (differences.length > before) tally.differences += 1;
  }
  return { compared: liveByKey.size + rebuiltByKey.size, byKind, differences, primary: live.filter((i) => primaryKind(i)).length, expired: expiredOnOneSide };
}
