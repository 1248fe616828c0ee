import { bankHolidayYears, bankHolidaysByYear } from './bank-holidays.ts';
import { addDays, weekday, type IsoDate } from './london-time.ts';

/**
 * England and Wales working days: Monday to Friday, less the bank holidays (including one-offs
 * such as the coronation on 8 May 2023 and substitute days when Christmas falls at a weekend).
 * The bank holidays are date-holidays' (`GB`/`ENG`, type `public`), written out as a list by
 * scripts/bank-holidays.ts for the years it covers, so functions do not load the library.
 */
const bankHolidaysOf = new Map<number, ReadonlySet<IsoDate>>();

function bankHolidays(year: number): ReadonlySet<IsoDate> {
  let days = bankHolidaysOf.get(year);
  if (!days) {
    const list = bankHolidaysByYear[year];
    if (list === undefined) {
      throw new RangeError(`bank holidays are known for ${bankHolidayYears.first} to ${bankHolidayYears.last}, not ${year}: extend scripts/bank-holidays.ts`);
    }
    days = new Set(list.split(' ').filter(Boolean).map((day) => `${year}-${day}`));
    bankHolidaysOf.set(year, days);
  }
  return days;
}

export const isBankHoliday = (date: IsoDate) => bankHolidays(Number(date.slice(0, 4))).has(date);

export function isWorkingDay(date: IsoDate): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !isBankHoliday(date);
}

/**
 * The `n`th working day after `date` (which itself need not be a working day): a case opened
 * on Friday with a 1-working-day target is due on Monday, or Tuesday after a bank holiday.
 * With n = 0, the date itself if it is a working day, else the next one.
 */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('working days must be a whole number, 0 or more');
  let current = date;
  if (n === 0) {
    while (!isWorkingDay(current)) current = addDays(current, 1);
    return current;
  }
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) left -= 1;
  }
  return current;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count += 1;
  return count;
}
