/**
 * What the KPI dashboard and the HTML report show, worked out here so templates only lay it
 * out: every figure as people write it, the change in words, why a figure is missing, the
 * tenancy table, the charts, and the period picker's choices.
 */
import { comparisonChartSvg, tenancyChartSvg } from './charts.ts';
import { kpiLabels, teamKpis, type DateRange, type KpiId, type KpiReport, type TenancyTable } from './model.ts';
import { committeeYearPeriod, dateText, financialYearPeriod, monthPeriod, quarters, yearsOf, type Period, type PeriodQuery } from './periods.ts';
import { lazy } from '#shared/lazy';
import { londonDateOf } from '#shared/london-time';

export type Cell = { text: string; format?: 'numeric'; classes?: string };
export type NumericKpi = Exclude<KpiId, 'tenancy_cases'>;
export const isNumeric = (id: KpiId): id is NumericKpi => id !== 'tenancy_cases';

/** After the team's twelve: the figures the annual report to the committee adds. */
export const annualReportKpis: readonly NumericKpi[] = [
  'case_reviews_carried_out',
  'case_reviews_with_recommendations',
  'closure_orders',
  's1_injunctions',
  'other_enforcement_notices',
  'interviews_under_caution',
  'legal_case_files',
  'stop_search_operations',
  'total_team_actions',
];
export const nm01Kpis: readonly NumericKpi[] = ['nm01_asb_per_1000_homes', 'nm01_hate_asb_per_1000_homes'];

type Kind = 'count' | 'percent' | 'rate';
const kindOf = (id: NumericKpi): Kind => (id === 'pct_cases_referred_from_housing' ? 'percent' : id.startsWith('nm01_') ? 'rate' : 'count');

// Made on first use (functions/shared/lazy.ts): the first Intl formatter made loads ICU's data.
const numberFormat = (options: Intl.NumberFormatOptions) => {
  const format = lazy(() => new Intl.NumberFormat('en-GB', options));
  return { format: (n: number) => format().format(n) };
};
const counts = numberFormat({ maximumFractionDigits: 2 });
const fixed = (digits: number) => numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits });
const oneDecimal = fixed(1);
const twoDecimals = fixed(2);

/** A figure as people write it: `4364` → "4,364", a percentage → "12.5%", NM01 → "3.40". */
export function valueText(id: NumericKpi, value: number): string {
  switch (kindOf(id)) {
    case 'percent':
      return `${oneDecimal.format(value)}%`;
    case 'rate':
      return twoDecimals.format(value);
    case 'count':
      return counts.format(value);
  }
}

/** "Not available", and why, for a figure that cannot be worked out for a range. */
export function notAvailableText(id: NumericKpi, range: DateRange): string {
  if (id === 'pct_cases_referred_from_housing') return 'Not available: no cases were opened';
  if (kindOf(id) === 'rate') return `Not available: no count of homes recorded by ${dateText(range.to)}`;
  return 'Not available: not recorded for this period';
}

const figureText = (id: NumericKpi, value: number | null, range: DateRange) => (value === null ? notAvailableText(id, range) : valueText(id, value));

function changeOf(kind: Kind, current: number | null, previous: number | null): string {
  if (current === null || previous === null) return 'Cannot compare';
  const places = kind === 'percent' ? 10 : 100;
  const difference = Math.round((current - previous) * places) / places;
  if (difference === 0) return 'no change';
  const size = kind === 'percent' ? `${oneDecimal.format(Math.abs(difference))} percentage points` : kind === 'rate' ? twoDecimals.format(Math.abs(difference)) : counts.format(Math.abs(difference));
  return `${difference > 0 ? 'up' : 'down'} ${size}`;
}

/** The change in words: "up 12", "down 3", "no change"; a percentage's in percentage points. */
export const changeText = (id: NumericKpi, current: number | null, previous: number | null): string => changeOf(kindOf(id), current, previous);

