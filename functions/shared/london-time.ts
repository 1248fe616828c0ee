/**
 * Time as the council keeps it: Europe/London, GMT in winter and BST (+01:00) from 01:00 UTC on
 * the last Sunday of March to 01:00 UTC on the last Sunday of October. An instant becomes a
 * London date or wall-clock reading once, at the edge; after that a date (`YYYY-MM-DD`) is plain
 * calendar arithmetic, so a clock change can never shift a day. This is the one module that
 * names the time zone.
 */
import { lazy } from './lazy.ts';

export const LONDON_TIME_ZONE = 'Europe/London';

/** A calendar date, `YYYY-MM-DD`: a London date wherever it came from an instant. */
export type IsoDate = string;

/** A financial year (1 April to 31 March), written `2024-25`. */
export type FinancialYear = string;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const instantOf = (at: Date | string) => (typeof at === 'string' ? new Date(at) : at);

// Intl formatters are made on first use: the first one made loads ICU's locale data (~10 ms).
const partsFormat = lazy(() => new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
}));

/** The London wall clock at an instant (a Date, or an ISO string with its offset). */
export function londonWallClock(at: Date | string): WallClock & { second: number } {
  const p = Object.fromEntries(partsFormat().formatToParts(instantOf(at)).map((x) => [x.type, Number(x.value)]));
  return { year: p.year ?? 0, month: p.month ?? 0, day: p.day ?? 0, hour: p.hour ?? 0, minute: p.minute ?? 0, second: p.second ?? 0 };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
const dateOf = (year: number, month: number, day: number): IsoDate => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** The London calendar date of an instant: `2024-06-30T23:30:00Z` is `2024-07-01` (BST). */
export function londonDateOf(at: Date | string): IsoDate {
  const w = londonWallClock(at);
  return dateOf(w.year, w.month, w.day);
}

/** Minutes London is ahead of UTC at an instant: 0 (GMT) or 60 (BST). */
export function londonOffsetMinutes(at: Date | string): number {
  const instant = instantOf(at);
  const w = londonWallClock(instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant a London wall-clock time names, as ISO 8601 with its offset
 * (`2024-05-14T21:30:00+01:00`). In the hour the clocks go back, the first (BST) reading is
 * taken; a time in the hour skipped when they go forward is read as GMT (01:30 → 02:30 BST).
 */
export function londonToIso(w: WallClock): string {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  // Try BST first, then GMT: the first whose offset agrees at that instant is the reading.
  const offset = [60, 0].find((o) => londonOffsetMinutes(new Date(asUtc - o * 60000)) === o) ?? 0;
  const sign = offset >= 0 ? '+' : '-';
  return `${dateOf(w.year, w.month, w.day)}T${pad(w.hour)}:${pad(w.minute)}:00${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`;
}

const partsOf = (date: IsoDate) => date.split('-').map(Number) as [number, number, number];

/** Midnight in London at the start of a date (the clocks change at 01:00 UTC, so midnight is never skipped or repeated). */
export function startOfLondonDay(date: IsoDate): Date {
  const [year, month, day] = partsOf(date);
  return new Date(londonToIso({ year, month, day, hour: 0, minute: 0 }));
}

/**
 * The instants a London date covers, as `start <= t < end`: 24 hours, but 23 on the day the
 * clocks go forward and 25 on the day they go back.
 */
export function londonDaySpan(date: IsoDate): { start: Date; end: Date } {
  return { start: startOfLondonDay(date), end: startOfLondonDay(addDays(date, 1)) };
}

/** Whether year/month/day name a real calendar date. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const toUtc = (date: IsoDate) => new Date(`${date}T00:00:00Z`);
const fromUtc = (d: Date): IsoDate => d.toISOString().slice(0, 10);

/** Whether a string is a real calendar date written `YYYY-MM-DD` (`2024-13-01` is not: no 13th month). */
export const isIsoDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isRealDate(...partsOf(value));

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/**
 * The corresponding date `months` later (the UK "corresponding date rule"): 15 January + 3
 * months is 15 April; where the later month is too short, its last day (30 November + 3 months
 * is 28 or 29 February).
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = partsOf(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  return fromUtc(new Date(Date.UTC(year, month, Math.min(d, daysInMonth(year, month)))));
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: IsoDate) => toUtc(date).getUTCDay();

/** The financial year (April–March) a date falls in: `2025-03-31` → `2024-25`. */
export function financialYearOf(date: IsoDate): FinancialYear {
  const [year, month] = partsOf(date);
  const first = month >= 4 ? year : year - 1;
  return `${first}-${pad((first + 1) % 100)}`;
}

/** The first and last dates of a financial year. */
export function financialYearSpan(fy: FinancialYear): { from: IsoDate; to: IsoDate } {
  const first = Number(fy.slice(0, 4));
  return { from: `${first}-04-01`, to: `${first + 1}-03-31` };
}

export const nextFinancialYear = (fy: FinancialYear) => financialYearOf(`${Number(fy.slice(0, 4)) + 1}-04-01`);
export const previousFinancialYear = (fy: FinancialYear) => financialYearOf(`${Number(fy.slice(0, 4)) - 1}-04-01`);

const longDate = lazy(() => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }));

/** A date as people read it: `2024-06-03` → "3 June 2024". */
export const dateText = (date: IsoDate) => longDate().format(new Date(`${date}T12:00:00Z`));

/** A formatter of instants as a London clock shows them, in the style the options give. */
export function londonFormat(options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>): (at: Date | string) => string {
  const format = lazy(() => new Intl.DateTimeFormat('en-GB', { ...options, timeZone: LONDON_TIME_ZONE }));
  return (at) => format().format(instantOf(at));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "14 May 2024 at 9:30pm", in London time. */
export function londonDateTimeText(iso: string): string {
  const w = londonWallClock(iso);
  const hour12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  return `${w.day} ${MONTHS[w.month - 1]} ${w.year} at ${hour12}:${String(w.minute).padStart(2, '0')}${w.hour < 12 ? 'am' : 'pm'}`;
}
