/**
 * The figures of the council's annual Crime and Disorder report to the Scrutiny Committee, for
 * one committee year (October to September), drafted from the same counters and ledgers as
 * `GET /kpis` and `GET /funding`: the enforcement table beside the year before, the team's
 * twelve KPIs, the Case Review figures, Tenancy Services' quarter table with NM01 and the
 * funding tables. Reading is one step (`readAnnualReport`), laying out another
 * (`annualReportModel`, pure), so the template only places what is worked out here. Every
 * section names the period its figures cover.
 */
import * as z from 'zod';
import type { ErrorDetail } from '#shared/errors';
import { dateText, londonDateOf, londonFormat } from '#shared/london-time';
import { formatPounds } from '../funding/money.ts';
import type { StreamRegistry } from '../funding/stream-registry.ts';
import { yearsOf as streamYearsOf, type FundingStreamConfig } from '../funding/streams.ts';
import { reportLines, type LedgerView } from '../funding/views.ts';
import { comparisonChartSvg } from './charts.ts';
import { kpiLabels, teamKpis, type KpiReport } from './model.ts';
import { isNumeric, kpiLine, numeric, tenancyChart, tenancyQuarterHead, tenancyQuarterRows, valueText, type Cell, type NumericKpi } from './page-model.ts';
import { committeeYearPeriod, lastCompletePeriod, periodContaining, periodOf, type Period } from './periods.ts';
import type { ReadKpis } from './read.ts';

// ---- Which committee year ----

export type YearChoice = { readonly year: Period; readonly errors?: undefined } | { readonly year?: undefined; readonly errors: readonly ErrorDetail[] };

const yearHint = 'write the year it ends, like 2025 for October 2024 to September 2025 (or 2024/25)';

/** The query of the annual report page (for the OpenAPI document; committeeYearFrom gives the messages). */
export const annualReportQuery = z.object({
  year: z.string().optional().describe('The committee year, by the year it ends: 2025 is October 2024 to September 2025 (2024/25 also works); default the last one ended'),
});

/**
 * The committee year a query asks for: `year=2025` is the year ending in September 2025
 * (October 2024 to September 2025), `year=2024/25` the same; no year is the last one ended.
 * A year that has not begun is refused: there is nothing to report.
 */
export function committeeYearFrom(year: string | undefined, now: Date): YearChoice {
  const today = londonDateOf(now);
  const text = year?.trim();
  if (!text) return { year: lastCompletePeriod('committee-year', today) };
  const ending = /^\d{4}$/.test(text) ? Number(text) : undefined;
  const period = ending !== undefined ? committeeYearPeriod(`${ending - 1}/${String(ending % 100).padStart(2, '0')}`) : committeeYearPeriod(text);
  if (!period) return { errors: [{ path: 'year', message: `choose a committee year from 2000/01 to 2099/00: ${yearHint}` }] };
  if (period.from > today) {
    const latest = periodContaining('committee-year', today);
    return { errors: [{ path: 'year', message: `committee year ${period.year} has not begun: choose ${latest.year} (the year so far) or an earlier one` }] };
  }
  return { year: period };
}

/** The committee years to choose from, newest first: the current one (so far) and the ten before. */
export function committeeYearChoices(now: Date, selected?: Period): { value: string; text: string; selected?: boolean }[] {
  const current = periodContaining('committee-year', londonDateOf(now));
  const first = Number(current.from.slice(0, 4));
  return Array.from({ length: 11 }, (_, i) => {
    const p = periodContaining('committee-year', `${first - i}-10-01`);
    const ending = p.to.slice(0, 4);
    return { value: ending, text: `${p.year} (October ${first - i} to September ${ending})${i === 0 ? ', so far' : ''}`, ...(selected?.from === p.from ? { selected: true } : {}) };
  });
}

// ---- Reading ----

/** A funding ledger as `GET /funding/{stream}/{financialYear}` answers it, with its period. */
export interface FundingYear {
  readonly period: Period;
  readonly view: LedgerView;
}

export interface StreamFunding {
  readonly stream: FundingStreamConfig;
  readonly years: readonly FundingYear[];
  /** Financial years the report asked for that the stream does not cover (the report says so). */
  readonly missing: readonly Period[];
}

