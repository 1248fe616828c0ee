import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { buildLedgerStore } from '../funding/ledger-repository.ts';
import { buildStreamRegistry } from '../funding/stream-registry.ts';
import { buildReadLedgerView } from '../funding/views.ts';
import { pageDownloadHref } from './export-download.ts';
import { buildListExports } from './export-list.ts';
import { buildListExportRecords } from './export-store.ts';
import { buildCounterStore } from './counter-store.ts';
import { readKpiReadingFrom, readKpisFrom } from './read.ts';
import { kpiPagesHandler } from './staff-pages.ts';

const table = setting('table');
const counters = buildCounterStore(documents, table);

export const handler = kpiPagesHandler({
  readKpis: readKpisFrom(counters),
  readKpiReading: readKpiReadingFrom(counters),
  readLedger: buildReadLedgerView(buildLedgerStore(documents, table)),
  streams: buildStreamRegistry(documents, table),
  listExports: buildListExports(buildListExportRecords(documents, table), pageDownloadHref),
});
