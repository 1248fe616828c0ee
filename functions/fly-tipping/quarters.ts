/**
 * WasteDataFlow returns are made for financial-year quarters in Europe/London: `2025-Q1` is
 * April to June 2025, `2025-Q4` January to March 2026 (the financial year 2025-26).
 */
import { BadRequestError } from '#shared/errors';
import { financialYearOf, type IsoDate, londonDateOf } from '#shared/london-time';

export interface QuarterSpan {
  /** `2025-Q1`. */
  readonly quarter: string;
  /** `2025-26`. */
  readonly financialYear: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The quarter a London date is in: `2026-03-31` → `2025-Q4`. */
export function quarterOfDate(date: IsoDate): string {
  const fy = financialYearOf(date);
  const month = Number(date.slice(5, 7));
  return `${fy.slice(0, 4)}-Q${Math.floor(((month - 4 + 12) % 12) / 3) + 1}`;
}

/** The quarter an instant falls in, by its London date (23:30 UTC on 30 June in BST is already Q2). */
export const quarterOf = (at: string | Date): string => quarterOfDate(londonDateOf(at));

/** `2025-Q1` → its financial year and first and last London dates; undefined if it is not a quarter. */
export function quarterSpan(quarter: string): QuarterSpan | undefined {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) return undefined;
  const firstYear = Number(m[1]);
  const index = Number(m[2]) - 1;
  const startMonth = ((3 + index * 3) % 12) + 1; // 4, 7, 10, 1
  const year = startMonth >= 4 ? firstYear : firstYear + 1;
  const endMonth = startMonth + 2;
  const financialYear = financialYearOf(`${firstYear}-04-01`);
  return {
    quarter,
    financialYear,
    from: `${year}-${pad(startMonth)}-01`,
    to: `${year}-${pad(endMonth)}-${pad(lastDay(year, endMonth))}`,
  };
}

/** The `quarter` query parameter, or a 400 saying how to write it. */
export function parseQuarter(value: string | undefined): QuarterSpan {
  const span = value === undefined ? undefined : quarterSpan(value.trim().toUpperCase());
  if (!span) {
    throw new BadRequestError('give the quarter as ?quarter=2025-Q1: the year the financial year starts, then Q1 (April to June), Q2, Q3 or Q4 (January to March)');
  }
  return span;
}