export interface AnnualReportData {
  /** The committee year; `kpis.previous` is the year before. */
  readonly year: Period;
  readonly kpis: KpiReport;
  /** The financial year that ended within the committee year (April to March), with the one before. */
  readonly financialYear: Period;
  readonly tenancy: KpiReport;
  /** Streams that run year after year (the CSP): each financial year the committee year touches. */
  readonly annualStreams: readonly StreamFunding[];
  /** Streams with an end date that overlap the committee year: every year of the stream. */
  readonly multiYearStreams: readonly StreamFunding[];
  readonly createdAt: string;
}

export interface AnnualReportDeps {
  readonly readKpis: ReadKpis;
  /** The ledger view `GET /funding/{stream}/{financialYear}` answers (funding's own read). */
  readonly readLedger: (stream: FundingStreamConfig, financialYear: string) => Promise<LedgerView>;
  readonly now: () => Date;
  /** The open funding streams (funding's stream registry: streams are data, opened by finance). */
  readonly streams: Pick<StreamRegistry, 'list'>;
}

/**
 * Everything the report shows, in a bounded number of reads: two KPI reads (the committee
 * year beside the one before; the financial year beside the one before), one read of the open
 * streams (one small partition) and one ledger item per stream and year.
 */
export async function readAnnualReport(year: Period, deps: AnnualReportDeps): Promise<AnnualReportData> {
  const now = deps.now();
  // 1. The financial year that ends within the committee year: the one its October falls in.
  const financialYear = periodContaining('financial-year', year.from);
  const touched = [financialYear, periodContaining('financial-year', year.to)];
  // 2. Each stream's years: an annual stream's years the committee year touches; a multi-year stream's every year.
  const fundingOf = async (stream: FundingStreamConfig, wanted: readonly Period[]): Promise<StreamFunding> => {
    const covered = new Set(streamYearsOf(stream, now));
    const years = await Promise.all(wanted.filter((p) => covered.has(p.label)).map(async (period) => ({ period, view: await deps.readLedger(stream, period.label) })));
    return { stream, years, missing: wanted.filter((p) => !covered.has(p.label)) };
  };
  const overlaps = (s: FundingStreamConfig) => s.startsOn <= year.to && (s.endsOn ?? '9999-12-31') >= year.from;
  const allYearsOf = (s: FundingStreamConfig) => streamYearsOf(s, now).map((fy) => periodContaining('financial-year', `${fy.slice(0, 4)}-04-01`));
  // 3. The reads, side by side: the ledgers once the open streams are known.
  const fundingOfStreams = async () => {
    const streams = await deps.streams.list();
    return Promise.all([
      Promise.all(streams.filter((s) => !s.endsOn).map((s) => fundingOf(s, touched))),
      Promise.all(streams.filter((s) => s.endsOn && overlaps(s)).map((s) => fundingOf(s, allYearsOf(s)))),
    ]);
  };
  const [kpis, tenancy, [annualStreams, multiYearStreams]] = await Promise.all([deps.readKpis(year), deps.readKpis(financialYear), fundingOfStreams()]);
  return { year, kpis, financialYear, tenancy, annualStreams, multiYearStreams, createdAt: now.toISOString() };
}

// ---- Laying out ----

export interface TableView {
  readonly caption: string;
  readonly head: readonly Cell[];
  readonly rows: readonly Cell[][];
  /** The KPI id of each row, where a row is one (the exports name figures by these ids). */
  readonly ids?: readonly (string | undefined)[];
  /** Index of a row to show as a total (bold), if any. */
  readonly totalRows?: readonly number[];
}

export interface ChartSection {
  readonly svg: string;
  /** Which table gives the same figures. */
  readonly tableNote: string;
}

export interface FundingTableView extends TableView {
  readonly id: string;
  readonly heading: string;
  readonly notes: readonly string[];
}

