import { describe, expect, it } from 'vitest';
import { BadRequestError } from '#shared/errors';
import { financialQuarterOf, monthsOf, parseRange, previousRange } from '../../functions/kpis/range.ts';

const refusal = (input: { from?: unknown; to?: unknown }) => {
  try {
    parseRange(input);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as BadRequestError).message;
  }
  throw new Error('expected a refusal');
};

describe('unit: KPI date ranges', () => {
  it('accepts an inclusive range of real dates up to five years long when asked', () => {
    expect(parseRange({ from: '2024-04-01', to: '2025-03-31' })).toEqual({ from: '2024-04-01', to: '2025-03-31' });
    expect(parseRange({ from: '2024-02-29', to: '2024-02-29' })).toEqual({ from: '2024-02-29', to: '2024-02-29' });
    expect(parseRange({ from: '2020-04-01', to: '2025-03-31' })).toEqual({ from: '2020-04-01', to: '2025-03-31' });
  });

  it.each([
    [{}, /give from as a date written YYYY-MM-DD; give to as a date/],
    [{ from: '2024-04-01' }, /give to as a date written YYYY-MM-DD/],
    [{ from: '1/4/2024', to: '2024-04-30' }, /write from as YYYY-MM-DD, e.g. 2024-04-01/],
    [{ from: ['2024-04-01'], to: '2024-04-30' }, /write from as YYYY-MM-DD/],
    [{ from: '2024-02-30', to: '2024-03-31' }, /from 2024-02-30 is not a date in the calendar/],
    [{ from: '2023-02-01', to: '2023-02-29' }, /to 2023-02-29 is not a date in the calendar/],
    [{ from: '2024-05-01', to: '2024-04-01' }, /from \(2024-05-01\) is after to \(2024-04-01\): swap them/],
    [{ from: '2020-04-01', to: '2025-04-01' }, /longer than 5 years: choose a to on or before 2025-03-31/],
  ])('refuses %j with a message saying what to change', (input, message) => {
    expect(refusal(input)).toMatch(message);
  });

  it.each([
    ['a month', { from: '2024-03-01', to: '2024-03-31' }, { from: '2024-02-01', to: '2024-02-29' }],
    ['a financial quarter', { from: '2024-04-01', to: '2024-06-30' }, { from: '2024-01-01', to: '2024-03-31' }],
    ['a financial year', { from: '2024-04-01', to: '2025-03-31' }, { from: '2023-04-01', to: '2024-03-31' }],
    ['a leap committee year', { from: '2023-10-01', to: '2024-09-30' }, { from: '2022-10-01', to: '2023-09-30' }],
    ['a week', { from: '2024-03-25', to: '2024-03-31' }, { from: '2024-03-18', to: '2024-03-24' }],
    ['one day', { from: '2024-03-01', to: '2024-03-01' }, { from: '2024-02-29', to: '2024-02-29' }],
    ['31 days not a whole month', { from: '2024-03-02', to: '2024-04-01' }, { from: '2024-01-31', to: '2024-03-01' }],
  ])('gives the range of the same length just before when the range is %s', (_, range, previous) => {
    expect(previousRange(range)).toEqual(previous);
  });

  it('lists every London month a range touches when it crosses a year end', () => {
    expect(monthsOf({ from: '2023-11-30', to: '2024-02-01' })).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(monthsOf({ from: '2024-02-29', to: '2024-02-29' })).toEqual(['2024-02']);
  });

  it.each([
    ['2024-04-01', 'Q1'],
    ['2024-06-30', 'Q1'],
    ['2024-07-01', 'Q2'],
    ['2024-09-30', 'Q2'],
    ['2024-10-01', 'Q3'],
    ['2024-12-31', 'Q3'],
    ['2025-01-01', 'Q4'],
    ['2025-03-31', 'Q4'],
  ])('puts %s in financial quarter %s when grouped', (date, quarter) => {
    expect(financialQuarterOf(date)).toBe(quarter);
  });
});
