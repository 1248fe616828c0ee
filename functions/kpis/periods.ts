/**
 * The periods KPIs are read, shown and exported for (domain.md, "Periods people ask for"), as
 * inclusive ranges of London dates: a month, a financial-year quarter (Q1 = April to June), a
 * financial year (April to March), the committee's year (October to September) and a range of
 * one's own. One module for the dashboard, the exports, the schedules and the annual report:
 * each period is read from query parameters or found from a date, named for people (`name`)
 * and for files and events (`label`), and refused with a message that says what to do.
 */
import type { ErrorDetail } from '#shared/errors';
import { addDays, dateText, isIsoDate, londonDateOf, type IsoDate } from '#shared/london-time';
import type { DateRange } from './model.ts';
import { previousRange } from './range.ts';

export { dateText };

export const periodKinds = ['month', 'quarter', 'financial-year', 'committee-year', 'custom'] as const;
export type PeriodKind = (typeof periodKinds)[number];
/** The kinds with fixed dates: what the scheduled exports run for. */
export const calendarKinds = ['month', 'quarter', 'financial-year', 'committee-year'] as const;
export type CalendarKind = (typeof calendarKinds)[number];
export const quarters = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
export type Quarter = (typeof quarters)[number];

/** A period: its dates, its name for people, its label for files and events, and what it was chosen by. */
export interface Period extends DateRange {
  readonly kind: PeriodKind;
  /** "May 2024", "Q1 2024-25 (April to June 2024)", "Committee year 2023/24 (October 2023 to September 2024)". */
  readonly name: string;
  /** What exports and KpiExportReady carry: `2024-05`, `2024-25-Q1`, `2024-25`, `2023-24-oct-sep`, or `from_to`. */
  readonly label: string;
  /** `2024-25` (financial year, with `quarter` for a quarter) or `2023/24` (committee year); absent for a month or custom. */
  readonly year?: string;
  readonly month?: string;
  readonly quarter?: Quarter;
}

/** What a query asked for, field by field (the form's fields, or the short names links use). */
export type PeriodQuery = Readonly<Record<string, string | undefined>>;

export type PeriodResult = { readonly period: Period; readonly errors?: undefined } | { readonly period?: undefined; readonly errors: readonly ErrorDetail[] };

const MIN_YEAR = 2000;
const MAX_YEAR = 2099;

const pad = (n: number) => String(n).padStart(2, '0');
const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const parts = (date: string) => date.split('-').map(Number) as [number, number, number];
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const monthYear = (year: number, month: number) => `${monthNames[month - 1]} ${year}`;

/** `2024` → `2024-25`; `2099` → `2099-00`. */
const financialYearName = (first: number) => `${first}-${pad((first + 1) % 100)}`;
const committeeYearName = (first: number) => `${first}/${pad((first + 1) % 100)}`;
const inYears = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

/** The first calendar year of `2024-25` (financial) or `2023/24` (committee), if well formed. */
function firstYearOf(text: string, separator: '-' | '/'): number | undefined {
  const match = new RegExp(`^(\\d{4})\\${separator}(\\d{2})$`).exec(text.trim());
  if (!match) return undefined;
  const first = Number(match[1]);
  if (Number(match[2]) !== (first + 1) % 100 || !inYears(first)) return undefined;
  return first;
}

// ---- Each kind from its numbers (no year limits: a schedule may run for any year) ----

const monthOf = (year: number, m: number): Period => ({
  kind: 'month',
  from: `${year}-${pad(m)}-01`,
  to: `${year}-${pad(m)}-${pad(lastDayOf(year, m))}`,
  name: monthYear(year, m),
  label: `${year}-${pad(m)}`,
  month: `${year}-${pad(m)}`,
});

/** Quarter `index` (0 = Q1, April to June) of the financial year starting in April of `first`. */
function quarterOf(first: number, index: number): Period {
  const q = quarters[index] ?? 'Q1';
  const startMonth = ((3 + index * 3) % 12) + 1; // 4, 7, 10, 1
  const year = index === 3 ? first + 1 : first;
  const endMonth = startMonth + 2;
  const fy = financialYearName(first);
  return {
    kind: 'quarter',
    from: `${year}-${pad(startMonth)}-01`,
    to: `${year}-${pad(endMonth)}-${pad(lastDayOf(year, endMonth))}`,
    name: `${q} ${fy} (${monthNames[startMonth - 1]} to ${monthNames[endMonth - 1]} ${year})`,
    label: `${fy}-${q}`,
    year: fy,
    quarter: q,
  };
}

