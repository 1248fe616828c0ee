/**
 * A KPI export (contract.md, `POST /kpis/exports`): the report of a period written as CSV,
 * JSON and an HTML report under `kpis/`, its record for the list of exports, then
 * KpiExportReady. The same code writes the scheduled exports (KpiScheduledExports) and those
 * asked for through the API (KpiExportWriter, on KpiExportRequested: export-request.ts). Keys are made from the period, so exporting a
 * period again replaces its objects and its record: nothing is duplicated.
 */
import type { DateRange, KpiReport } from './model.ts';
import { kpiCsv } from './export-csv.ts';
import { periodOf, type Period } from './periods.ts';
import type { ReadKpis } from './read.ts';

export interface KpiExportMeta {
  readonly exportId: string;
  /** The period's label, e.g. `2024-05`, `2024-25-Q1`, `2024-25`, `2023-24-oct-sep`. */
  readonly period: string;
  readonly createdAt: string;
}

/** Renders the HTML report with its charts (report-html.ts). */
export type RenderKpiHtml = (report: KpiReport, meta: KpiExportMeta) => string;

export const exportFormats = ['csv', 'json', 'html'] as const;
export type ExportFormat = (typeof exportFormats)[number];
/** A committee year's export also carries the annual report's figures (annual-report.ts), an HTML document. */
export const ANNUAL_REPORT = 'annual-report';
export type ExportObjectFormat = ExportFormat | typeof ANNUAL_REPORT;

export interface ExportObject {
  readonly format: ExportObjectFormat;
  readonly bucket: string;
  readonly key: string;
}

/**
 * `requested`: asked for (`POST /kpis/exports`), its files not written yet (no objects);
 * `ready`: its files are in the bucket.
 */
export const exportStatuses = ['requested', 'ready'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

/** What the list of exports shows of one. */
export interface ExportRecord extends KpiExportMeta, DateRange {
  readonly status: ExportStatus;
  readonly objects: readonly ExportObject[];
}

export interface StoredObject {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly contentDisposition: string;
}

export interface ExportDeps {
  readonly readKpis: ReadKpis;
  readonly renderHtml: RenderKpiHtml;
  /** The annual report's document for a committee year (annual-html.ts); absent, none is written. */
  readonly annualReportHtml?: (year: Period, createdAt: string) => Promise<string>;
  readonly bucket: string;
  readonly putObject: (object: StoredObject) => Promise<void>;
  readonly saveRecord: (record: ExportRecord) => Promise<void>;
  readonly publishReady: (ready: { period: string; from: string; to: string; objects: ExportObject[] }) => Promise<void>;
  readonly now: () => Date;
}

/** One export per period: its id is the period's dates. */
export const exportIdOf = ({ from, to }: DateRange) => `${from}_${to}`;
export const exportKeyOf = (range: DateRange, format: ExportObjectFormat) =>
  format === ANNUAL_REPORT ? `kpis/${exportIdOf(range)}/annual-report.html` : `kpis/${exportIdOf(range)}/kpis.${format}`;

const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

function bodiesOf(report: KpiReport, period: Period, meta: KpiExportMeta, renderHtml: RenderKpiHtml): Record<ExportFormat, string> {
  return {
    csv: kpiCsv(report),
    json: `${JSON.stringify({ ...meta, periodKind: period.kind, ...report }, null, 2)}\n`,
    html: renderHtml(report, meta),
  };
}

export async function exportKpis(range: DateRange, deps: ExportDeps): Promise<ExportRecord> {
  // 1. The report (the read checks the range: a bad one is a 400 before anything is written).
  const report = await deps.readKpis(range);
  const period = periodOf(report);
  const meta: KpiExportMeta = { exportId: exportIdOf(report), period: period.label, createdAt: deps.now().toISOString() };
  // 2. The three files, at keys made from the period; for a committee year, the annual report's too.
  const bodies = bodiesOf(report, period, meta, deps.renderHtml);
  const objects: ExportObject[] = [];
  for (const format of exportFormats) {
    const object = { format, bucket: deps.bucket, key: exportKeyOf(report, format) };
    await deps.putObject({
      key: object.key,
      body: bodies[format],
      contentType: contentTypes[format],
      contentDisposition: format === 'html' ? 'inline' : `attachment; filename="safer-communities-kpis-${period.label}.${format}"`,
    });
    objects.push(object);
  }
  if (period.kind === 'committee-year' && deps.annualReportHtml) {
    const annual: ExportObject = { format: ANNUAL_REPORT, bucket: deps.bucket, key: exportKeyOf(report, ANNUAL_REPORT) };
    await deps.putObject({ key: annual.key, body: await deps.annualReportHtml(period, meta.createdAt), contentType: contentTypes.html, contentDisposition: 'inline' });
    objects.push(annual);
  }
  // 3. The record for the list, replacing the period's last one; then the event.
  const record: ExportRecord = { ...meta, from: report.from, to: report.to, status: 'ready', objects };
  await deps.saveRecord(record);
  await deps.publishReady({ period: period.label, from: report.from, to: report.to, objects });
  return record;
}
