/**
 * The funding ledger of one stream and financial year, as plain data. Every fact is a line
 * keyed by its eventId (a reversal by the spend it reverses), inserted only if absent; totals
 * are computed from the lines when read. So applying is idempotent, the order of arrival does
 * not matter (a reversal that comes before its spend still cancels it), and the balance always
 * equals the sum of its lines.
 */
import type { DetailOf } from '#events/contract';
import type { allocationKinds, FundingAllocated, FundingCommitted, FundingSpendReversed, FundingSpent } from '#events/funding';
import { derivedEventId } from './ids.ts';

export type AllocationKind = (typeof allocationKinds)[number];

/**
 * A ledger's maps are plain objects keyed by eventId (that is how DynamoDB hands a map back),
 * and an eventId may be any string, `constructor` or `toString` included: `key in map` and
 * `map[key]` would find Object.prototype's members. Every lookup goes through these two.
 */
export const hasKey = (map: object, key: string): boolean => Object.hasOwn(map, key);
export const valueAt = <V>(map: Readonly<Record<string, V>>, key: string): V | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);

export interface AllocationLine {
  readonly type: 'allocation';
  readonly kind: AllocationKind;
  readonly amountPence: number;
  readonly reference: string;
  readonly occurredAt: string;
}
export interface CommitmentLine {
  readonly type: 'commitment';
  readonly project: string;
  readonly amountPence: number;
  readonly reference?: string;
  readonly occurredAt: string;
}
export interface SpendLine {
  readonly type: 'spend';
  readonly project: string;
  readonly amountPence: number;
  readonly reference: string;
  readonly occurredAt: string;
  /** Set once the ledger has decided whether this spend overspent the year. */
  readonly checked?: boolean;
}
export type LedgerLine = AllocationLine | CommitmentLine | SpendLine;

export interface Reversal {
  readonly eventId: string;
  readonly reason: string;
  readonly occurredAt: string;
}

/** A spend that left the year overdrawn, and whether FundingOverspent has reached the bus. */
export interface OverspendFlag {
  readonly eventId: string;
  readonly remainingPence: number;
  readonly occurredAt: string;
  readonly published: boolean;
}

export interface Closure {
  readonly eventId: string;
  readonly remainingPence: number;
  readonly closedAt: string;
  readonly published: boolean;
}

export interface Ledger {
  readonly lines: Readonly<Record<string, LedgerLine>>;
  /** Keyed by the reversed spend's eventId: a spend is reversed at most once. */
  readonly reversals: Readonly<Record<string, Reversal>>;
  /** Keyed by the spend's eventId. */
  readonly overspends: Readonly<Record<string, OverspendFlag>>;
  readonly closure?: Closure;
}

export const emptyLedger = (): Ledger => ({ lines: {}, reversals: {}, overspends: {} });

export type LedgerEvent =
  | { readonly detailType: 'FundingAllocated'; readonly detail: DetailOf<typeof FundingAllocated> }
  | { readonly detailType: 'FundingCommitted'; readonly detail: DetailOf<typeof FundingCommitted> }
  | { readonly detailType: 'FundingSpent'; readonly detail: DetailOf<typeof FundingSpent> }
  | { readonly detailType: 'FundingSpendReversed'; readonly detail: DetailOf<typeof FundingSpendReversed> };

/** Where an event lands in the ledger: one map, one key, a value written only if the key is absent. */
export type LedgerEntry =
  | { readonly map: 'lines'; readonly key: string; readonly value: LedgerLine }
  | { readonly map: 'reversals'; readonly key: string; readonly value: Reversal };

export function entryFor(event: LedgerEvent): LedgerEntry {
  switch (event.detailType) {
    case 'FundingAllocated': {
      const d = event.detail;
      return { map: 'lines', key: d.eventId, value: { type: 'allocation', kind: d.kind, amountPence: d.amountPence, reference: d.reference, occurredAt: d.occurredAt } };
    }
    case 'FundingCommitted': {
      const d = event.detail;
      const line: CommitmentLine = { type: 'commitment', project: d.project, amountPence: d.amountPence, occurredAt: d.occurredAt, ...(d.reference ? { reference: d.reference } : {}) };
      return { map: 'lines', key: d.eventId, value: line };
    }
    case 'FundingSpent': {
      const d = event.detail;
      return { map: 'lines', key: d.eventId, value: { type: 'spend', project: d.project, amountPence: d.amountPence, reference: d.reference, occurredAt: d.occurredAt, checked: false } };
    }
    case 'FundingSpendReversed': {
      const d = event.detail;
      return { map: 'reversals', key: d.spendEventId, value: { eventId: d.eventId, reason: d.reason, occurredAt: d.occurredAt } };
    }
  }
}

/** The pure form of the ledger's one write: insert if absent, otherwise change nothing. */
export function applyEntry(ledger: Ledger, entry: LedgerEntry): { ledger: Ledger; applied: boolean } {
  if (entry.map === 'lines') {
    if (hasKey(ledger.lines, entry.key)) return { ledger, applied: false };
    return { ledger: { ...ledger, lines: { ...ledger.lines, [entry.key]: entry.value } }, applied: true };
  }
  if (hasKey(ledger.reversals, entry.key)) return { ledger, applied: false };
  return { ledger: { ...ledger, reversals: { ...ledger.reversals, [entry.key]: entry.value } }, applied: true };
}

