import { describe, expect, it } from 'vitest';
import { londonDateOf } from '#shared/london-time';
import { lastCompletePeriod, periodContaining, periodOf } from '../../functions/kpis/export-periods.ts';

describe('unit: KPI export periods', () => {
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
    expect(lastCompletePeriod(kind, today)).toEqual({ kind, ...expected });
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
    expect(lastCompletePeriod(kind, londonDateOf(scheduledTime)).name).toBe(name);
  });

  it('names a range as the period it is, or by its dates when it is none', () => {
    expect(periodOf({ from: '2024-05-01', to: '2024-05-31' }).name).toBe('2024-05');
    expect(periodOf({ from: '2024-04-01', to: '2024-06-30' }).name).toBe('2024-25-Q1');
    expect(periodOf({ from: '2024-04-01', to: '2025-03-31' }).name).toBe('2024-25');
    expect(periodOf({ from: '2023-10-01', to: '2024-09-30' }).name).toBe('2023-24-oct-sep');
    expect(periodOf({ from: '2024-05-02', to: '2024-05-31' })).toEqual({ kind: 'range', name: '2024-05-02_2024-05-31', from: '2024-05-02', to: '2024-05-31' });
    expect(periodContaining('committee-year', '2024-09-30').from).toBe('2023-10-01');
  });
});
