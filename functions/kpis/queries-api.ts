import { documents, s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi, json } from '#shared/http';
import { kpiQueries } from './capability.ts';
import { buildListExports, exportPageSize } from './export-list.ts';
import { buildDownloadLink, buildListExportRecords } from './export-store.ts';
import { parseRange } from './range.ts';
import { buildReadKpis } from './read.ts';

const table = setting('table');
const readKpis = buildReadKpis(documents, table);
const listExports = buildListExports(buildListExportRecords(documents, table), buildDownloadLink(s3));

export const handler = httpApi(kpiQueries, {
  'GET /kpis': async ({ query }) => json(200, await readKpis(parseRange(query))),
  'GET /kpis/exports': async ({ query }) => {
    const listing = await listExports({ limit: exportPageSize(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) });
    // The links expire: never cache the list.
    return json(200, listing, { 'cache-control': 'no-store' });
  },
});
