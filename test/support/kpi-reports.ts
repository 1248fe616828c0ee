import { kpiIds, type KpiFigures, type KpiId, type KpiReport, type TenancyTable } from '../../functions/kpis/model.ts';

type Figures = { -readonly [K in KpiId]: K extends 'tenancy_cases' ? TenancyTable : number | null };

export const emptyTenancy = (): TenancyTable => ({
  A: { Q1: 0, Q2: 0, Q3: 0, Q4: 0, total: 0 },
  B: { Q1: 0, Q2: 0, Q3: 0, Q4: 0, total: 0 },
  C: { Q1: 0, Q2: 0, Q3: 0, Q4: 0, total: 0 },
  total: 0,
});

/** The tenancy table of the council's annual report (domain.md): 10 A, 24 B, 72 C, 106 in all. */
export const reportedTenancy = (): TenancyTable => ({
  A: { Q1: 3, Q2: 4, Q3: 0, Q4: 3, total: 10 },
  B: { Q1: 5, Q2: 3, Q3: 8, Q4: 8, total: 24 },
  C: { Q1: 16, Q2: 9, Q3: 23, Q4: 24, total: 72 },
  total: 106,
});

/** Every figure zero (and the tenancy table empty), with `overrides` on top. */
export function figures(overrides: Partial<Figures> = {}): KpiFigures {
  const zero = Object.fromEntries(kpiIds.map((id) => [id, id === 'tenancy_cases' ? emptyTenancy() : 0])) as Figures;
  return { ...zero, ...overrides };
}

/**
 * The committee year 2023/24 beside 2022/23 with the enforcement counts of the annual report
 * (domain.md), a percentage, NM01 and the tenancy table filled in.
 */
export function committeeYearReport(): KpiReport {
  return {
    from: '2023-10-01',
    to: '2024-09-30',
    kpis: figures({
      enviro_incidents_investigated: 212,
      asb_cases_investigated: 148,
      fpn_issued: 15,
      pct_cases_referred_from_housing: 12.5,
      cpw_issued: 40,
      cpn_issued: 18,
      other_warnings_and_actions: 9,
      patrol_hours: 310.5,
      referrals_made: 27,
      case_reviews_received: 4,
      case_reviews_threshold_not_met: 1,
      case_reviews_upheld: 1,
      case_reviews_carried_out: 3,
      case_reviews_with_recommendations: 2,
      closure_orders: 1,
      s1_injunctions: 1,
      other_enforcement_notices: 5,
      interviews_under_caution: 35,
      legal_case_files: 6,
      stop_search_operations: 1,
      total_team_actions: 4364,
      tenancy_cases: reportedTenancy(),
      nm01_asb_per_1000_homes: 32.62,
      nm01_hate_asb_per_1000_homes: 0.92,
    }),
    previous: {
      from: '2022-10-01',
      to: '2023-09-30',
      kpis: figures({
        enviro_incidents_investigated: 190,
        asb_cases_investigated: 151,
        fpn_issued: 10,
        pct_cases_referred_from_housing: 10,
        cpw_issued: 58,
        cpn_issued: 19,
        other_warnings_and_actions: 9,
        patrol_hours: 288,
        referrals_made: 20,
        case_reviews_received: 2,
        case_reviews_threshold_not_met: 1,
        closure_orders: 1,
        s1_injunctions: 1,
        other_enforcement_notices: 5,
        interviews_under_caution: 14,
        legal_case_files: 0,
        stop_search_operations: 0,
        total_team_actions: 2606,
        nm01_asb_per_1000_homes: null,
        nm01_hate_asb_per_1000_homes: null,
      }),
    },
  };
}

/** A report for any range, figures from `current` and `previous`, the previous range the same length before. */
export function reportFor(range: { from: string; to: string }, previous: { from: string; to: string }, current: Partial<Figures> = {}, before: Partial<Figures> = {}): KpiReport {
  return { ...range, kpis: figures(current), previous: { ...previous, kpis: figures(before) } };
}
