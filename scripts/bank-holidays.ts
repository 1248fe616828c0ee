/**
 * Writes functions/shared/bank-holidays.ts, England and Wales bank holidays by year, from
 * date-holidays (`GB`/`ENG`, type `public`): `npx tsx scripts/bank-holidays.ts`.
 *
 * Functions carry that list instead of the library: date-holidays brings moment-timezone and
 * astronomia, 1.4 MB of bundle whose loading cost about as much as a whole Powertools
 * function's init (docs/benchmarks.md). test/unit/working-days.test.ts compares the list with
 * the installed date-holidays, so after updating the library (a new one-off bank holiday) it
 * fails until this is run again.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Holidays from 'date-holidays';

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;

/** Each year's bank holidays as `MM-DD MM-DD …`, from date-holidays. */
export function bankHolidaysFromLibrary(first = FIRST_YEAR, last = LAST_YEAR): Record<number, string> {
  const calendar = new Holidays('GB', 'ENG');
  const years: Record<number, string> = {};
  for (let year = first; year <= last; year += 1) {
    const days = calendar
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => h.date.slice(5, 10));
    years[year] = [...new Set(days)].sort().join(' ');
  }
  return years;
}

export function bankHolidaysModule(years: Record<number, string>): string {
  const list = Object.keys(years).map(Number);
  return [
    '// Written by scripts/bank-holidays.ts from date-holidays (GB/ENG, type public): do not edit, run it again.',
    '// test/unit/working-days.test.ts fails when this differs from the installed date-holidays.',
    '',
    '/** The years this list covers. */',
    `export const bankHolidayYears = { first: ${Math.min(...list)}, last: ${Math.max(...list)} } as const;`,
    '',
    '/** England and Wales bank holidays by year, `MM-DD` apart by spaces (one-offs and substitute days included). */',
    'export const bankHolidaysByYear: Readonly<Record<number, string>> = {',
    ...list.map((y) => `  ${y}: '${years[y]}',`),
    '};',
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = fileURLToPath(new URL('../functions/shared/bank-holidays.ts', import.meta.url));
  writeFileSync(file, bankHolidaysModule(bankHolidaysFromLibrary()));
  console.error(`wrote ${file}`);
}
