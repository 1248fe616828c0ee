/**
 * The KPI report as one HTML file that stands alone: inline CSS, inline SVG charts, no script,
 * no link to anything else, so it opens anywhere (from S3, an e-mail, a shared drive) and
 * prints to PDF with each section on its own page. The same figures and words as the dashboard.
 */
import { escapeXml as escape } from './charts.ts';
import type { KpiReport } from './model.ts';
import { kpiLabels, teamKpis, type KpiId } from './model.ts';
import { annualReportKpis, dashboardModel, isNumeric, kpiLine, kpiTableHead, lineRows, nm01Kpis, tenancyQuarterHead, type Cell } from './page-model.ts';
import type { RenderKpiHtml } from './export.ts';
import { dateText, nameOf } from './periods.ts';
import { londonFormat } from '#shared/london-time';

export interface KpiReportMeta {
  readonly title: string;
  readonly periodName: string;
  readonly previousName: string;
  /** When the report was made, an ISO instant. */
  readonly createdAt: string;
}

// London time; the formatter is made on first use (functions/shared/lazy.ts).
const createdFormat = londonFormat({ day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const createdText = (iso: string) => {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : createdFormat(at).replace(', ', ' at ');
};

const css = `
:root { color: #0b0c0c; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
body { margin: 0 auto; max-width: 960px; padding: 24px; line-height: 1.4; }
h1 { font-size: 2rem; margin: 0 0 12px; }
h2 { font-size: 1.5rem; margin: 32px 0 12px; }
h3 { font-size: 1.2rem; margin: 24px 0 8px; }
p { margin: 0 0 12px; }
.lead { font-size: 1.2rem; }
.meta { color: #484949; }
table { border-collapse: collapse; width: 100%; margin: 0 0 24px; }
caption { text-align: left; font-weight: bold; padding-bottom: 8px; }
th, td { text-align: left; vertical-align: top; padding: 8px 12px 8px 0; border-bottom: 1px solid #b1b4b6; }
thead th { border-bottom: 2px solid #0b0c0c; }
.num { text-align: right; white-space: nowrap; }
.total th, .total td { font-weight: bold; }
.kpi-id { display: block; font-weight: normal; font-size: 0.8em; color: #484949; font-family: ui-monospace, Menlo, Consolas, monospace; }
figure { margin: 0 0 16px; }
svg { display: block; max-width: 520px; height: auto; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  section + section { break-before: page; }
  h2, h3, caption { break-after: avoid; }
  tr, figure, .chart { break-inside: avoid; }
  svg { max-width: 140mm; max-height: 230mm; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;

const cell = (c: Cell, header = false) => {
  const classes = [c.format === 'numeric' ? 'num' : ''].filter(Boolean).join(' ');
  const attrs = `${header ? ' scope="row"' : ''}${classes ? ` class="${classes}"` : ''}`;
  return header ? `<th${attrs}>${escape(c.text)}</th>` : `<td${attrs}>${escape(c.text)}</td>`;
};

function table(caption: string, head: readonly Cell[], rows: readonly Cell[][], totalLast = false): string {
  const headRow = head.map((h) => `<th scope="col"${h.format === 'numeric' ? ' class="num"' : ''}>${escape(h.text)}</th>`).join('');
  const body = rows
    .map((r, i) => `<tr${totalLast && i === rows.length - 1 ? ' class="total"' : ''}>${r.map((c, j) => cell(c, j === 0)).join('')}</tr>`)
    .join('\n');
  return `<table><caption>${escape(caption)}</caption><thead><tr>${headRow}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * The KPIs' rows, each name with its id under it: every export names each figure by its id
 * (contract.md), and a person can match the report with the CSV and JSON.
 */
function kpiTable(caption: string, report: KpiReport, ids: readonly KpiId[]): string {
  const lines = ids.filter(isNumeric).map((id) => kpiLine(report, id));
  const headRow = kpiTableHead.map((h) => `<th scope="col"${h.format === 'numeric' ? ' class="num"' : ''}>${escape(h.text)}</th>`).join('');
  const body = lineRows(lines)
    .map((row, i) => {
      const [label, ...figures] = row;
      return `<tr><th scope="row">${escape(label?.text ?? '')}<span class="kpi-id">${escape(lines[i]?.id ?? '')}</span></th>${figures.map((c) => cell(c)).join('')}</tr>`;
    })
    .join('\n');
  return `<table><caption>${escape(caption)}</caption><thead><tr>${headRow}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const range = (from: string, to: string) => (from === to ? dateText(from) : `${dateText(from)} to ${dateText(to)}`);

/** The report as a complete HTML document. */
export function renderKpiReportHtml(report: KpiReport, meta: KpiReportMeta): string {
  const model = dashboardModel(report, { current: meta.periodName, previous: meta.previousName });
  const charts = model.charts
    .map(
      (c) => `<div class="chart"><h3>${escape(c.heading)}</h3><figure>${c.svg}</figure>
${table(`${c.heading}: the figures in the chart`, kpiTableHead, c.rows)}</div>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(meta.title)}</title>
<style>${css}</style>
</head>
<body>
<main>
<section>
<h1>${escape(meta.title)}</h1>
<p class="lead">${escape(meta.periodName)}, compared with ${escape(meta.previousName)}: the period of the same length just before it.</p>
<p>Dates: ${escape(range(report.from, report.to))}; the previous period ${escape(range(report.previous.from, report.previous.to))}.</p>
<p class="meta">Created ${escape(createdText(meta.createdAt))}. Dates are UK time.</p>
<h2>The team's KPIs</h2>
${kpiTable("The team's twelve KPIs, this period and the previous period", report, teamKpis)}
<h2>Annual report figures</h2>
${kpiTable('Case Reviews, enforcement and team actions, this period and the previous period', report, annualReportKpis)}
</section>
<section>
<h2>Tenancy Services ASB cases</h2>
${table(`${kpiLabels.tenancy_cases} (tenancy_cases)`, tenancyQuarterHead, model.tenancyRows, true)}
<div class="chart"><figure>${model.tenancyChart}</figure></div>
${table('Cases opened by risk category, this period and the previous period', kpiTableHead.map((h, i) => (i === 0 ? { text: 'Risk category' } : h)), model.tenancyComparison, true)}
<h3>Tenant Satisfaction Measure NM01</h3>
${kpiTable('ASB cases per 1,000 council homes, this period and the previous period', report, nm01Kpis)}
</section>
<section>
<h2>Charts</h2>
<p>Each chart compares this period (solid bars) with the previous period (hatched bars); the table after it gives the same figures.</p>
${charts}
</section>
</main>
</body>
</html>
`;
}

/** The report an export writes (export.ts's `renderHtml`): titled and named by its periods. */
export const renderKpiExportHtml: RenderKpiHtml = (report, meta) =>
  renderKpiReportHtml(report, {
    title: `Safer Communities KPIs: ${nameOf(report)}`,
    periodName: nameOf(report),
    previousName: nameOf(report.previous),
    createdAt: meta.createdAt,
  });
