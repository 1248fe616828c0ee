import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { errorPageFor } from '../../web/error-page.ts';
import { kpiPages } from './capability.ts';
import { buildDashboard, dashboardService } from './dashboard.ts';
import { buildReadKpis } from './read.ts';

const dashboard = buildDashboard({ readKpis: buildReadKpis(documents, setting('table')) });

const errorPage = errorPageFor({ service: dashboardService, links: [{ href: '/officer/kpis', text: 'See the KPIs for the last complete month' }] });

export const handler = httpApi(kpiPages, { 'GET /officer/kpis': ({ query }) => dashboard(query) }, { errorPage });
