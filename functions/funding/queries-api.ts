import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { BadRequestError } from '#shared/errors';
import { csvDownload, httpApi, json } from '#shared/http';
import { requireLedger } from './http-support.ts';
import { buildLedgerStore } from './ledger-repository.ts';
import { fundingOverview } from './overview.ts';
import { buildReadLedgerView, ledgerCsv } from './views.ts';
import { fundingQueries } from './capability.ts';

const store = buildLedgerStore(documents, setting('table'));
const readLedgerView = buildReadLedgerView(store);

export const handler = httpApi(fundingQueries, {
  'GET /funding': async () => json(200, { streams: await fundingOverview(store) }),
  'GET /funding/{stream}/{financialYear}': async ({ path, query }) => {
    const { stream, financialYear } = requireLedger(path);
    const format = query.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new BadRequestError(`format must be json or csv, not "${format.slice(0, 20)}"`);
    const view = await readLedgerView(stream, financialYear);
    if (format === 'json') return json(200, view);
    return csvDownload(`funding-${stream.code}-${financialYear}.csv`, ledgerCsv(view));
  },
});
