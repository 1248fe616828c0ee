import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '#events/envelope';
import { KpiExportReady } from '#events/kpi';
import { documents, s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { events } from '#shared/publisher';
import { buildLedgerStore } from '../funding/ledger-repository.ts';
import { buildStreamRegistry } from '../funding/stream-registry.ts';
import { buildReadLedgerView } from '../funding/views.ts';
import { annualReportHtml } from './annual-html.ts';
import type { ExportDeps } from './export.ts';
import { buildPutExportObject } from './export-files.ts';
import { buildSaveExportRecord } from './export-store.ts';
import { buildReadKpis } from './read.ts';
import { renderKpiExportHtml } from './report-html.ts';

/**
 * The KpiExportReady of a requested export has an eventId made from the request's, so a retry
 * of the same request (after the files were written but before it was acknowledged) puts the
 * same event again, which its consumers apply once.
 */
export const readyEventIdOf = (requestEventId: string): string => `kpi-export-ready-${createHash('sha256').update(requestEventId).digest('base64url')}`;

/**
 * What an export needs, from the function's environment; the same for the schedules
 * (KpiScheduledExports) and the requested exports (KpiExportWriter).
 */
export function exportDepsFor(actor: Actor, readyEventId: () => string = randomUUID): ExportDeps {
  const table = setting('table');
  const bucket = setting('exportsBucket');
  const readKpis = buildReadKpis(documents, table);
  const readLedger = buildReadLedgerView(buildLedgerStore(documents, table));
  const streams = buildStreamRegistry(documents, table);
  return {
    readKpis,
    renderHtml: renderKpiExportHtml,
    annualReportHtml: (year, createdAt) => annualReportHtml(year, { readKpis, readLedger, streams, now: () => new Date(createdAt) }),
    bucket,
    putObject: buildPutExportObject(s3, bucket),
    saveRecord: buildSaveExportRecord(documents, table),
    publishReady: (ready) =>
      events().publishOne(KpiExportReady, { eventId: readyEventId(), occurredAt: new Date().toISOString(), actor, ...ready }),
    now: () => new Date(),
  };
}
