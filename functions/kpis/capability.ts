import { KpiExportReady, KpiExportRequested } from '#events/kpi';
import { CaseOpened } from '#events/cases';
import { CaseReviewDecided, CaseReviewRequested, CaseReviewThresholdAssessed } from '#events/case-review';
import { officerActionContracts } from '#events/enforcement';
import { HousingStockRecorded } from '#events/tenancy';
import { declareCapability, declareFunction, type Role } from '#shared/wiring';

const readers: readonly Role[] = ['officer', 'finance', 'admin'];
const exporters: readonly Role[] = ['officer', 'admin'];
/**
 * The count of homes is the landlord's figure: Tenancy Services run the council's homes and report
 * NM01 to the Regulator of Social Housing (domain.md), so they record it; admin may correct it.
 */
export const stockRecorders: readonly Role[] = ['tenancy', 'admin'];
/** Who may see the counts recorded: whoever sees NM01, and Tenancy Services. */
const stockReaders: readonly Role[] = ['officer', 'tenancy', 'finance', 'admin'];

export const kpiCounter = declareFunction({
  name: 'KpiCounter',
  entry: 'functions/kpis/project-kpis.ts',
  description: 'Keeps the KPI day counters as events arrive (one conditional write per event), and the housing stock for NM01',
  subscription: {
    rule: 'KpiEventsToCounters',
    contracts: [CaseOpened, ...officerActionContracts, CaseReviewRequested, CaseReviewThresholdAssessed, CaseReviewDecided, HousingStockRecorded],
  },
  tables: { main: { access: 'readwrite', prefixes: ['KPI'] }, idempotency: 'readwrite' },
});

export const kpiQueries = declareFunction({
  name: 'KpiQueries',
  entry: 'functions/kpis/queries-api.ts',
  description: 'Every KPI for a London date range with the previous range beside it',
  routes: [{ method: 'GET', path: '/kpis', auth: readers }],
  // No bucket: this function starts without the S3 client (docs/benchmarks.md).
  tables: { main: { access: 'read', prefixes: ['KPI'] } },
});

/** What writing an export may touch: the counters and ledgers (read), its record, the files, and the bus. */
const exportResources = {
  tables: { main: { access: 'readwrite', prefixes: ['FUNDING', 'FUNDING-STREAMS', 'KPI'] } },
  buckets: { exports: 'write' },
  emits: [KpiExportReady],
  timeoutSeconds: 30,
} as const;

export const kpiExportApi = declareFunction({
  name: 'KpiExportApi',
  entry: 'functions/kpis/exports-api.ts',
  description: 'Takes requests to export the KPIs of a date range (records them, emits KpiExportRequested); lists the exports with their download links',
  routes: [
    { method: 'POST', path: '/kpis/exports', auth: exporters },
    { method: 'GET', path: '/kpis/exports', auth: readers },
  ],
  // The export records only (KPI#EXPORT…), and no bucket: KpiExportWriter writes the files and
  // KpiExportDownload signs the links, so this function starts without S3 (docs/benchmarks.md).
  tables: { main: { access: 'readwrite', prefixes: ['KPI'] } },
  emits: [KpiExportRequested],
});

export const kpiExportWriter = declareFunction({
  name: 'KpiExportWriter',
  entry: 'functions/kpis/export-writer.ts',
  description: 'Writes a requested export (KpiExportRequested) as CSV, JSON and an HTML report with the scheduled exports\' code, then emits KpiExportReady',
  subscription: { rule: 'KpiExportRequestsToWriter', contracts: [KpiExportRequested] },
  ...exportResources,
  tables: { ...exportResources.tables, idempotency: 'readwrite' },
});

export const kpiExportDownload = declareFunction({
  name: 'KpiExportDownload',
  entry: 'functions/kpis/export-download-api.ts',
  description: "Downloads an export's file: 302 to a presigned GET of the object, for scripts and for the staff exports page",
  routes: [
    { method: 'GET', path: '/kpis/exports/{exportId}/{format}', auth: readers },
    { method: 'GET', path: '/officer/kpis/exports/{exportId}/{format}', auth: readers, page: true },
  ],
  // The export's record (which files it has) and a read of the files: the links are signed with this function's credentials.
  tables: { main: { access: 'read', prefixes: ['KPI'] } },
  buckets: { exports: 'read' },
});

