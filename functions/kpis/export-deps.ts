import { randomUUID } from 'node:crypto';
import type { Actor } from '#events/envelope';
import { KpiExportReady } from '#events/kpi';
import { documents, s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { events } from '#shared/publisher';
import type { ExportDeps } from './export.ts';
import { buildPutExportObject, buildSaveExportRecord } from './export-store.ts';
import { buildReadKpis } from './read.ts';
import { renderKpiExportHtml } from './report-html.ts';

/** What an export needs, from the function's environment; shared by the API and the schedules. */
export function exportDepsFor(actor: Actor): ExportDeps {
  const table = setting('table');
  const bucket = setting('exportsBucket');
  return {
    readKpis: buildReadKpis(documents, table),
    renderHtml: renderKpiExportHtml,
    bucket,
    putObject: buildPutExportObject(s3, bucket),
    saveRecord: buildSaveExportRecord(documents, table),
    publishReady: (ready) =>
      events().publishOne(KpiExportReady, { eventId: randomUUID(), occurredAt: new Date().toISOString(), actor, ...ready }),
    now: () => new Date(),
  };
}
