/**
 * A year's spending as finance reads it against the grant: spend by quarter (Q1 = April to
 * June, London dates) beside the grant profile, the forecast outturn (spent + committed), the
 * share of the funding spent, and whether the year is open, ended or closed. Integer pence
 * throughout; the one division (a percentage) is done in whole numbers.
 */
import { addMonths, addDays, financialYearSpan, londonDateOf, type IsoDate } from '#shared/london-time';
import type { Balance, LedgerLineView } from './ledger.ts';

export type QuarterNumber = 1 | 2 | 3 | 4;
export const quarterNumbers: readonly QuarterNumber[] = [1, 2, 3, 4];

/** The four quarters' amounts, Q1 first. */
export type QuarterAmounts = readonly [number, number, number, number];

/** The first and last London day of a quarter of a financial year. */
export function quarterSpan(financialYear: string, quarter: QuarterNumber): { from: IsoDate; to: IsoDate } {
  const from = addMonths(financialYearSpan(financialYear).from, (quarter - 1) * 3);
  return { from, to: addDays(addMonths(from, 3), -1) };
}

/** The quarter of the year an instant falls in (by its London date), or undefined outside the year. */
export function quarterOf(financialYear: string, at: string): QuarterNumber | undefined {
  const date = londonDateOf(at);
  return quarterNumbers.find((q) => {
    const { from, to } = quarterSpan(financialYear, q);
    return date >= from && date <= to;
  });
}

export interface QuarterSpend {
  /** Q1 to Q4: spends not reversed, by the London date they were made. */
  readonly spentPence: QuarterAmounts;
  /** Spends dated outside the year (the API takes any date): counted in the year's total, shown apart. */
  readonly outsideYearPence: number;
}

/** Spend by quarter from a year's lines. The quarters and the outside-year amount add up to the year's spent total. */
export function spendByQuarter(financialYear: string, lines: readonly LedgerLineView[]): QuarterSpend {
  const spent = [0, 0, 0, 0];
  let outsideYearPence = 0;
  for (const line of lines) {
    if (line.type !== 'spend' || line.reversedBy !== undefined) continue;
    const q = quarterOf(financialYear, line.occurredAt);
    if (q === undefined) outsideYearPence += line.amountPence;
    else spent[q - 1] = (spent[q - 1] ?? 0) + line.amountPence;
  }
  return { spentPence: spent as unknown as QuarterAmounts, outsideYearPence };
}

export interface QuarterRow {
  readonly quarter: QuarterNumber;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly spentPence: number;
  readonly profilePence?: number;
  /** Spent minus profile: above zero is ahead of the profile, below zero behind it. */
  readonly differencePence?: number;
  readonly cumulativeSpentPence: number;
  readonly cumulativeProfilePence?: number;
}

/** Each quarter's spend beside its profile (when there is one), with running totals. */
export function quarterRows(financialYear: string, spend: QuarterSpend, profile?: QuarterAmounts): QuarterRow[] {
  let spentSoFar = 0;
  let profileSoFar = 0;
  return quarterNumbers.map((quarter) => {
    const spentPence = spend.spentPence[quarter - 1] ?? 0;
    spentSoFar += spentPence;
    const profilePence = profile?.[quarter - 1];
    if (profilePence !== undefined) profileSoFar += profilePence;
    return {
      quarter,
      ...quarterSpan(financialYear, quarter),
      spentPence,
      cumulativeSpentPence: spentSoFar,
      ...(profilePence !== undefined ? { profilePence, differencePence: spentPence - profilePence, cumulativeProfilePence: profileSoFar } : {}),
    };
  });
}

export interface Outturn {
  /** allocated + awarded − recalled + adjusted: what the year may spend. */
  readonly availablePence: number;
  readonly spentPence: number;
  readonly committedPence: number;
  /** What the year will have spent once every commitment is paid: spent + committed. */
  readonly forecastOutturnPence: number;
  /** available − forecast outturn: below zero, the commitments would overspend the year. */
  readonly forecastRemainingPence: number;
  /** Spent as a share of available, in tenths of a percent (933 = 93.3%); undefined when nothing is available. */
  readonly spentTenthsOfPercent?: number;
  readonly outturnTenthsOfPercent?: number;
}

/**
 * `part / whole` in tenths of a percent, rounded half up, in whole numbers (BigInt, so no
 * amount the system records can lose precision). Undefined when `whole` is not above zero.
 */
export function tenthsOfPercent(part: number, whole: number): number | undefined {
  if (!(whole > 0) || !Number.isSafeInteger(part) || !Number.isSafeInteger(whole)) return undefined;
  const p = BigInt(part) * 1000n;
  const w = BigInt(whole);
  const negative = p < 0n;
  const magnitude = ((negative ? -p : p) * 2n + w) / (2n * w);
  return Number(negative ? -magnitude : magnitude);
}

/** 933 → `93.3%`. */
export const percentText = (tenths: number) => `${tenths < 0 ? '−' : ''}${Math.floor(Math.abs(tenths) / 10)}.${Math.abs(tenths) % 10}%`;

export function outturnOf(balance: Pick<Balance, 'allocatedPence' | 'awardedPence' | 'recalledPence' | 'adjustedPence' | 'spentPence' | 'committedPence'>): Outturn {
  const availablePence = balance.allocatedPence + balance.awardedPence - balance.recalledPence + balance.adjustedPence;
  const forecastOutturnPence = balance.spentPence + balance.committedPence;
  const spent = tenthsOfPercent(balance.spentPence, availablePence);
  const outturn = tenthsOfPercent(forecastOutturnPence, availablePence);
  return {
    availablePence,
    spentPence: balance.spentPence,
    committedPence: balance.committedPence,
    forecastOutturnPence,
    forecastRemainingPence: availablePence - forecastOutturnPence,
    ...(spent !== undefined ? { spentTenthsOfPercent: spent } : {}),
    ...(outturn !== undefined ? { outturnTenthsOfPercent: outturn } : {}),
  };
}

/**
 * Where a year stands: not started yet, open (today is inside it), ended but not closed (the
 * year-end close has not run for it), or closed (the closure is stored).
 */
export type YearState = 'not-started' | 'open' | 'ended' | 'closed';

export function yearStateOf(financialYear: string, today: IsoDate, closed: boolean): YearState {
  if (closed) return 'closed';
  const { from, to } = financialYearSpan(financialYear);
  if (today < from) return 'not-started';
  return today > to ? 'ended' : 'open';
}

export const yearStateText: Record<YearState, string> = {
  'not-started': 'Not started',
  open: 'Open',
  ended: 'Ended, not closed',
  closed: 'Closed',
};
