import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { BadRequestError } from '#shared/errors';
import { csvDownload, httpApi, json } from '#shared/http';
import { requireLedger } from './http-support.ts';
import { ledgerExportCsv } from './ledger-export.ts';
import { buildLedgerStore } from './ledger-repository.ts';
import { fundingOverview } from './overview.ts';
import { buildProfileStore } from './profile-store.ts';
import { buildStreamRegistry } from './stream-registry.ts';
import { ledgerCsv } from './views.ts';
import { buildReadYearReport } from './year-report.ts';
import { fundingQueries } from './capability.ts';

const store = buildLedgerStore(documents, setting('table'));
const registry = buildStreamRegistry(documents, setting('table'));
const readYearReport = buildReadYearReport({ ledgers: store, profiles: buildProfileStore(documents, setting('table')) });

/** `json` (the balance, lines, quarters and outturn), `csv` (the balance table) or `ledger-csv` (every line). */
const formats = ['json', 'csv', 'ledger-csv'] as const;

export const handler = httpApi(fundingQueries, {
  'GET /funding': async () => json(200, { streams: await fundingOverview(store, await registry.list()) }),
  'GET /funding/{stream}/{financialYear}': async ({ path, query }) => {
    const now = new Date();
    const { stream, financialYear } = await requireLedger(registry, path, now);
    const format = query.format ?? 'json';
    if (!(formats as readonly string[]).includes(format)) throw new BadRequestError(`format must be ${formats.join(', ')}, not "${format.slice(0, 20)}"`);
    const report = await readYearReport(stream, financialYear, now);
    if (format === 'csv') return csvDownload(`funding-${stream.code}-${financialYear}.csv`, ledgerCsv(report));
    if (format === 'ledger-csv') return csvDownload(`funding-${stream.code}-${financialYear}-ledger.csv`, ledgerExportCsv(report));
    return json(200, report);
  },
});
