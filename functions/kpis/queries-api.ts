import { documents, s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { BadRequestError } from '#shared/errors';
import { httpApi, json } from '#shared/http';
import { kpiQueries } from './capability.ts';
import { buildDownloadLink, buildListExportRecords } from './export-store.ts';
import { parseRange } from './range.ts';
import { buildReadKpis } from './read.ts';

const table = setting('table');
const readKpis = buildReadKpis(documents, table);
const listExports = buildListExportRecords(documents, table);
const downloadLink = buildDownloadLink(s3);

const DEFAULT_PAGE = 50;

function pageSize(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new BadRequestError('limit must be a whole number from 1 to 100');
  return n;
}

export const handler = httpApi(kpiQueries, {
  'GET /kpis': async ({ query }) => json(200, await readKpis(parseRange(query))),
  'GET /kpis/exports': async ({ query }) => {
    const page = await listExports({ limit: pageSize(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) });
    const exports = await Promise.all(
      page.records.map(async ({ exportId, period, from, to, createdAt, objects }) => ({
        exportId,
        period,
        from,
        to,
        createdAt,
        objects: await Promise.all(objects.map(async (o) => ({ format: o.format, href: await downloadLink(o) }))),
      })),
    );
    // The links expire: never cache the list.
    return json(200, { exports, ...(page.next ? { next: page.next } : {}) }, { 'cache-control': 'no-store' });
  },
});
