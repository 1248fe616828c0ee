/**
 * The KPI report as CSV rows: one row per KPI (id, label, value, previous, change), the
 * tenancy table flattened to one row per cell (`tenancy_cases.A.Q1` … `tenancy_cases.total`).
 * Written with the project's spreadsheet CSV (RFC 4180, UTF-8 with a BOM, CRLF), so Excel opens
 * it as it is.
 */
import { formulaSafe, spreadsheetCsv } from '#shared/csv';
import { kpiIds, kpiLabels, type KpiId, type KpiReport, type Quarters, type TenancyTable } from './model.ts';

export const csvHeader = ['id', 'label', 'value', 'previous', 'change'] as const;

/** Decimals each figure is given to; counts are whole numbers. */
const decimals: Partial<Record<KpiId, number>> = {
  pct_cases_referred_from_housing: 1,
  patrol_hours: 1,
  nm01_asb_per_1000_homes: 2,
  nm01_hate_asb_per_1000_homes: 2,
};

const cell = (value: number | null) => (value === null ? '' : String(value));

/** value − previous, in the figure's own decimals; blank when either is missing. */
function change(value: number | null, previous: number | null, places: number): string {
  if (value === null || previous === null) return '';
  const factor = 10 ** places;
  const difference = Math.round((value - previous) * factor) / factor;
  return String(difference === 0 ? 0 : difference);
}

const quarterKeys = ['Q1', 'Q2', 'Q3', 'Q4', 'total'] as const satisfies readonly (keyof Quarters)[];

function tenancyRows(now: TenancyTable, before: TenancyTable): string[][] {
  const rows: string[][] = [];
  for (const risk of ['A', 'B', 'C'] as const) {
    for (const q of quarterKeys) {
      const label = `${kpiLabels.tenancy_cases}: category ${risk}, ${q === 'total' ? 'all quarters' : q}`;
      rows.push([`tenancy_cases.${risk}.${q}`, label, cell(now[risk][q]), cell(before[risk][q]), change(now[risk][q], before[risk][q], 0)]);
    }
  }
  rows.push(['tenancy_cases.total', `${kpiLabels.tenancy_cases}: all categories`, cell(now.total), cell(before.total), change(now.total, before.total, 0)]);
  return rows;
}

/** The rows, header first; the text cells guarded against formula injection. */
export function kpiCsvRows(report: KpiReport): string[][] {
  const rows: string[][] = [[...csvHeader]];
  for (const id of kpiIds) {
    if (id === 'tenancy_cases') {
      rows.push(...tenancyRows(report.kpis.tenancy_cases, report.previous.kpis.tenancy_cases));
      continue;
    }
    const value = report.kpis[id];
    const previous = report.previous.kpis[id];
    rows.push([id, kpiLabels[id], cell(value), cell(previous), change(value, previous, decimals[id] ?? 0)]);
  }
  return rows.map(([first = '', second = '', ...rest]) => [formulaSafe(first), formulaSafe(second), ...rest]);
}

export const kpiCsv = (report: KpiReport): string => spreadsheetCsv(kpiCsvRows(report));
