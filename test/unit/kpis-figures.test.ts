import { describe, expect, it } from 'vitest';
import { figuresOf, tenancyTable } from '../../functions/kpis/figures.ts';
import { kpiIds } from '../../functions/kpis/model.ts';

describe('unit: KPI figures from day counters', () => {
  it('sums days and computes the housing share to one decimal when cases were opened', () => {
    const figures = figuresOf(
      [
        { day: '2024-05-01', counters: { sc_cases: 2, sc_housing: 1, sc_asb: 1, sc_enviro: 1, team_actions: 3, patrol_minutes: 150 } },
        { day: '2024-05-02', counters: { sc_cases: 1, team_actions: 1, warn_other: 2, notice_other: 1, patrol_minutes: 20 } },
      ],
      undefined,
    );
    expect(figures.pct_cases_referred_from_housing).toBe(33.3);
    expect(figures.asb_cases_investigated).toBe(1);
    expect(figures.enviro_incidents_investigated).toBe(1);
    expect(figures.other_warnings_and_actions).toBe(3);
    expect(figures.other_enforcement_notices).toBe(1);
    expect(figures.total_team_actions).toBe(4);
    expect(figures.patrol_hours).toBe(2.8); // 170 minutes
    expect(Object.keys(figures)).toEqual([...kpiIds]);
  });

  it('rounds a share ending in exactly .05 up, and answers null when no case was opened', () => {
    expect(figuresOf([{ day: '2024-05-01', counters: { sc_cases: 40, sc_housing: 1 } }], undefined).pct_cases_referred_from_housing).toBe(2.5);
    expect(figuresOf([{ day: '2024-05-01', counters: { sc_cases: 2000, sc_housing: 1 } }], undefined).pct_cases_referred_from_housing).toBe(0.1); // 0.05 → 0.1
    expect(figuresOf([], undefined).pct_cases_referred_from_housing).toBeNull();
  });

  it('gives NM01 per 1,000 homes to two decimals when housing stock is known, and null when it is not', () => {
    const days = [{ day: '2024-05-01', counters: { ten_A: 3, ten_B: 5, ten_C: 16, ten_hate: 2 } }];
    const figures = figuresOf(days, { asOf: '2024-03-31', homes: 3872 });
    expect(figures.nm01_asb_per_1000_homes).toBe(6.2); // 24 / 3872 × 1000 = 6.198…
    expect(figures.nm01_hate_asb_per_1000_homes).toBe(0.52); // 2 / 3872 × 1000 = 0.5165…
    expect(figuresOf(days, undefined).nm01_asb_per_1000_homes).toBeNull();
  });

  it('groups tenancy cases by the financial quarter of each day when a range crosses quarters', () => {
    const table = tenancyTable([
      { day: '2024-06-30', counters: { ten_A: 1 } },
      { day: '2024-07-01', counters: { ten_A: 2, ten_C: 1 } },
      { day: '2025-03-31', counters: { ten_B: 4 } },
      { day: '2025-04-01', counters: { ten_B: 1 } },
    ]);
    expect(table).toEqual({
      A: { Q1: 1, Q2: 2, Q3: 0, Q4: 0, total: 3 },
      B: { Q1: 1, Q2: 0, Q3: 0, Q4: 4, total: 5 },
      C: { Q1: 0, Q2: 1, Q3: 0, Q4: 0, total: 1 },
      total: 9,
    });
  });
});