export interface AnnualReportModel {
  readonly title: string;
  readonly yearName: string;
  readonly previousName: string;
  readonly createdText: string;
  /** Each section and the period its figures cover. */
  readonly periods: readonly { readonly section: string; readonly period: string }[];
  readonly enforcement: TableView & { readonly totalChange: string; readonly chart: ChartSection };
  readonly teamKpis: TableView & { readonly chart: ChartSection };
  readonly caseReviews: TableView;
  readonly tenancy: {
    readonly periodName: string;
    readonly quarters: TableView;
    readonly chart: ChartSection;
    readonly nm01: TableView;
    /** Said plainly when NM01 cannot be worked out, with what would make it available. */
    readonly nm01Missing?: { readonly text: string; readonly remedy: string };
  };
  readonly funding: {
    readonly annual: readonly FundingTableView[];
    readonly multiYear: readonly FundingTableView[];
    /** Years asked for that a stream does not cover, said plainly. */
    readonly notes: readonly string[];
  };
  /** The API calls that answer the same figures. */
  readonly sources: readonly { readonly what: string; readonly href: string }[];
}

const createdFormat = londonFormat({ day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const createdText = (iso: string) => createdFormat(iso).replace(', ', ' at ');

/** `2023/24` for a committee year, `2024-25` for a financial year: the short name a column header uses. */
const shortName = (p: Period) => p.year ?? p.name;

/** The enforcement table's rows, in the report's words (domain.md). */
export const enforcementRows: readonly { readonly id: NumericKpi; readonly label: string }[] = [
  { id: 'closure_orders', label: 'Closure order' },
  { id: 's1_injunctions', label: 'Section 1 injunction' },
  { id: 'cpw_issued', label: 'Community Protection Warnings' },
  { id: 'cpn_issued', label: 'Community Protection Notices' },
  { id: 'other_enforcement_notices', label: 'Other enforcement notices' },
  { id: 'interviews_under_caution', label: 'Interviews under caution' },
  { id: 'fpn_issued', label: 'Fixed Penalty Notices' },
  { id: 'legal_case_files', label: 'Case files presented to legal' },
  { id: 'stop_search_operations', label: 'Waste-carrier stop-and-search operations' },
  { id: 'total_team_actions', label: 'Total recorded team actions' },
];

export const caseReviewKpis: readonly NumericKpi[] = [
  'case_reviews_received',
  'case_reviews_threshold_not_met',
  'case_reviews_carried_out',
  'case_reviews_with_recommendations',
  'case_reviews_upheld',
];

/** A year-on-year table: the earlier year first, as the report prints it, then the change. */
function yearOnYear(report: KpiReport, rows: readonly { id: NumericKpi; label: string }[], caption: string, names: { current: string; previous: string }): TableView {
  return {
    caption,
    head: [{ text: 'Figure' }, { text: names.previous, format: 'numeric' }, { text: names.current, format: 'numeric' }, { text: 'Change' }],
    rows: rows.map(({ id, label }) => {
      const line = kpiLine(report, id);
      return [{ text: label }, numeric(line.previousText), numeric(line.currentText), { text: line.change }];
    }),
    ids: rows.map((r) => r.id),
  };
}

function chartOf(id: string, title: string, report: KpiReport, rows: readonly { id: NumericKpi; label: string }[], names: { current: string; previous: string }, tableNote: string): ChartSection {
  const svg = comparisonChartSvg({
    id,
    title,
    description: `Bars for each figure: solid for ${names.current}, hatched for ${names.previous}, each followed by its number. ${tableNote}`,
    currentName: names.current,
    previousName: names.previous,
    items: rows.map(({ id: kpi, label }) => {
      const line = kpiLine(report, kpi);
      return { label, current: line.current, previous: line.previous, currentText: line.current === null ? 'Not available' : line.currentText, previousText: line.previous === null ? 'Not available' : line.previousText };
    }),
  });
  return { svg, tableNote };
}

/** "rose by 1,758, from 2,606 in 2022/23 to 4,364 in 2023/24". */
export function totalChangeText(report: KpiReport, names: { current: string; previous: string }): string {
  const now = report.kpis.total_team_actions ?? 0;
  const before = report.previous.kpis.total_team_actions ?? 0;
  const figures = `from ${valueText('total_team_actions', before)} in ${names.previous} to ${valueText('total_team_actions', now)} in ${names.current}`;
  if (now === before) return `Total recorded team actions stayed at ${valueText('total_team_actions', now)} in ${names.previous} and ${names.current}.`;
  return `Total recorded team actions ${now > before ? 'rose' : 'fell'} by ${valueText('total_team_actions', Math.abs(now - before))}, ${figures}.`;
}

const money = (pence: number, bold = false): Cell => ({ text: formatPounds(pence).replace('−£', '−\u2060£'), format: 'numeric', ...(bold ? { classes: 'total' } : {}) });

function fundingYearTable(stream: FundingStreamConfig, year: FundingYear, today: string): FundingTableView {
  const lines = reportLines(year.view);
  const notes: string[] = [];
  if (year.view.closed) notes.push(`Closed at year end with ${formatPounds(year.view.closed.remainingPence)} remaining.`);
  else if (year.period.to >= today) notes.push(`${year.period.label} has not ended: figures to date.`);
  if (year.view.overspent) notes.push(`Overspent by ${formatPounds(-year.view.remainingPence)}.`);
  if (year.view.lines.length === 0) notes.push(`Nothing has been recorded in the ${stream.code} ${year.period.label} ledger.`);
  return {
    id: `funding-${stream.code}-${year.period.label}`.toLowerCase(),
    heading: `${stream.name}, ${year.period.name}`,
    caption: `${stream.code} ${year.period.label}: allocation, awards, spend by project and what remains`,
    head: [{ text: 'Line' }, { text: 'Amount', format: 'numeric' }],
    rows: lines.map((l) => [{ text: l.project ? `${l.line}: ${l.project}` : l.line, ...(l.total ? { classes: 'total' } : {}) }, money(l.pence, l.total)]),
    totalRows: lines.flatMap((l, i) => (l.total ? [i] : [])),
    notes,
  };
}

function multiYearTable(funding: StreamFunding): FundingTableView {
  const columns = [
    ['Allocated', (v: LedgerView) => v.allocatedPence],
    ['Awarded', (v: LedgerView) => v.awardedPence],
    ['Recalled', (v: LedgerView) => v.recalledPence],
    ['Adjusted', (v: LedgerView) => v.adjustedPence],
    ['Spent', (v: LedgerView) => v.spentPence],
    ['Remaining', (v: LedgerView) => v.remainingPence],
  ] as const;
  // Adjustments are rare: a column only when there is one.
  const shown = columns.filter(([name, of]) => name !== 'Adjusted' || funding.years.some((y) => of(y.view) !== 0));
  const { stream } = funding;
  return {
    id: `stream-${stream.code}`.toLowerCase(),
    heading: stream.name,
    caption: `${stream.code} by financial year, ${funding.years.map((y) => y.period.label).join(' and ')}: each year's ledger and the stream in all`,
    head: [{ text: 'Financial year' }, ...shown.map(([name]) => ({ text: name, format: 'numeric' as const }))],
    rows: [
      ...funding.years.map((y) => [{ text: y.period.label }, ...shown.map(([, of]) => money(of(y.view)))]),
      [{ text: 'All years', classes: 'total' }, ...shown.map(([, of]) => money(funding.years.reduce((sum, y) => sum + of(y.view), 0), true))],
    ],
    totalRows: [funding.years.length],
    notes: [stream.description, `It runs from ${dateText(stream.startsOn)} to ${dateText(stream.endsOn ?? stream.startsOn)}.`],
  };
}

/** The report laid out: tables (with charts and their table alternatives), every figure's period named. */
export function annualReportModel(data: AnnualReportData): AnnualReportModel {
  const { year, kpis, financialYear, tenancy } = data;
  const previous = periodOf(kpis.previous);
  const names = { current: shortName(year), previous: shortName(previous) };
  const today = londonDateOf(data.createdAt);
  const soFar = year.to >= today ? ' (the year so far)' : '';

  const enforcementTable = yearOnYear(kpis, enforcementRows, `Enforcement, committee years ${names.previous} and ${names.current} (October to September)${soFar}`, names);
  const team = teamKpis.filter(isNumeric).map((id) => ({ id, label: kpiLabels[id] }));
  const fyNames = { current: shortName(financialYear), previous: shortName(periodOf(tenancy.previous)) };
  const nm01Null = tenancy.kpis.nm01_asb_per_1000_homes === null;

  const annual = data.annualStreams.flatMap((s) => s.years.map((y) => fundingYearTable(s.stream, y, today)));
  const multiYear = data.multiYearStreams.filter((s) => s.years.length > 0).map(multiYearTable);
  const fundingPeriods = data.annualStreams.flatMap((s) => s.years.map((y) => `${s.stream.code} ${y.period.name}`));

  return {
    title: `Safer Communities annual report figures: committee year ${year.year ?? ''}`,
    yearName: year.name,
    previousName: previous.name,
    createdText: createdText(data.createdAt),
    periods: [
      { section: 'Enforcement, the team’s KPIs and Case Reviews', period: `${year.name}${soFar}, beside ${previous.name}` },
      { section: 'Tenancy Services ASB cases and NM01', period: `${financialYear.name}, the financial year that ended within the committee year, beside ${periodOf(tenancy.previous).name}` },
      { section: 'Funding', period: fundingPeriods.length ? `${fundingPeriods.join('; ')}: the financial years the committee year touches; multi-year streams in every year they run` : 'No funding stream covers these years' },
    ],
    enforcement: {
      ...enforcementTable,
      totalRows: [enforcementRows.length - 1],
      totalChange: totalChangeText(kpis, names),
      chart: chartOf(
        'chart-enforcement',
        `Enforcement actions, committee year ${names.current} compared with ${names.previous}`,
        kpis,
        enforcementRows.slice(0, -1),
        names,
        'The enforcement table gives the same figures.',
      ),
    },
    teamKpis: {
      ...yearOnYear(kpis, team, `The team’s twelve KPIs, committee years ${names.previous} and ${names.current}${soFar}`, names),
      chart: chartOf(
        'chart-kpis',
        `Cases, warnings, notices and referrals, committee year ${names.current} compared with ${names.previous}`,
        kpis,
        team.filter(({ id }) => !['pct_cases_referred_from_housing', 'patrol_hours'].includes(id) && !id.startsWith('case_reviews_')),
        names,
        'The table of the team’s twelve KPIs gives the same figures.',
      ),
    },
    caseReviews: yearOnYear(
      kpis,
      caseReviewKpis.map((id) => ({ id, label: kpiLabels[id] })),
      `ASB Case Reviews, committee years ${names.previous} and ${names.current}${soFar}`,
      names,
    ),
    tenancy: {
      periodName: financialYear.name,
      quarters: {
        caption: `Tenancy Services ASB cases opened by risk category and quarter, ${financialYear.name}`,
        head: tenancyQuarterHead,
        rows: tenancyQuarterRows(tenancy.kpis.tenancy_cases),
        totalRows: [3],
      },
      chart: { svg: tenancyChart(tenancy.kpis.tenancy_cases, financialYear.name), tableNote: 'The quarter table gives the same figures.' },
      nm01: yearOnYear(
        tenancy,
        (['nm01_asb_per_1000_homes', 'nm01_hate_asb_per_1000_homes'] as const).map((id) => ({ id, label: kpiLabels[id] })),
        `NM01: ASB cases per 1,000 council homes, financial years ${fyNames.previous} and ${fyNames.current}`,
        fyNames,
      ),
      ...(nm01Null
        ? {
            nm01Missing: {
              text: `NM01 for ${financialYear.label} is not available: no count of the homes the council owns has been recorded on or before ${dateText(financialYear.to)}.`,
              remedy: `To make it available, Tenancy Services record the number of homes the council owns as landlord, with the date they were counted (on or before the last day of ${financialYear.label}), as a HousingStockRecorded event (on the page Record the number of homes, /officer/kpis/housing-stock). The rates are then worked out from the cases already counted; nothing needs to be entered again.`,
            },
          }
        : {}),
    },
    funding: {
      annual,
      multiYear,
      notes: data.annualStreams.flatMap((s) => {
        const covered = streamYearsOf(s.stream, new Date(data.createdAt));
        return s.missing.map((p) => `${s.stream.name}: no ledger for ${p.label}; the stream covers ${covered[0] ?? ''} to ${covered.at(-1) ?? ''}.`);
      }),
    },
    sources: [
      { what: `Enforcement, KPIs and Case Reviews, ${names.current} beside ${names.previous}`, href: `/kpis?from=${year.from}&to=${year.to}` },
      { what: `Tenancy Services cases and NM01, ${fyNames.current} beside ${fyNames.previous}`, href: `/kpis?from=${financialYear.from}&to=${financialYear.to}` },
      ...[...data.annualStreams, ...data.multiYearStreams].flatMap((s) => s.years.map((y) => ({ what: `${s.stream.name}, ${y.period.label}`, href: `/funding/${s.stream.code}/${y.period.label}` }))),
    ],
  };
}