/** Europe/London times; each run exports the last whole period of its kind (periods.ts). */
export const kpiExportSchedules = {
  KpiMonthlyExport: 'month',
  KpiQuarterlyExport: 'quarter',
  KpiFinancialYearExport: 'financial-year',
  KpiCommitteeYearExport: 'committee-year',
} as const;

export const kpiScheduledExports = declareFunction({
  name: 'KpiScheduledExports',
  entry: 'functions/kpis/scheduled-exports.ts',
  description: 'Exports the KPIs of the month, financial quarter, financial year and October-September year just ended',
  schedules: [
    { name: 'KpiMonthlyExport', cron: 'cron(0 6 1 * ? *)' },
    { name: 'KpiQuarterlyExport', cron: 'cron(15 6 1 1,4,7,10 ? *)' },
    { name: 'KpiFinancialYearExport', cron: 'cron(30 6 1 4 ? *)' },
    { name: 'KpiCommitteeYearExport', cron: 'cron(45 6 1 10 ? *)' },
  ],
  ...exportResources,
});

export const kpiCounterSealer = declareFunction({
  name: 'KpiCounterSealer',
  entry: 'functions/kpis/seal-counters.ts',
  description: 'Each night moves the event ids of settled KPI day counters aside, so reports read counters only (counts never change)',
  schedules: [{ name: 'KpiCounterSeal', cron: 'cron(30 2 * * ? *)' }],
  tables: { main: { access: 'readwrite', prefixes: ['KPI'] } },
  timeoutSeconds: 120,
});

export const kpiPages = declareFunction({
  name: 'KpiPages',
  entry: 'functions/kpis/pages.ts',
  description: 'Staff KPI pages: the dashboard (every KPI beside the previous period, the tenancy table, NM01, charts), the annual report figures of a committee year, and the list of exports',
  routes: [
    { method: 'GET', path: '/officer/kpis', auth: readers, page: true },
    { method: 'GET', path: '/officer/kpis/annual', auth: readers, page: true },
    { method: 'GET', path: '/officer/kpis/exports', auth: readers, page: true },
  ],
  // The counters and the funding ledgers (same table), and the export records. No bucket: the
  // exports page links to KpiExportDownload, which signs each download (docs/benchmarks.md).
  tables: { main: { access: 'read', prefixes: ['FUNDING', 'FUNDING-STREAMS', 'KPI'] } },
  // The annual report reads two years of day counters twice (a committee year, a financial year, each with the one before).
  timeoutSeconds: 30,
});

export const housingStock = declareFunction({
  name: 'HousingStock',
  entry: 'functions/kpis/housing-stock-api.ts',
  description: "Records the count of homes the council owns (NM01's divisor) as HousingStockRecorded, once per request, from JSON or the staff form; lists the counts kept",
  routes: [
    { method: 'POST', path: '/housing-stock', auth: stockRecorders },
    { method: 'GET', path: '/housing-stock', auth: stockReaders },
    { method: 'GET', path: '/officer/kpis/housing-stock', auth: stockRecorders, page: true },
    { method: 'POST', path: '/officer/kpis/housing-stock', auth: stockRecorders, page: true },
  ],
  // Its claims (KPI#HOUSING-STOCK-CLAIM) and the counts the KpiCounter keeps (KPI#HOUSING-STOCK, read).
  tables: { main: { access: 'readwrite', prefixes: ['KPI'] } },
  emits: [HousingStockRecorded],
});

export const kpis = declareCapability('kpis', [kpiCounter, kpiQueries, kpiExportApi, kpiExportWriter, kpiExportDownload, kpiScheduledExports, kpiCounterSealer, kpiPages, housingStock]);
