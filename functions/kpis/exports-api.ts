import { documents, s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { BadRequestError } from '#shared/errors';
import { httpApi, json, readBody } from '#shared/http';
import { kpiExportApi } from './capability.ts';
import { exportDepsFor } from './export-deps.ts';
import { buildListExports, listPageSize } from './export-list.ts';
import { buildDownloadLink, buildListExportRecords } from './export-store.ts';
import { exportKpis } from './export.ts';
import { parseRange } from './range.ts';

const listExports = buildListExports(buildListExportRecords(documents, setting('table')), buildDownloadLink(s3));

export const handler = httpApi(kpiExportApi, {
  'POST /kpis/exports': async ({ event, principal }) => {
    const { value } = readBody(event);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequestError('send { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }');
    }
    const range = parseRange(value as { from?: unknown; to?: unknown });
    const actor = { kind: 'officer', ...(principal ? { id: principal.subject } : {}) } as const;
    const record = await exportKpis(range, exportDepsFor(actor));
    return json(202, { exportId: record.exportId });
  },
  'GET /kpis/exports': async ({ query }) => {
    const listing = await listExports({ limit: listPageSize(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) });
    // The links expire: never cache the list.
    return json(200, listing, { 'cache-control': 'no-store' });
  },
});