function financialYearFrom(first: number): Period {
  const year = financialYearName(first);
  return { kind: 'financial-year', from: `${first}-04-01`, to: `${first + 1}-03-31`, name: `Financial year ${year} (April ${first} to March ${first + 1})`, label: year, year };
}

function committeeYearFrom(first: number): Period {
  const year = committeeYearName(first);
  return {
    kind: 'committee-year',
    from: `${first}-10-01`,
    to: `${first + 1}-09-30`,
    name: `Committee year ${year} (October ${first} to September ${first + 1})`,
    label: `${financialYearName(first)}-oct-sep`,
    year,
  };
}

// ---- Each kind from what people write ----

export function monthPeriod(month: string): Period | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(month.trim());
  if (!match) return undefined;
  const [year, m] = [Number(match[1]), Number(match[2])];
  if (m < 1 || m > 12 || !inYears(year)) return undefined;
  return monthOf(year, m);
}

/** Q1 = April to June, … Q4 = January to March of the year after. */
export function quarterPeriod(financialYear: string, quarter: string): Period | undefined {
  const first = firstYearOf(financialYear, '-');
  const index = quarters.findIndex((name) => name === quarter.trim().toUpperCase());
  if (first === undefined || index < 0) return undefined;
  return quarterOf(first, index);
}

export function financialYearPeriod(financialYear: string): Period | undefined {
  const first = firstYearOf(financialYear, '-');
  return first === undefined ? undefined : financialYearFrom(first);
}

/** The committee's year runs October to September: `2023/24` is 1 October 2023 to 30 September 2024. */
export function committeeYearPeriod(committeeYear: string): Period | undefined {
  const first = firstYearOf(committeeYear, '/');
  return first === undefined ? undefined : committeeYearFrom(first);
}

// ---- Each kind from a date ----

/** The period of a kind that contains a London date. */
export function periodContaining(kind: CalendarKind, date: IsoDate): Period {
  const [year, month] = parts(date);
  switch (kind) {
    case 'month':
      return monthOf(year, month);
    case 'quarter':
      return quarterOf(month >= 4 ? year : year - 1, Math.floor(((month + 8) % 12) / 3));
    case 'financial-year':
      return financialYearFrom(month >= 4 ? year : year - 1);
    case 'committee-year':
      return committeeYearFrom(month >= 10 ? year : year - 1);
  }
}

/**
 * The latest whole period of a kind that ended before a date: on 1 July (or any day up to 30
 * September, should a run be late) the quarter April–June; on 1 April the financial year just
 * ended.
 */
export function lastCompletePeriod(kind: CalendarKind, today: IsoDate): Period {
  return periodContaining(kind, addDays(periodContaining(kind, today).from, -1));
}

/** A range as the period it is exactly (a month, quarter, financial or committee year), otherwise a custom one named by its dates. */
export function periodOf(range: DateRange): Period {
  for (const kind of calendarKinds) {
    const period = periodContaining(kind, range.from);
    if (period.from === range.from && period.to === range.to) return period;
  }
  const name = range.from === range.to ? dateText(range.from) : `${dateText(range.from)} to ${dateText(range.to)}`;
  return { kind: 'custom', from: range.from, to: range.to, name, label: `${range.from}_${range.to}` };
}

/** A range's name: a month, quarter or year when it is exactly one, otherwise its dates. */
export const nameOf = (range: DateRange): string => periodOf(range).name;

export function customPeriod(from: string, to: string): Period | undefined {
  if (!isIsoDate(from) || !isIsoDate(to) || to < from) return undefined;
  // Named as the period it is, if it is one, but still chosen as dates (the picker shows them).
  const { name, label } = periodOf({ from, to });
  return { kind: 'custom', from, to, name, label };
}

/**
 * The range of the same length immediately before: the rule `GET /kpis` puts beside every
 * range (range.ts), so the page names exactly what the figures beside it count. Whole calendar
 * months are compared with as many months before (May 2024 with April 2024, 2023/24 with
 * 2022/23 whatever the leap days); any other range with as many days.
 */
export const previousOf = (range: DateRange): DateRange => previousRange(range);

/** The last complete month in London: on any day of June 2024 (London time), May 2024. */
export function defaultPeriod(now: Date): Period {
  const [year, month] = parts(londonDateOf(now));
  return month === 1 ? monthOf(year - 1, 12) : monthOf(year, month - 1);
}

/** The financial year (`2024-25`) and committee year (`2023/24`) a date falls in. */
export function yearsOf(date: string): { financialYear: string; committeeYear: string } {
  const [year, month] = parts(date);
  return { financialYear: financialYearName(month >= 4 ? year : year - 1), committeeYear: committeeYearName(month >= 10 ? year : year - 1) };
}

