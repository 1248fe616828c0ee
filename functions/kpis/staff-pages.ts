/**
 * The KpiPages function's handler: the dashboard, the annual report's figures and the list of
 * exports, given their readers (pages.ts gives the real ones; tests give fixtures).
 */
import { httpApi, type HttpApiOptions } from '#shared/http';
import { errorPageFor } from '../../web/error-page.ts';
import { buildAnnualPage } from './annual-page.ts';
import type { AnnualReportDeps } from './annual-report.ts';
import { kpiPages } from './capability.ts';
import { buildDashboard, dashboardService } from './dashboard.ts';
import type { ListExports } from './export-list.ts';
import type { ReadKpiReading } from './read.ts';
import { buildExportsPage } from './exports-page.ts';

export interface KpiPagesDeps extends Omit<AnnualReportDeps, 'now'> {
  readonly listExports: ListExports;
  /** The dashboard's read: the report with the counts of homes NM01 divided by. */
  readonly readKpiReading: ReadKpiReading;
  readonly now?: () => Date;
}

const errorPage = errorPageFor({ service: dashboardService, links: [{ href: '/officer/kpis', text: 'See the KPIs for the last complete month' }] });

export function kpiPagesHandler(deps: KpiPagesDeps, options: Omit<HttpApiOptions, 'errorPage'> = {}) {
  const now = deps.now ?? (() => new Date());
  const dashboard = buildDashboard({ readKpiReading: deps.readKpiReading, now });
  const annual = buildAnnualPage({ ...deps, now });
  const exportsPage = buildExportsPage({ listExports: deps.listExports, service: dashboardService });
  return httpApi(
    kpiPages,
    {
      'GET /officer/kpis': ({ query, principal }) => dashboard(query, principal),
      'GET /officer/kpis/annual': ({ query }) => annual(query),
      'GET /officer/kpis/exports': ({ query }) => exportsPage(query),
    },
    { ...options, errorPage },
  );
}
