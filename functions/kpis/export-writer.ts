import { logger } from '#shared/powertools';
import { eventConsumer } from '#shared/consumer';
import { kpiExportWriter } from './capability.ts';
import { exportDepsFor, readyEventIdOf } from './export-deps.ts';
import { exportKpis } from './export.ts';

/**
 * Writes an export asked for through `POST /kpis/exports` (KpiExportRequested), with the code
 * the scheduled exports run, then KpiExportReady. Once per eventId (the consumer stack); a
 * failure throws, so the delivery is retried and then dead-lettered.
 */
export const handler = eventConsumer(kpiExportWriter, async ({ detail }) => {
  const record = await exportKpis({ from: detail.from, to: detail.to }, exportDepsFor(detail.actor, () => readyEventIdOf(detail.eventId)));
  logger.info('KPI export written', { exportId: record.exportId, period: record.period, requestedBy: detail.eventId });
});
