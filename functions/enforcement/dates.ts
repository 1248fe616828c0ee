/**
 * Calendar dates (`YYYY-MM-DD`) in Europe/London. An instant becomes a London date once, at
 * the edge; everything after that is plain date arithmetic, so BST changes cannot shift a day.
 */
const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

export type IsoDate = string;

/** The London calendar date of an instant (a Date or an ISO string with an offset). */
export function londonDateOf(at: Date | string): IsoDate {
  const parts = LONDON.formatToParts(typeof at === 'string' ? new Date(at) : at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const toUtc = (date: IsoDate) => new Date(`${date}T00:00:00Z`);
const fromUtc = (d: Date): IsoDate => d.toISOString().slice(0, 10);

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
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  return fromUtc(new Date(Date.UTC(year, month, Math.min(d, daysInMonth(year, month)))));
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: IsoDate) => toUtc(date).getUTCDay();

export const isIsoDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && fromUtc(toUtc(value)) === value;
