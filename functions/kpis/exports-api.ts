import { randomUUID } from 'node:crypto';
import { KpiExportRequested } from '#events/kpi';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { BadRequestError } from '#shared/errors';
import { httpApi, json, readBody } from '#shared/http';
import { events } from '#shared/publisher';
import { kpiExportApi } from './capability.ts';
import { apiDownloadHref } from './export-download.ts';
import { buildListExports, listPageSize } from './export-list.ts';
import { requestKpiExport } from './export-request.ts';
import { buildForgetRequestedExport, buildListExportRecords, buildSaveExportRecord } from './export-store.ts';

const table = setting('table');
const listExports = buildListExports(buildListExportRecords(documents, table), apiDownloadHref);
const saveRecord = buildSaveExportRecord(documents, table);
const forgetRequested = buildForgetRequestedExport(documents, table);

export const handler = httpApi(kpiExportApi, {
  'POST /kpis/exports': async ({ event, principal }) => {
    const { value } = readBody(event);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequestError('send { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }');
    }
    const actor = { kind: 'officer', ...(principal ? { id: principal.subject } : {}) } as const;
    // Asked for, not written: KpiExportWriter writes the files from the event (export-request.ts).
    const record = await requestKpiExport(value as { from?: unknown; to?: unknown }, {
      saveRecord,
      forgetRequested,
      publishRequested: (range) => events().publishOne(KpiExportRequested, { eventId: randomUUID(), occurredAt: new Date().toISOString(), actor, ...range }),
      now: () => new Date(),
    });
    return json(202, { exportId: record.exportId });
  },
  'GET /kpis/exports': async ({ query }) => {
    const listing = await listExports({ limit: listPageSize(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) });
    // A requested export turns ready when its files are written: never cache the list.
    return json(200, listing, { 'cache-control': 'no-store' });
  },
});