export interface KpiLine {
  readonly id: NumericKpi;
  readonly label: string;
  readonly current: number | null;
  readonly previous: number | null;
  readonly currentText: string;
  readonly previousText: string;
  readonly change: string;
}

export function kpiLine(report: KpiReport, id: NumericKpi): KpiLine {
  const current = report.kpis[id];
  const previous = report.previous.kpis[id];
  return {
    id,
    label: kpiLabels[id],
    current,
    previous,
    currentText: figureText(id, current, report),
    previousText: figureText(id, previous, report.previous),
    change: changeText(id, current, previous),
  };
}

/** A figure's cell: right-aligned when it is a number, as text when it says why there is none. */
export const numeric = (text: string): Cell => (text.startsWith('Not available') ? { text } : { text, format: 'numeric' });

/** Rows for govukTable: KPI, this period, previous period, change. */
export const lineRows = (lines: readonly KpiLine[]): Cell[][] =>
  lines.map((l) => [{ text: l.label }, numeric(l.currentText), numeric(l.previousText), { text: l.change }]);

export const kpiTableHead: Cell[] = [{ text: 'KPI' }, { text: 'This period', format: 'numeric' }, { text: 'Previous period', format: 'numeric' }, { text: 'Change' }];

const categories = ['A', 'B', 'C'] as const;

/** The tenancy table as rows: a category a row, quarters across, and an "All categories" row. */
export function tenancyQuarterRows(table: TenancyTable): Cell[][] {
  const row = (label: string, values: readonly number[], bold = false): Cell[] => [
    { text: label, ...(bold ? { classes: 'govuk-!-font-weight-bold' } : {}) },
    ...values.map((v) => ({ text: counts.format(v), format: 'numeric' as const, ...(bold ? { classes: 'govuk-!-font-weight-bold' } : {}) })),
  ];
  return [
    ...categories.map((c) => row(c, [...quarters.map((q) => table[c][q]), table[c].total])),
    row('All', [...quarters.map((q) => categories.reduce((sum, c) => sum + table[c][q], 0)), table.total], true),
  ];
}

export const tenancyQuarterHead: Cell[] = [
  { text: 'Risk' },
  { text: 'Q1 Apr–Jun', format: 'numeric' },
  { text: 'Q2 Jul–Sep', format: 'numeric' },
  { text: 'Q3 Oct–Dec', format: 'numeric' },
  { text: 'Q4 Jan–Mar', format: 'numeric' },
  { text: 'Total', format: 'numeric' },
];

/** Cases opened per category, this period beside the previous one. */
export function tenancyComparisonRows(report: KpiReport): Cell[][] {
  const now = report.kpis.tenancy_cases;
  const before = report.previous.kpis.tenancy_cases;
  const line = (label: string, a: number, b: number): Cell[] => [{ text: label }, numeric(counts.format(a)), numeric(counts.format(b)), { text: changeOf('count', a, b) }];
  return [...categories.map((c) => line(c, now[c].total, before[c].total)), line('All', now.total, before.total)];
}

export interface ChartView {
  readonly id: string;
  readonly heading: string;
  readonly svg: string;
  /** The same figures as a table (govukTable rows, with kpiTableHead). */
  readonly rows: Cell[][];
}

/** The charts of this period beside the previous one, a group of like figures each. */
export const chartGroups: readonly { id: string; heading: string; kpis: readonly NumericKpi[] }[] = [
  { id: 'chart-cases', heading: 'Cases investigated and referrals', kpis: ['enviro_incidents_investigated', 'asb_cases_investigated', 'referrals_made'] },
  { id: 'chart-warnings', heading: 'Warnings, notices and penalties', kpis: ['fpn_issued', 'cpw_issued', 'cpn_issued', 'other_warnings_and_actions', 'other_enforcement_notices'] },
  { id: 'chart-court', heading: 'Court orders, interviews, legal files and operations', kpis: ['closure_orders', 's1_injunctions', 'interviews_under_caution', 'legal_case_files', 'stop_search_operations'] },
  {
    id: 'chart-reviews',
    heading: 'ASB Case Reviews',
    kpis: ['case_reviews_received', 'case_reviews_threshold_not_met', 'case_reviews_upheld', 'case_reviews_carried_out', 'case_reviews_with_recommendations'],
  },
  { id: 'chart-activity', heading: 'Patrol hours and recorded team actions', kpis: ['patrol_hours', 'total_team_actions'] },
];

