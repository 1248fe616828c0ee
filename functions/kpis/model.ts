/**
 * The KPI report's shape (contract.md, "KPI identifiers" and `GET /kpis`): the ids, their
 * labels, and the answer for a range with the previous range of the same length beside it.
 * Every reader (the API, the dashboard, the exports, the annual report) uses these types.
 */

/** Every KPI id, in the order reports list them. */
export const kpiIds = [
  'enviro_incidents_investigated',
  'asb_cases_investigated',
  'fpn_issued',
  'pct_cases_referred_from_housing',
  'cpw_issued',
  'cpn_issued',
  'other_warnings_and_actions',
  'patrol_hours',
  'referrals_made',
  'case_reviews_received',
  'case_reviews_threshold_not_met',
  'case_reviews_upheld',
  'case_reviews_carried_out',
  'case_reviews_with_recommendations',
  'closure_orders',
  's1_injunctions',
  'other_enforcement_notices',
  'interviews_under_caution',
  'legal_case_files',
  'stop_search_operations',
  'total_team_actions',
  'tenancy_cases',
  'nm01_asb_per_1000_homes',
  'nm01_hate_asb_per_1000_homes',
] as const;
export type KpiId = (typeof kpiIds)[number];

export const kpiLabels: Record<KpiId, string> = {
  enviro_incidents_investigated: 'Enviro-crime incidents investigated',
  asb_cases_investigated: 'ASB cases investigated',
  fpn_issued: 'Fixed Penalty Notices issued',
  pct_cases_referred_from_housing: 'Percentage of cases referred from Housing',
  cpw_issued: 'Community Protection Warnings issued',
  cpn_issued: 'Community Protection Notices issued',
  other_warnings_and_actions: 'Other warnings and enforcement actions',
  patrol_hours: 'Patrol hours',
  referrals_made: 'Referrals to internal and external support services',
  case_reviews_received: 'Case Review requests received',
  case_reviews_threshold_not_met: 'Case Review requests where the threshold was not met',
  case_reviews_upheld: 'Case Reviews where the panel upheld the complaint',
  case_reviews_carried_out: 'Case Reviews carried out',
  case_reviews_with_recommendations: 'Case Reviews that led to recommendations',
  closure_orders: 'Closure orders',
  s1_injunctions: 'Section 1 injunctions',
  other_enforcement_notices: 'Other enforcement notices',
  interviews_under_caution: 'Interviews under caution',
  legal_case_files: 'Case files presented to legal',
  stop_search_operations: 'Waste-carrier stop-and-search operations',
  total_team_actions: 'Total recorded team actions',
  tenancy_cases: 'Tenancy Services ASB cases opened, by risk category and quarter',
  nm01_asb_per_1000_homes: 'NM01: ASB cases per 1,000 homes',
  nm01_hate_asb_per_1000_homes: 'NM01: hate-related ASB cases per 1,000 homes',
};

/** The team's own twelve KPIs (domain.md), the first rows of every report. */
export const teamKpis: readonly KpiId[] = kpiIds.slice(0, 12);

export interface Quarters {
  readonly Q1: number;
  readonly Q2: number;
  readonly Q3: number;
  readonly Q4: number;
  readonly total: number;
}

/** Tenancy Services cases by risk category and financial-year quarter of opening. */
export interface TenancyTable {
  readonly A: Quarters;
  readonly B: Quarters;
  readonly C: Quarters;
  readonly total: number;
}

/**
 * A KPI's value: a count, a percentage to one decimal, a rate to two decimals, or the
 * tenancy table. `null` where it cannot be computed (a percentage of no cases, NM01 with no
 * housing stock recorded on or before the range's end).
 */
export type KpiValue = number | TenancyTable | null;
export type KpiFigures = { readonly [K in KpiId]: K extends 'tenancy_cases' ? TenancyTable : number | null };

/** An inclusive range of London calendar dates, `YYYY-MM-DD`. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** The `GET /kpis` answer. */
export interface KpiReport extends DateRange {
  readonly kpis: KpiFigures;
  readonly previous: DateRange & { readonly kpis: KpiFigures };
}