const given = (query: PeriodQuery, ...names: string[]) => {
  for (const name of names) {
    const value = query[name]?.trim();
    if (value) return value;
  }
  return undefined;
};

/** `from` as `YYYY-MM-DD`, or the form's `from-day`, `from-month`, `from-year`. */
function dateParam(query: PeriodQuery, name: 'from' | 'to', label: string, errors: ErrorDetail[]): string | undefined {
  const whole = given(query, name);
  if (whole !== undefined) {
    if (isIsoDate(whole)) return whole;
    errors.push({ path: name, message: `${label} must be a real date, like 1 4 2024` });
    return undefined;
  }
  const fields = (['day', 'month', 'year'] as const).map((p) => given(query, `${name}-${p}`));
  if (fields.every((f) => f === undefined)) {
    errors.push({ path: name, message: `enter ${label.toLowerCase()}` });
    return undefined;
  }
  const missing = (['day', 'month', 'year'] as const).filter((_, i) => fields[i] === undefined);
  if (missing.length) {
    errors.push({ path: name, message: `${label} must include a ${missing.join(' and a ')}` });
    return undefined;
  }
  const [day, month, year] = fields as [string, string, string];
  const date = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year) ? `${year}-${pad(Number(month))}-${pad(Number(day))}` : '';
  if (!isIsoDate(date)) {
    errors.push({ path: name, message: `${label} must be a real date, like 1 4 2024` });
    return undefined;
  }
  return date;
}

const outOfRange = (date: string) => Number(date.slice(0, 4)) < MIN_YEAR || Number(date.slice(0, 4)) > MAX_YEAR;

/**
 * The period a query asks for. No `period` at all is the default (the last complete month);
 * anything else that is wrong is a list of `{ path, message }` naming the field to fix. The
 * form's own field names (`quarterYear`, `financialYear`, `committeeYear`, `from-day`, …) are
 * read first: without JavaScript every input is sent, so each period type has its own.
 */
export function periodFromQuery(query: PeriodQuery, now: Date): PeriodResult {
  const kind = given(query, 'period');
  if (kind === undefined) return { period: defaultPeriod(now) };
  const fail = (path: string, message: string): PeriodResult => ({ errors: [{ path, message }] });
  switch (kind) {
    case 'month': {
      const month = given(query, 'month');
      if (!month) return fail('month', 'choose a month');
      const period = monthPeriod(month);
      return period ? { period } : fail('month', 'enter the month as a year and month, like 2024-05 for May 2024');
    }
    case 'quarter': {
      const year = given(query, 'quarterYear', 'year') ?? '';
      const quarter = given(query, 'quarter') ?? '';
      const period = quarterPeriod(year, quarter);
      if (period) return { period };
      const errors: ErrorDetail[] = [];
      if (!quarters.some((q) => q === quarter.toUpperCase())) errors.push({ path: 'quarter', message: 'choose a quarter: Q1 (April to June), Q2, Q3 or Q4 (January to March)' });
      if (firstYearOf(year, '-') === undefined) errors.push({ path: 'quarterYear', message: 'choose the financial year the quarter is in, written like 2024-25' });
      return { errors };
    }
    case 'financial-year': {
      const year = given(query, 'financialYear', 'year');
      const period = year ? financialYearPeriod(year) : undefined;
      return period ? { period } : fail('financialYear', 'choose a financial year, written like 2024-25 for April 2024 to March 2025');
    }
    case 'committee-year': {
      const year = given(query, 'committeeYear', 'year');
      const period = year ? committeeYearPeriod(year) : undefined;
      return period ? { period } : fail('committeeYear', 'choose a committee year, written like 2023/24 for October 2023 to September 2024');
    }
    case 'custom': {
      const errors: ErrorDetail[] = [];
      const from = dateParam(query, 'from', 'The start date', errors);
      const to = dateParam(query, 'to', 'The end date', errors);
      if (from && outOfRange(from)) errors.push({ path: 'from', message: `the start date must be in the years ${MIN_YEAR} to ${MAX_YEAR}` });
      if (to && outOfRange(to)) errors.push({ path: 'to', message: `the end date must be in the years ${MIN_YEAR} to ${MAX_YEAR}` });
      if (from && to && to < from) errors.push({ path: 'to', message: 'the end date must be the same as or after the start date' });
      const period = from && to && !errors.length ? customPeriod(from, to) : undefined;
      return period ? { period } : { errors };
    }
    default:
      return fail('period', 'choose a period: a month, a quarter, a financial year, a committee year or your own dates');
  }
}