export interface PeriodNames {
  readonly current: string;
  readonly previous: string;
}

export function comparisonCharts(report: KpiReport, names: PeriodNames): ChartView[] {
  return chartGroups.map((group) => {
    const lines = group.kpis.map((id) => kpiLine(report, id));
    const svg = comparisonChartSvg({
      id: group.id,
      title: `${group.heading}: ${names.current} compared with ${names.previous}`,
      description: `Bars for each figure: solid for this period, hatched for the previous period, each followed by its number. The table after the chart gives the same figures.`,
      currentName: names.current,
      previousName: names.previous,
      items: lines.map((l) => ({
        label: l.label,
        current: l.current,
        previous: l.previous,
        currentText: l.current === null ? 'Not available' : l.currentText,
        previousText: l.previous === null ? 'Not available' : l.previousText,
      })),
    });
    return { id: group.id, heading: group.heading, svg, rows: lineRows(lines) };
  });
}

export function tenancyChart(table: TenancyTable, periodName: string): string {
  return tenancyChartSvg({
    id: 'chart-tenancy',
    title: `Tenancy Services ASB cases opened by quarter and risk category, ${periodName}`,
    description:
      'For each financial-year quarter, three bars: category A (dark), B (hatched) and C (white), each followed by its letter and number of cases. The table of cases opened by quarter gives the same figures.',
    table,
  });
}

export interface DashboardModel {
  readonly teamRows: Cell[][];
  readonly annualRows: Cell[][];
  readonly nm01Rows: Cell[][];
  readonly tenancyRows: Cell[][];
  readonly tenancyComparison: Cell[][];
  readonly tenancyChart: string;
  readonly charts: readonly ChartView[];
}

/** Everything the dashboard and the HTML report show for one report. */
export function dashboardModel(report: KpiReport, names: PeriodNames): DashboardModel {
  const rows = (ids: readonly NumericKpi[]) => lineRows(ids.map((id) => kpiLine(report, id)));
  return {
    teamRows: rows(teamKpis.filter(isNumeric)),
    annualRows: rows(annualReportKpis),
    nm01Rows: rows(nm01Kpis),
    tenancyRows: tenancyQuarterRows(report.kpis.tenancy_cases),
    tenancyComparison: tenancyComparisonRows(report),
    tenancyChart: tenancyChart(report.kpis.tenancy_cases, names.current),
    charts: comparisonCharts(report, names),
  };
}

// ---- The period picker ----

type Item = { value: string; text: string; selected?: boolean };

const monthText = (month: string) => dateText(`${month}-01`).replace(/^1 /, '');
const quarterMonths = ['April to June', 'July to September', 'October to December', 'January to March'];
const shiftMonth = (month: string, by: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};
const shiftYear = (year: string, by: number, separator: '-' | '/') => {
  const first = Number(year.slice(0, 4)) + by;
  return `${first}${separator}${String((first + 1) % 100).padStart(2, '0')}`;
};

/** A select's items, newest first, with `selected` (added when it is valid but not in the usual list). */
function selectItems(values: readonly string[], selected: string | undefined, valid: (v: string) => boolean, text: (v: string) => string = (v) => v): Item[] {
  const all = selected && !values.includes(selected) && valid(selected) ? [...values, selected].sort().reverse() : values;
  return all.map((v) => ({ value: v, text: text(v), ...(v === selected ? { selected: true } : {}) }));
}

type DateFields = { day: string; month: string; year: string };

