import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dateText,
  daysBetween,
  financialYearOf,
  financialYearSpan,
  isIsoDate,
  isRealDate,
  londonDateOf,
  londonDaySpan,
  londonFormat,
  londonOffsetMinutes,
  londonToIso,
  londonWallClock,
  nextFinancialYear,
  previousFinancialYear,
  startOfLondonDay,
  weekday,
} from '#shared/london-time';

const HOUR = 3_600_000;

describe('unit: London wall-clock times', () => {
  it('gives +01:00 in summer (BST) and +00:00 in winter (GMT)', () => {
    expect(londonToIso({ year: 2024, month: 5, day: 14, hour: 21, minute: 30 })).toBe('2024-05-14T21:30:00+01:00');
    expect(londonToIso({ year: 2024, month: 1, day: 14, hour: 21, minute: 30 })).toBe('2024-01-14T21:30:00+00:00');
  });

  it('reads the times around the clock changes as a London clock shows them', () => {
    // 31 March 2024: 01:00 GMT → 02:00 BST. 27 October 2024: 02:00 BST → 01:00 GMT.
    expect(londonToIso({ year: 2024, month: 3, day: 31, hour: 0, minute: 59 })).toBe('2024-03-31T00:59:00+00:00');
    expect(londonToIso({ year: 2024, month: 3, day: 31, hour: 2, minute: 0 })).toBe('2024-03-31T02:00:00+01:00');
    expect(londonToIso({ year: 2024, month: 10, day: 27, hour: 0, minute: 30 })).toBe('2024-10-27T00:30:00+01:00');
    expect(londonToIso({ year: 2024, month: 10, day: 27, hour: 1, minute: 30 })).toBe('2024-10-27T01:30:00+01:00');
    expect(londonToIso({ year: 2024, month: 10, day: 27, hour: 2, minute: 0 })).toBe('2024-10-27T02:00:00+00:00');
  });

  it('names the instant whose London clock reading it was made from, for any minute outside the skipped hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        const instant = new Date(Math.floor(ms / 60000) * 60000);
        const w = londonWallClock(instant);
        const iso = londonToIso(w);
        const back = londonWallClock(new Date(iso));
        expect([back.year, back.month, back.day, back.hour, back.minute]).toEqual([w.year, w.month, w.day, w.hour, w.minute]);
        expect(iso.endsWith(londonOffsetMinutes(new Date(iso)) === 60 ? '+01:00' : '+00:00')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('unit: London dates of instants', () => {
  it.each([
    ['2024-03-31T00:30:00Z', '2024-03-31'], // GMT still: 00:30 on the morning the clocks go forward
    ['2024-03-30T23:59:59Z', '2024-03-30'],
    ['2024-06-30T23:30:00Z', '2024-07-01'], // BST: 00:30 on 1 July in London
    ['2024-10-26T23:30:00Z', '2024-10-27'], // still BST until 02:00 on 27 October
    ['2024-10-27T23:30:00Z', '2024-10-27'], // GMT again
    ['2024-05-20T00:10:00+01:00', '2024-05-20'],
  ])('gives %s the London date %s when converted', (instant, date) => {
    expect(londonDateOf(instant)).toBe(date);
  });

  it('counts calendar days across the clock change when subtracting', () => {
    expect(daysBetween('2024-03-30', '2024-04-01')).toBe(2);
    expect(daysBetween('2024-10-26', '2024-10-28')).toBe(2);
    expect(addDays('2024-03-30', 1)).toBe('2024-03-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it.each([
    ['2024-01-15', 3, '2024-04-15'],
    ['2023-11-30', 3, '2024-02-29'], // leap year: the last day of the shorter month
    ['2022-11-30', 3, '2023-02-28'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2024-10-31', 3, '2025-01-31'],
  ])('gives the corresponding date when %s plus %i months', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('unit: London days as instants', () => {
  it.each([
    ['2024-03-31', '2024-03-31T00:00:00.000Z', 23], // clocks go forward at 01:00 GMT: a 23-hour day
    ['2024-04-01', '2024-03-31T23:00:00.000Z', 24], // the first whole day of BST starts at 23:00 UTC
    ['2024-10-27', '2024-10-26T23:00:00.000Z', 25], // clocks go back at 02:00 BST: a 25-hour day
    ['2024-10-28', '2024-10-28T00:00:00.000Z', 24],
    ['2025-03-30', '2025-03-30T00:00:00.000Z', 23], // last Sunday of March 2025
    ['2025-10-26', '2025-10-25T23:00:00.000Z', 25], // last Sunday of October 2025
  ])('starts %s at %s and makes it %i hours long when spanning it', (date, start, hours) => {
    expect(startOfLondonDay(date).toISOString()).toBe(start);
    const span = londonDaySpan(date);
    expect(span.start.toISOString()).toBe(start);
    expect((span.end.getTime() - span.start.getTime()) / HOUR).toBe(hours);
  });

  it('puts the last millisecond of a day in that day and its end in the next when at midnight', () => {
    for (const date of ['2024-03-30', '2024-03-31', '2024-06-30', '2024-10-27', '2024-12-31']) {
      const { start, end } = londonDaySpan(date);
      expect(londonDateOf(start)).toBe(date);
      expect(londonDateOf(new Date(end.getTime() - 1))).toBe(date);
      expect(londonDateOf(end)).toBe(addDays(date, 1));
    }
  });

  it('finds every instant inside the span of its own London date, for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        const { start, end } = londonDaySpan(londonDateOf(new Date(ms)));
        expect(start.getTime()).toBeLessThanOrEqual(ms);
        expect(ms).toBeLessThan(end.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('reads the wall clock and offset either side of the changes when given an instant', () => {
    expect(londonWallClock('2024-03-31T00:59:59Z')).toMatchObject({ day: 31, hour: 0, minute: 59, second: 59 });
    expect(londonWallClock('2024-03-31T01:00:00Z')).toMatchObject({ day: 31, hour: 2, minute: 0 });
    expect(londonOffsetMinutes('2024-03-31T00:59:59Z')).toBe(0);
    expect(londonOffsetMinutes('2024-03-31T01:00:00Z')).toBe(60);
    expect(londonWallClock('2024-10-27T00:59:00Z')).toMatchObject({ day: 27, hour: 1, minute: 59 });
    expect(londonWallClock('2024-10-27T01:00:00Z')).toMatchObject({ day: 27, hour: 1, minute: 0 });
    expect(londonOffsetMinutes('2024-10-27T01:00:00Z')).toBe(0);
  });
});

describe('unit: calendar dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['2024-6-1', false],
    ['2024-06-01T00:00:00Z', false],
    ['', false],
  ])('says whether %s is a date when checking', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('knows real dates from their parts when checking a form', () => {
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(isRealDate(2023, 2, 29)).toBe(false);
    expect(isRealDate(2024, 4, 31)).toBe(false);
    expect(isRealDate(2024, 0, 1)).toBe(false);
    expect(isRealDate(2024, 1.5, 1)).toBe(false);
  });

  it('names weekdays and writes dates as people read them', () => {
    expect(weekday('2024-06-02')).toBe(0); // Sunday
    expect(weekday('2024-06-08')).toBe(6); // Saturday
    expect(dateText('2024-06-03')).toBe('3 June 2024');
    expect(dateText('2024-10-27')).toBe('27 October 2024');
  });

  it('formats an instant as a London clock shows it when given a style', () => {
    const when = londonFormat({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    expect(when('2024-06-30T23:30:00Z')).toBe('1 Jul 2024, 00:30');
    expect(when(new Date('2024-12-31T23:30:00Z'))).toBe('31 Dec 2024, 23:30');
  });
});

describe('unit: financial years', () => {
  it.each([
    ['2025-03-31', '2024-25'],
    ['2025-04-01', '2025-26'],
    ['1999-12-31', '1999-00'],
    ['2000-01-01', '1999-00'],
    ['2099-04-01', '2099-00'],
  ])('puts %s in %s', (date, fy) => {
    expect(financialYearOf(date)).toBe(fy);
  });

  it('takes the year from the London date, not the UTC one, when near midnight', () => {
    expect(financialYearOf(londonDateOf('2025-03-31T23:30:00Z'))).toBe('2025-26'); // 00:30 BST on 1 April
    expect(londonDateOf(new Date('2025-01-31T23:30:00Z'))).toBe('2025-01-31'); // GMT
  });

  it('spans 1 April to 31 March and steps a year at a time', () => {
    expect(financialYearSpan('2024-25')).toEqual({ from: '2024-04-01', to: '2025-03-31' });
    expect(nextFinancialYear('2024-25')).toBe('2025-26');
    expect(previousFinancialYear('2000-01')).toBe('1999-00');
    expect(nextFinancialYear('1999-00')).toBe('2000-01');
  });
});
