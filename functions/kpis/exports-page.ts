/**
 * The staff list of KPI exports (`GET /officer/kpis/exports`): what `GET /kpis/exports`
 * answers, as a page with download links, newest first, a page at a time.
 */
import type { HttpResult } from '#shared/http';
import { londonFormat } from '#shared/london-time';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/kpis.js'; // the kpis/ templates this module renders
import { ANNUAL_REPORT, type ExportObjectFormat } from './export.ts';
import { listPageSize, type ListExports } from './export-list.ts';
import { periodOf, type PeriodQuery } from './periods.ts';

const formatNames: Record<ExportObjectFormat, string> = {
  csv: 'CSV (spreadsheet)',
  json: 'JSON',
  html: 'HTML report',
  [ANNUAL_REPORT]: 'Annual report figures (HTML)',
};

const createdText = londonFormat({ day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function buildExportsPage(deps: { listExports: ListExports; service: { name: string; url: string } }) {
  return async (query: PeriodQuery): Promise<HttpResult> => {
    const listing = await deps.listExports({ limit: listPageSize(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) });
    const rows = listing.exports.map((e) => {
      const period = periodOf(e);
      return {
        period: period.name,
        created: createdText(e.createdAt).replace(', ', ' at '),
        // Asked for and not written yet: the page says so instead of listing files.
        preparing: e.status === 'requested',
        // Each link names its period too, so a list of links read out on its own still says which.
        links: e.objects.map((o) => ({ href: o.href, text: formatNames[o.format], hidden: ` for ${period.name}` })),
      };
    });
    return page('kpis/exports.njk', {
      service: deps.service,
      rows,
      olderHref: listing.next ? `/officer/kpis/exports?cursor=${encodeURIComponent(listing.next)}` : undefined,
      firstPage: !query.cursor,
    });
  };
}
