import * as z from 'zod';
import { scheduledJob } from '#shared/job';
import { logger } from '#shared/powertools';
import { londonDateOf } from '#shared/london-time';
import { kpiExportSchedules, kpiScheduledExports } from './capability.ts';
import { exportDepsFor } from './export-deps.ts';
import { exportKpis } from './export.ts';
import { lastCompletePeriod } from './periods.ts';

/** The scheduler says which schedule fired; an operator may pass the same by hand. */
const scheduleInput = z.object({
  schedule: z.enum(Object.keys(kpiExportSchedules) as [keyof typeof kpiExportSchedules, ...(keyof typeof kpiExportSchedules)[]]),
});

/** Exports the last whole period of the schedule's kind before the (London) day of the run. */
export const handler = scheduledJob(kpiScheduledExports, async ({ at, input }) => {
  const { schedule } = scheduleInput.parse(input);
  const period = lastCompletePeriod(kpiExportSchedules[schedule], londonDateOf(at));
  const record = await exportKpis(period, exportDepsFor({ kind: 'system', id: 'kpi-exporter' }));
  logger.info('KPI export written', { schedule, period: period.label, from: period.from, to: period.to });
  return { exportId: record.exportId, period: period.label };
});
