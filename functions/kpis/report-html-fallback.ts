/**
 * A stand-in HTML report for KPI exports until the charted report (`renderKpiReportHtml` in
 * report-html.ts, built with the dashboard) is merged: one escaped table of every figure with
 * the previous period beside it. Same signature, so swapping it is one import in the handlers.
 */
import type { KpiExportMeta } from './export.ts';
import { kpiCsvRows } from './export-csv.ts';
import type { KpiReport } from './model.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function renderKpiReportHtmlFallback(report: KpiReport, meta: KpiExportMeta): string {
  const [, ...rows] = kpiCsvRows(report);
  const body = rows
    .map(([id = '', label = '', value = '', previous = '', change = '']) =>
      `<tr><th scope="row">${escapeHtml(label)}<br><code>${escapeHtml(id)}</code></th><td>${escapeHtml(value)}</td><td>${escapeHtml(previous)}</td><td>${escapeHtml(change)}</td></tr>`,
    )
    .join('\n');
  const title = `Safer Communities KPIs, ${meta.period} (${report.from} to ${report.to})`;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:Arial,sans-serif;margin:2rem}table{border-collapse:collapse}th,td{border-bottom:1px solid #b1b4b6;padding:.4rem .8rem;text-align:left}td{text-align:right}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Previous period: ${escapeHtml(report.previous.from)} to ${escapeHtml(report.previous.to)}. Export ${escapeHtml(meta.exportId)}, made ${escapeHtml(meta.createdAt)}.</p>
<table>
<thead><tr><th scope="col">Measure</th><th scope="col">This period</th><th scope="col">Previous period</th><th scope="col">Change</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</body>
</html>
`;
}
