/**
 * Inclusive ranges of London calendar dates (`YYYY-MM-DD`) for KPI reads: checking a range a
 * caller asked for, the previous range beside it, and the financial-year quarter of a day.
 * Pure date arithmetic: an instant becomes a London date once, when an event is counted.
 */
import * as z from 'zod';
import { BadRequestError, type ErrorDetail } from '#shared/errors';
import { addDays, addMonths, daysBetween, isIsoDate, type IsoDate } from '#shared/london-time';
import type { DateRange } from './model.ts';

export type { IsoDate };

/** A report covers at most five years (so a read stays bounded: at most 61 month partitions twice). */
export const MAX_RANGE_YEARS = 5;

const EXAMPLE = '?from=2024-04-01&to=2025-03-31';

/**
 * The range a caller asked for, or a 400 that says what to change: both dates present,
 * written `YYYY-MM-DD`, real calendar dates, `from` not after `to`, at most five years.
 */
export function parseRange(input: { from?: unknown; to?: unknown }): DateRange {
  const details: ErrorDetail[] = [];
  const date = (name: 'from' | 'to'): IsoDate | undefined => {
    const value = input[name];
    if (value === undefined || value === '') {
      details.push({ path: name, message: `give ${name} as a date written YYYY-MM-DD` });
      return undefined;
    }
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      details.push({ path: name, message: `write ${name} as YYYY-MM-DD, e.g. 2024-04-01` });
      return undefined;
    }
    if (!isIsoDate(value)) {
      details.push({ path: name, message: `${name} ${value} is not a date in the calendar: check the day of the month` });
      return undefined;
    }
    return value;
  };
  const from = date('from');
  const to = date('to');
  if (!from || !to) {
    throw new BadRequestError(`${details.map((d) => d.message).join('; ')} (for example ${EXAMPLE})`, details);
  }
  if (from > to) {
    throw new BadRequestError(`from (${from}) is after to (${to}): swap them, or choose a from on or before ${to}`, [
      { path: 'from', message: `must be on or before to (${to})` },
    ]);
  }
  const latestTo = addDays(addMonths(from, 12 * MAX_RANGE_YEARS), -1);
  if (to > latestTo) {
    throw new BadRequestError(
      `the range is longer than ${MAX_RANGE_YEARS} years: choose a to on or before ${latestTo}, or a later from`,
      [{ path: 'to', message: `must be on or before ${latestTo} for this from` }],
    );
  }
  return { from, to };
}

const isFirstOfMonth = (date: IsoDate) => date.endsWith('-01');
const isLastOfMonth = (date: IsoDate) => isFirstOfMonth(addDays(date, 1));

/** Whole calendar months in the range, or undefined when it does not start on a 1st and end on a month's last day. */
function wholeMonths({ from, to }: DateRange): number | undefined {
  if (!isFirstOfMonth(from) || !isLastOfMonth(to)) return undefined;
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/**
 * The range of the same length immediately before. A range of whole calendar months (a month,
 * a quarter, a financial or committee year) is followed by the same number of months before
 * it, so March is compared with February and 2023/24 with 2022/23 whatever the leap days;
 * any other range with the same number of days before it.
 */
export function previousRange(range: DateRange): DateRange {
  const to = addDays(range.from, -1);
  const months = wholeMonths(range);
  if (months !== undefined) return { from: addMonths(range.from, -months), to };
  return { from: addDays(to, -daysBetween(range.from, range.to)), to };
}

/** Every London month (`YYYY-MM`) the range touches, in order. */
export function monthsOf({ from, to }: DateRange): string[] {
  const months: string[] = [];
  for (let month = `${from.slice(0, 7)}-01`; month <= to; month = addMonths(month, 1)) months.push(month.slice(0, 7));
  return months;
}

export type Quarter = 'Q1' | 'Q2' | 'Q3' | 'Q4';

/** The financial-year quarter a date falls in: Q1 is April to June. */
export function financialQuarterOf(date: IsoDate): Quarter {
  const month = Number(date.slice(5, 7));
  return (['Q4', 'Q4', 'Q4', 'Q1', 'Q1', 'Q1', 'Q2', 'Q2', 'Q2', 'Q3', 'Q3', 'Q3'] as const)[month - 1] ?? 'Q4';
}

/** The range of `GET /kpis` (query) and `POST /kpis/exports` (body), for the OpenAPI document; parseRange gives the messages. */
export const kpiRangeInput = z.object({
  from: z.iso.date().describe('First London date of the period, inclusive'),
  to: z.iso.date().describe('Last London date of the period, inclusive; at most five years after from'),
});