/** What an entry costs of the item's size budget, over-estimated (JSON quotes every name). */
export function entryBytes(entry: LedgerEntry): number {
  // A spend may later carry an overspend flag; its room is reserved up front.
  const flag = entry.map === 'lines' && entry.value.type === 'spend' ? 200 : 0;
  return Buffer.byteLength(entry.key) + Buffer.byteLength(JSON.stringify(entry.value)) + 16 + flag;
}

export interface ProjectBalance {
  readonly project: string;
  readonly spentPence: number;
  readonly committedPence: number;
}

export interface Balance {
  readonly allocatedPence: number;
  readonly awardedPence: number;
  readonly recalledPence: number;
  readonly adjustedPence: number;
  readonly spentPence: number;
  readonly committedPence: number;
  /** allocated + awarded − recalled + adjusted − spent; commitments are shown, not subtracted. */
  readonly remainingPence: number;
  readonly overspent: boolean;
  readonly projects: readonly ProjectBalance[];
}

const allocationTotal: Record<AllocationKind, 'allocatedPence' | 'awardedPence' | 'recalledPence' | 'adjustedPence'> = {
  provisional: 'allocatedPence',
  'underspend-award': 'awardedPence',
  recall: 'recalledPence',
  adjustment: 'adjustedPence',
};

export function balanceOf(ledger: Ledger): Balance {
  const totals = { allocatedPence: 0, awardedPence: 0, recalledPence: 0, adjustedPence: 0, spentPence: 0, committedPence: 0 };
  const projects = new Map<string, { spentPence: number; committedPence: number }>();
  const project = (name: string) => {
    let p = projects.get(name);
    if (!p) projects.set(name, (p = { spentPence: 0, committedPence: 0 }));
    return p;
  };
  for (const [eventId, line] of Object.entries(ledger.lines)) {
    if (line.type === 'allocation') totals[allocationTotal[line.kind]] += line.amountPence;
    else if (line.type === 'commitment') {
      totals.committedPence += line.amountPence;
      project(line.project).committedPence += line.amountPence;
    } else if (!hasKey(ledger.reversals, eventId)) {
      totals.spentPence += line.amountPence;
      project(line.project).spentPence += line.amountPence;
    } else project(line.project);
  }
  const remainingPence = totals.allocatedPence + totals.awardedPence - totals.recalledPence + totals.adjustedPence - totals.spentPence;
  return {
    ...totals,
    remainingPence,
    overspent: remainingPence < 0,
    projects: [...projects.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, p]) => ({ project: name, ...p })),
  };
}

/**
 * Whether a spend leaves the year overdrawn, judged on the ledger just after it was applied.
 * Every spend made while the balance is below zero is flagged, not only the first: each is
 * money spent that the year does not have. A reversed spend is not counted, so never flagged.
 */
export function overspendAfter(ledger: Ledger, spendEventId: string): Omit<OverspendFlag, 'published'> | undefined {
  const line = valueAt(ledger.lines, spendEventId);
  if (line?.type !== 'spend' || hasKey(ledger.reversals, spendEventId)) return undefined;
  const { remainingPence } = balanceOf(ledger);
  if (remainingPence >= 0) return undefined;
  return { eventId: overspentEventId(spendEventId), remainingPence, occurredAt: line.occurredAt };
}

export const overspentEventId = (spendEventId: string) => derivedEventId('FundingOverspent', spendEventId);

/** A line as readers see it: a reversed spend names its reversal; a reversal waiting for its spend says so. */
export type LedgerLineView =
  | ({ readonly eventId: string } & AllocationLine)
  | ({ readonly eventId: string } & CommitmentLine)
  | ({ readonly eventId: string; readonly reversedBy?: string } & Omit<SpendLine, 'checked'>)
  | ({ readonly eventId: string; readonly type: 'reversal'; readonly spendEventId: string; readonly matched: boolean } & Omit<Reversal, 'eventId'>);

/** Every line in date order (then by eventId, so the order is stable). */
export function linesOf(ledger: Ledger): LedgerLineView[] {
  const out: LedgerLineView[] = [];
  for (const [eventId, line] of Object.entries(ledger.lines)) {
    if (line.type === 'spend') {
      const { checked: _checked, ...rest } = line;
      const reversal = valueAt(ledger.reversals, eventId);
      out.push({ eventId, ...rest, ...(reversal ? { reversedBy: reversal.eventId } : {}) });
    } else out.push({ eventId, ...line });
  }
  for (const [spendEventId, r] of Object.entries(ledger.reversals)) {
    out.push({ eventId: r.eventId, type: 'reversal', spendEventId, reason: r.reason, occurredAt: r.occurredAt, matched: hasKey(ledger.lines, spendEventId) });
  }
  const at = (iso: string) => Date.parse(iso);
  return out.sort((a, b) => at(a.occurredAt) - at(b.occurredAt) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}
