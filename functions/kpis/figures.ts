/**
 * The KPI figures of a range from its day counters (contract.md, "KPI identifiers"). Pure.
 * Percentages and rates are computed here, from stored numerators and denominators, never
 * stored themselves: a sum of percentages means nothing.
 */
import { addCounters, zeroCounters, type Counters } from './counters.ts';
import type { KpiFigures, Quarters, TenancyTable } from './model.ts';
import { dateText } from '#shared/london-time';
import { financialQuarterOf, type IsoDate } from './range.ts';

/** One London day's counters, as stored. */
export interface DayCounters {
  readonly day: IsoDate;
  readonly counters: Partial<Counters>;
}

/** The latest housing stock on or before the range's end. */
export interface HousingStock {
  readonly asOf: IsoDate;
  readonly homes: number;
}

/** A count of homes as people read it: "3,872 homes as at 31 March 2025". */
export const stockText = (stock: HousingStock): string => `${stock.homes.toLocaleString('en-GB')} ${stock.homes === 1 ? 'home' : 'homes'} as at ${dateText(stock.asOf)}`;

/** `numerator / denominator × scale`, rounded half up to `decimals` (exact for integer inputs). */
function ratio(numerator: number, denominator: number, scale: number, decimals: number): number | null {
  if (denominator <= 0) return null;
  const factor = 10 ** decimals;
  // Integer division, correctly rounded by IEEE 754: a quotient ending in exactly .5 stays .5.
  return Math.round((numerator * scale * factor) / denominator) / factor;
}

const quarters = (): { Q1: number; Q2: number; Q3: number; Q4: number } => ({ Q1: 0, Q2: 0, Q3: 0, Q4: 0 });
const withTotal = (q: { Q1: number; Q2: number; Q3: number; Q4: number }): Quarters => ({ ...q, total: q.Q1 + q.Q2 + q.Q3 + q.Q4 });

/**
 * Tenancy Services cases by risk category and the financial-year quarter of the day they
 * opened. A range longer than a year adds the same quarter of each year together.
 */
export function tenancyTable(days: readonly DayCounters[]): TenancyTable {
  const byRisk = { A: quarters(), B: quarters(), C: quarters() };
  for (const { day, counters } of days) {
    const q = financialQuarterOf(day);
    byRisk.A[q] += counters.ten_A ?? 0;
    byRisk.B[q] += counters.ten_B ?? 0;
    byRisk.C[q] += counters.ten_C ?? 0;
  }
  const A = withTotal(byRisk.A);
  const B = withTotal(byRisk.B);
  const C = withTotal(byRisk.C);
  return { A, B, C, total: A.total + B.total + C.total };
}

/** Every KPI of a range from the counters of its days (days outside the range must not be passed). */
export function figuresOf(days: readonly DayCounters[], stock: HousingStock | undefined): KpiFigures {
  const c = days.reduce((sum, d) => addCounters(sum, d.counters), zeroCounters());
  const tenancyCases = c.ten_A + c.ten_B + c.ten_C;
  const perThousandHomes = (count: number) => (stock ? ratio(count, stock.homes, 1000, 2) : null);
  return {
    enviro_incidents_investigated: c.sc_enviro,
    asb_cases_investigated: c.sc_asb,
    fpn_issued: c.fpn,
    pct_cases_referred_from_housing: ratio(c.sc_housing, c.sc_cases, 100, 1),
    cpw_issued: c.cpw,
    cpn_issued: c.cpn,
    other_warnings_and_actions: c.warn_other + c.notice_other,
    // Hours to one decimal (6 minutes), from the minutes each patrol logged.
    patrol_hours: ratio(c.patrol_minutes, 60, 1, 1) ?? 0,
    referrals_made: c.referrals,
    case_reviews_received: c.cr_received,
    case_reviews_threshold_not_met: c.cr_threshold_not_met,
    case_reviews_upheld: c.cr_upheld,
    case_reviews_carried_out: c.cr_decided,
    case_reviews_with_recommendations: c.cr_with_recommendations,
    closure_orders: c.closure_orders,
    s1_injunctions: c.s1_injunctions,
    other_enforcement_notices: c.notice_other,
    interviews_under_caution: c.interviews,
    legal_case_files: c.legal_files,
    stop_search_operations: c.stop_search,
    total_team_actions: c.team_actions,
    tenancy_cases: tenancyTable(days),
    nm01_asb_per_1000_homes: perThousandHomes(tenancyCases),
    nm01_hate_asb_per_1000_homes: perThousandHomes(c.ten_hate),
  };
}