export interface PickerModel {
  readonly period: string;
  readonly months: Item[];
  readonly quarters: Item[];
  readonly quarterYears: Item[];
  readonly financialYears: Item[];
  readonly committeeYears: Item[];
  readonly from: DateFields;
  readonly to: DateFields;
}

const dateFields = (date: string): DateFields => {
  const [y, m, d] = date.split('-');
  return { day: String(Number(d)), month: String(Number(m)), year: y ?? '' };
};

const quarterOf = (date: string) => quarters[Math.floor(((Number(date.slice(5, 7)) + 8) % 12) / 3)] ?? 'Q1';

/**
 * The picker's choices and what is filled in: the chosen period (every input starts from its
 * dates, so switching type keeps the same time of year), or, when the query was refused, what
 * the person sent, so they correct it rather than start again.
 */
export function pickerModel(chosen: Period | undefined, query: PeriodQuery, now: Date, fallback: Period): PickerModel {
  const today = londonDateOf(now);
  const thisMonth = today.slice(0, 7);
  const current = yearsOf(today);
  const shown = chosen ?? fallback;
  const sent = (...names: string[]) => (chosen ? undefined : names.map((n) => query[n]?.trim()).find(Boolean));
  const shownYears = yearsOf(shown.from);
  const fy = shown.kind === 'quarter' || shown.kind === 'financial-year' ? (shown.year ?? shownYears.financialYear) : shownYears.financialYear;
  const dates = (name: 'from' | 'to', date: string): DateFields => {
    // The form sends its date fields even when blank: show them blank again, not refilled.
    const parts = (['day', 'month', 'year'] as const).map((p) => (chosen ? undefined : query[`${name}-${p}`]));
    if (parts.some((p) => p !== undefined)) return { day: parts[0] ?? '', month: parts[1] ?? '', year: parts[2] ?? '' };
    const whole = sent(name);
    return whole === undefined ? dateFields(date) : /^\d{4}-\d{2}-\d{2}$/.test(whole) ? dateFields(whole) : { day: '', month: '', year: '' };
  };
  const lastYears = (year: string, separator: '-' | '/') => Array.from({ length: 7 }, (_, i) => shiftYear(year, -i, separator));
  const quarter = (sent('quarter') ?? shown.quarter ?? quarterOf(shown.from)).toUpperCase();
  return {
    period: sent('period') ?? shown.kind,
    months: selectItems(
      Array.from({ length: 36 }, (_, i) => shiftMonth(thisMonth, -i)),
      sent('month') ?? shown.month ?? shown.from.slice(0, 7),
      (m) => monthPeriod(m) !== undefined,
      (m) => (m === thisMonth ? `${monthText(m)} (so far)` : monthText(m)),
    ),
    quarters: quarters.map((q, i) => ({ value: q, text: `${q} (${quarterMonths[i]})`, ...(q === quarter ? { selected: true } : {}) })),
    quarterYears: selectItems(lastYears(current.financialYear, '-'), sent('quarterYear', 'year') ?? fy, (y) => financialYearPeriod(y) !== undefined),
    financialYears: selectItems(lastYears(current.financialYear, '-'), sent('financialYear', 'year') ?? fy, (y) => financialYearPeriod(y) !== undefined),
    committeeYears: selectItems(
      lastYears(current.committeeYear, '/'),
      sent('committeeYear', 'year') ?? (shown.kind === 'committee-year' ? shown.year : shownYears.committeeYear),
      (y) => committeeYearPeriod(y) !== undefined,
    ),
    from: dates('from', shown.from),
    to: dates('to', shown.to),
  };
}

/** Where the error summary's links go: each field's first input. */
export const periodFields = {
  period: 'period',
  month: 'month',
  quarter: 'quarter',
  quarterYear: 'quarterYear',
  financialYear: 'financialYear',
  committeeYear: 'committeeYear',
  from: 'from-day',
  to: 'to-day',
} as const;

