import { describe, expect, it } from 'vitest';
import { londonDateOf } from '#shared/london-time';
import {
  committeeYearPeriod,
  customPeriod,
  defaultPeriod,
  financialYearPeriod,
  lastCompletePeriod,
  monthPeriod,
  nameOf,
  periodContaining,
  periodFromQuery,
  periodOf,
  previousOf,
  quarterPeriod,
} from '../../functions/kpis/periods.ts';

const range = (p: { from: string; to: string } | undefined) => (p ? { from: p.from, to: p.to } : undefined);
const june = new Date('2024-06-10T10:00:00Z');

describe('unit: KPI periods', () => {
  it('reads a month as its first to last day, leap years included', () => {
    expect(monthPeriod('2024-05')).toMatchObject({ kind: 'month', from: '2024-05-01', to: '2024-05-31', name: 'May 2024', month: '2024-05' });
    expect(range(monthPeriod('2024-02'))).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(range(monthPeriod('2023-02'))).toEqual({ from: '2023-02-01', to: '2023-02-28' });
    expect(range(monthPeriod('2024-12'))).toEqual({ from: '2024-12-01', to: '2024-12-31' });
    for (const bad of ['2024-13', '2024-00', '2024-5', 'May 2024', '1999-12']) expect(monthPeriod(bad)).toBeUndefined();
  });

  it('reads financial-year quarters with Q1 = April to June and Q4 in the next calendar year', () => {
    expect(quarterPeriod('2024-25', 'Q1')).toMatchObject({ from: '2024-04-01', to: '2024-06-30', name: 'Q1 2024-25 (April to June 2024)' });
    expect(quarterPeriod('2024-25', 'q2')).toMatchObject({ from: '2024-07-01', to: '2024-09-30', name: 'Q2 2024-25 (July to September 2024)' });
    expect(quarterPeriod('2024-25', 'Q3')).toMatchObject({ from: '2024-10-01', to: '2024-12-31', name: 'Q3 2024-25 (October to December 2024)' });
    expect(quarterPeriod('2024-25', 'Q4')).toMatchObject({ from: '2025-01-01', to: '2025-03-31', name: 'Q4 2024-25 (January to March 2025)' });
    expect(quarterPeriod('2023-24', 'Q4')?.to).toBe('2024-03-31');
    expect(quarterPeriod('2024-25', 'Q5')).toBeUndefined();
    expect(quarterPeriod('2024-26', 'Q1')).toBeUndefined();
  });

  it('reads a financial year as April to March and a committee year as October to September', () => {
    expect(financialYearPeriod('2024-25')).toMatchObject({ from: '2024-04-01', to: '2025-03-31', name: 'Financial year 2024-25 (April 2024 to March 2025)' });
    expect(range(financialYearPeriod('2099-00'))).toEqual({ from: '2099-04-01', to: '2100-03-31' });
    expect(committeeYearPeriod('2023/24')).toMatchObject({ from: '2023-10-01', to: '2024-09-30', name: 'Committee year 2023/24 (October 2023 to September 2024)' });
    expect(range(committeeYearPeriod('2022/23'))).toEqual({ from: '2022-10-01', to: '2023-09-30' });
    for (const bad of ['2024-26', '2024/25', '24-25', '2024-2025']) expect(financialYearPeriod(bad)).toBeUndefined();
    for (const bad of ['2023-24', '2023/25', '2023']) expect(committeeYearPeriod(bad)).toBeUndefined();
  });

  it('takes the last complete month in London time as the default, across BST and the new year', () => {
    // 23:30 UTC on 31 May is 00:30 BST on 1 June: May is complete.
    expect(defaultPeriod(new Date('2024-05-31T23:30:00Z')).name).toBe('May 2024');
    // 22:59 UTC on 31 May is still 31 May in London: April is the last complete month.
    expect(defaultPeriod(new Date('2024-05-31T22:59:59Z')).name).toBe('April 2024');
    // After the clocks go back (27 October 2024) London is on GMT again.
    expect(defaultPeriod(new Date('2024-10-31T23:30:00Z')).name).toBe('September 2024');
    expect(defaultPeriod(new Date('2024-11-01T00:00:00Z')).name).toBe('October 2024');
    expect(range(defaultPeriod(new Date('2025-01-01T00:00:00Z')))).toEqual({ from: '2024-12-01', to: '2024-12-31' });
    expect(defaultPeriod(new Date('2024-12-31T23:59:59Z')).name).toBe('November 2024');
  });

  it('puts whole months beside as many months before, and other ranges beside as many days before', () => {
    expect(previousOf({ from: '2024-05-01', to: '2024-05-31' })).toEqual({ from: '2024-04-01', to: '2024-04-30' });
    expect(previousOf({ from: '2024-03-01', to: '2024-03-31' })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(previousOf({ from: '2024-01-01', to: '2024-01-31' })).toEqual({ from: '2023-12-01', to: '2023-12-31' });
    expect(previousOf({ from: '2025-01-01', to: '2025-03-31' })).toEqual({ from: '2024-10-01', to: '2024-12-31' });
    // 2024-25 has 365 days and 2023-24 had 366: a year is still compared with the year before.
    expect(previousOf({ from: '2024-04-01', to: '2025-03-31' })).toEqual({ from: '2023-04-01', to: '2024-03-31' });
    expect(previousOf({ from: '2023-10-01', to: '2024-09-30' })).toEqual({ from: '2022-10-01', to: '2023-09-30' });
    // Not whole months: as many days.
    expect(previousOf({ from: '2024-03-31', to: '2024-03-31' })).toEqual({ from: '2024-03-30', to: '2024-03-30' });
    expect(previousOf({ from: '2024-03-10', to: '2024-03-31' })).toEqual({ from: '2024-02-17', to: '2024-03-09' });
    expect(previousOf({ from: '2024-03-01', to: '2024-03-30' })).toEqual({ from: '2024-01-31', to: '2024-02-29' });
    // Across the clock change the rule is still whole London dates.
    expect(previousOf({ from: '2024-10-27', to: '2024-10-27' })).toEqual({ from: '2024-10-26', to: '2024-10-26' });
  });

  it('names a range as the month, quarter or year it is, or by its dates', () => {
    expect(nameOf({ from: '2024-04-01', to: '2024-04-30' })).toBe('April 2024');
    expect(nameOf({ from: '2025-01-01', to: '2025-03-31' })).toBe('Q4 2024-25 (January to March 2025)');
    expect(nameOf({ from: '2023-04-01', to: '2024-03-31' })).toBe('Financial year 2023-24 (April 2023 to March 2024)');
    expect(nameOf({ from: '2022-10-01', to: '2023-09-30' })).toBe('Committee year 2022/23 (October 2022 to September 2023)');
    expect(nameOf({ from: '2024-03-31', to: '2024-04-30' })).toBe('31 March 2024 to 30 April 2024');
    expect(nameOf({ from: '2024-06-03', to: '2024-06-03' })).toBe('3 June 2024');
    expect(customPeriod('2024-04-01', '2024-05-15')?.name).toBe('1 April 2024 to 15 May 2024');
    expect(customPeriod('2024-05-15', '2024-04-01')).toBeUndefined();
  });
});

describe('unit: KPI periods from query parameters', () => {
  const read = (query: Record<string, string>) => periodFromQuery(query, june);

  it('reads every period type from the short parameters links use', () => {
    expect(range(read({ period: 'month', month: '2024-05' }).period)).toEqual({ from: '2024-05-01', to: '2024-05-31' });
    expect(range(read({ period: 'quarter', year: '2024-25', quarter: 'Q1' }).period)).toEqual({ from: '2024-04-01', to: '2024-06-30' });
    expect(range(read({ period: 'financial-year', year: '2024-25' }).period)).toEqual({ from: '2024-04-01', to: '2025-03-31' });
    expect(range(read({ period: 'committee-year', year: '2023/24' }).period)).toEqual({ from: '2023-10-01', to: '2024-09-30' });
    expect(read({ period: 'custom', from: '2024-04-01', to: '2024-05-15' }).period).toMatchObject({ kind: 'custom', from: '2024-04-01', to: '2024-05-15' });
  });

  it("reads the form's own field names, which it sends whatever type is chosen", () => {
    const everything = { month: '2024-05', quarter: 'Q3', quarterYear: '2023-24', financialYear: '2022-23', committeeYear: '2021/22', 'from-day': '3', 'from-month': '6', 'from-year': '2024', 'to-day': '9', 'to-month': '6', 'to-year': '2024' };
    expect(range(read({ ...everything, period: 'quarter' }).period)).toEqual({ from: '2023-10-01', to: '2023-12-31' });
    expect(range(read({ ...everything, period: 'financial-year' }).period)).toEqual({ from: '2022-04-01', to: '2023-03-31' });
    expect(range(read({ ...everything, period: 'committee-year' }).period)).toEqual({ from: '2021-10-01', to: '2022-09-30' });
    expect(read({ ...everything, period: 'custom' }).period).toMatchObject({ from: '2024-06-03', to: '2024-06-09', name: '3 June 2024 to 9 June 2024' });
    expect(read({ ...everything, period: ' month ', month: ' 2024-05 ' }).period?.name).toBe('May 2024');
  });

  it('gives the last complete month when no period is asked for', () => {
    expect(read({}).period?.name).toBe('May 2024');
    expect(read({ month: '2023-01' }).period?.name).toBe('May 2024');
  });

  it('says which field is wrong and how to put it right', () => {
    expect(read({ period: 'week' }).errors).toEqual([{ path: 'period', message: expect.stringContaining('choose a period') }]);
    expect(read({ period: 'month' }).errors).toEqual([{ path: 'month', message: 'choose a month' }]);
    expect(read({ period: 'month', month: '2024-13' }).errors?.[0]?.message).toContain('like 2024-05');
    expect(read({ period: 'quarter', quarter: 'Q5' }).errors?.map((e) => e.path)).toEqual(['quarter', 'quarterYear']);
    expect(read({ period: 'financial-year', year: '2024-26' }).errors).toEqual([{ path: 'financialYear', message: expect.stringContaining('like 2024-25') }]);
    expect(read({ period: 'committee-year', year: '2023-24' }).errors).toEqual([{ path: 'committeeYear', message: expect.stringContaining('like 2023/24') }]);
  });

  it('checks your own dates as GOV.UK date inputs do', () => {
    expect(read({ period: 'custom' }).errors?.map((e) => e.message)).toEqual(['enter the start date', 'enter the end date']);
    expect(read({ period: 'custom', 'from-day': '1', 'to-day': '31', 'to-month': '2', 'to-year': '2024' }).errors).toEqual([
      { path: 'from', message: 'The start date must include a month and a year' },
      { path: 'to', message: 'The end date must be a real date, like 1 4 2024' },
    ]);
    expect(read({ period: 'custom', from: '2024-02-30', to: '2024-03-01' }).errors?.map((e) => e.path)).toEqual(['from']);
    expect(read({ period: 'custom', from: '2024-05-02', to: '2024-05-01' }).errors).toEqual([{ path: 'to', message: 'the end date must be the same as or after the start date' }]);
    expect(read({ period: 'custom', from: '1899-01-01', to: '2024-05-01' }).errors?.map((e) => e.path)).toEqual(['from']);
    expect(read({ period: 'custom', 'from-day': 'x', 'from-month': '4', 'from-year': '2024', to: '2024-05-01' }).errors?.map((e) => e.path)).toEqual(['from']);
  });
});

describe('unit: KPI periods from a date (the scheduled exports)', () => {
  it.each([
    ['month', '2024-03-01', { name: '2024-02', from: '2024-02-01', to: '2024-02-29' }],
    ['month', '2025-01-01', { name: '2024-12', from: '2024-12-01', to: '2024-12-31' }],
    ['quarter', '2024-07-01', { name: '2024-25-Q1', from: '2024-04-01', to: '2024-06-30' }],
    ['quarter', '2024-10-01', { name: '2024-25-Q2', from: '2024-07-01', to: '2024-09-30' }],
    ['quarter', '2025-01-01', { name: '2024-25-Q3', from: '2024-10-01', to: '2024-12-31' }],
    ['quarter', '2025-04-01', { name: '2024-25-Q4', from: '2025-01-01', to: '2025-03-31' }],
    ['financial-year', '2025-04-01', { name: '2024-25', from: '2024-04-01', to: '2025-03-31' }],
    ['financial-year', '2000-04-01', { name: '1999-00', from: '1999-04-01', to: '2000-03-31' }],
    ['committee-year', '2024-10-01', { name: '2023-24-oct-sep', from: '2023-10-01', to: '2024-09-30' }],
    ['quarter', '2024-08-15', { name: '2024-25-Q1', from: '2024-04-01', to: '2024-06-30' }], // a late run still exports the quarter just ended
  ] as const)('exports the %s just ended when the run is on %s', (kind, today, expected) => {
    const { name: label, from, to } = expected;
    expect(lastCompletePeriod(kind, today)).toMatchObject({ kind, label, from, to });
  });

  it.each([
    // 06:00 London on the 1st, as the scheduler sends it (UTC): BST in April, July and October.
    ['2024-04-01T05:00:00Z', 'financial-year', '2023-24'],
    ['2024-07-01T05:15:00Z', 'quarter', '2024-25-Q1'],
    ['2024-10-01T05:45:00Z', 'committee-year', '2023-24-oct-sep'],
    ['2025-01-01T06:15:00Z', 'quarter', '2024-25-Q3'],
    // A run just after London midnight in BST is still on the 1st in London, though UTC says the 31st.
    ['2024-03-31T23:30:00Z', 'financial-year', '2023-24'],
    ['2024-03-31T23:30:00Z', 'month', '2024-03'],
  ] as const)('picks the period from the London day when the run is at %s', (scheduledTime, kind, name) => {
    expect(lastCompletePeriod(kind, londonDateOf(scheduledTime)).label).toBe(name);
  });

  it('names a range as the period it is, or by its dates when it is none', () => {
    expect(periodOf({ from: '2024-05-01', to: '2024-05-31' }).label).toBe('2024-05');
    expect(periodOf({ from: '2024-04-01', to: '2024-06-30' }).label).toBe('2024-25-Q1');
    expect(periodOf({ from: '2024-04-01', to: '2025-03-31' }).label).toBe('2024-25');
    expect(periodOf({ from: '2023-10-01', to: '2024-09-30' }).label).toBe('2023-24-oct-sep');
    expect(periodOf({ from: '2024-05-02', to: '2024-05-31' })).toEqual({ kind: 'custom', name: '2 May 2024 to 31 May 2024', label: '2024-05-02_2024-05-31', from: '2024-05-02', to: '2024-05-31' });
    // The same period whether it was chosen by name or found from a date.
    expect(periodOf({ from: '2023-10-01', to: '2024-09-30' })).toEqual(committeeYearPeriod('2023/24'));
    expect(periodOf({ from: '2025-01-01', to: '2025-03-31' })).toEqual(quarterPeriod('2024-25', 'Q4'));
    expect(periodContaining('committee-year', '2024-09-30').from).toBe('2023-10-01');
  });
});
