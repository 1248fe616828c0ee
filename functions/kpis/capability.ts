import { declareCapability, declareFunction, type Role } from '#shared/wiring';

/** Who may read the KPIs: the same roles as `GET /kpis`. */
const kpiReaders: readonly Role[] = ['officer', 'finance', 'admin'];

export const kpiPages = declareFunction({
  name: 'KpiPages',
  entry: 'functions/kpis/pages.ts',
  description: 'Staff KPI dashboard: a period picker, every KPI beside the previous period, the tenancy table, NM01 and charts with tables',
  routes: [{ method: 'GET', path: '/officer/kpis', auth: kpiReaders, page: true }],
  tables: { main: 'read' },
});

export const kpis = declareCapability('kpis', [kpiPages]);
