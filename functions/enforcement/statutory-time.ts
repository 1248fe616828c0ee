/**
 * The statutory periods of the enforcement rules, as pure functions of London time.
 *
 * - Ages (whole years) at a London date, from a date of birth: a person attains an age at the
 *   start of the anniversary of their birth; someone born on 29 February attains it on 1 March
 *   in a year that has no 29 February.
 * - A CPN appeal: "within the period of 21 days beginning with the day on which the person is
 *   issued with the notice" (ASBCPA 2014 s.46(2)): the day of issue is day 1, so the last day
 *   is the issue date + 20 days.
 * - Closure notices: 24 hours, or 48 in all (s.77(1), (2), (4)); the closure order application
 *   is heard not later than 48 hours after service (s.80(3)). In calculating when a period of
 *   48 hours ends, Christmas Day is disregarded (s.77(3), s.80(4)): the hours of 25 December
 *   (London time) do not count.
 */
import { addDays, londonDaySpan, londonDateOf, type IsoDate } from '#shared/london-time';

/** Whole years of age on a London date, for someone born on `dateOfBirth`. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  let age = y - by;
  // A 29 February birthday counts as 1 March in a year without one: (2, 29) sorts before (3, 1).
  const before = m < bm || (m === bm && d < bd);
  if (before) age -= 1;
  return age;
}

/** The day an individual turns `years` old (for messages): 29 February births turn on 1 March in common years. */
export function birthdayOf(dateOfBirth: IsoDate, years: number): IsoDate {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const year = by + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (bm === 2 && bd === 29 && !leap) return `${year}-03-01`;
  return `${year}-${String(bm).padStart(2, '0')}-${String(bd).padStart(2, '0')}`;
}

export const CPN_APPEAL_DAYS = 21;

/** The last London date on which a CPN issued on `issuedOn` can be appealed. */
export const cpnAppealLastDay = (issuedOn: IsoDate): IsoDate => addDays(issuedOn, CPN_APPEAL_DAYS - 1);

export const CLOSURE_NOTICE_HOURS = 24;
export const CLOSURE_NOTICE_MAX_HOURS = 48;
export const CLOSURE_HEARING_HOURS = 48;

const HOUR_MS = 3_600_000;

/** The span of Christmas Day (London time) in the year of an instant. */
function christmasOf(year: number) {
  return londonDaySpan(`${year}-12-25`);
}

/**
 * The instant `hours` after `from`, not counting any time that falls on Christmas Day in
 * London. Time on Christmas Day before the start is skipped too (a notice served on Christmas
 * Day starts counting at midnight that night).
 */
export function addHoursDisregardingChristmas(from: Date | string, hours: number): Date {
  let cursor = new Date(from).getTime();
  let remaining = hours * HOUR_MS;
  for (;;) {
    const year = Number(londonDateOf(new Date(cursor)).slice(0, 4));
    const christmas = christmasOf(year);
    if (cursor >= christmas.start.getTime() && cursor < christmas.end.getTime()) {
      cursor = christmas.end.getTime();
      continue;
    }
    // The next Christmas Day that can interrupt the count: this year's if still ahead, else next year's.
    const next = cursor < christmas.start.getTime() ? christmas : christmasOf(year + 1);
    const runway = next.start.getTime() - cursor;
    if (remaining <= runway) return new Date(cursor + remaining);
    remaining -= runway;
    cursor = next.end.getTime();
  }
}

/** When a closure notice of `hours` in all stops having effect: the 48-hour regime disregards Christmas Day. */
export function closureNoticeEnds(servedAt: Date | string, hours: number): Date {
  if (hours > CLOSURE_NOTICE_HOURS) return addHoursDisregardingChristmas(servedAt, hours);
  return new Date(new Date(servedAt).getTime() + hours * HOUR_MS);
}

/** The latest the magistrates' court must hear the closure order application (s.80(3), (4)). */
export const closureHearingDueBy = (servedAt: Date | string): Date => addHoursDisregardingChristmas(servedAt, CLOSURE_HEARING_HOURS);
