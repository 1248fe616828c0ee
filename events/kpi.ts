import * as z from 'zod';
import { defineEvent } from './contract.ts';
import { code, isoDate, text } from './envelope.ts';

export const KPI_SOURCE = 'safer-communities.kpi';

/** One written export file. Bucket names follow S3's rules. */
export const exportObjectSchema = z.object({
  bucket: z
    .string()
    .min(3)
    .max(63)
    .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, 'not an S3 bucket name'),
  key: z.string().min(1).max(1024),
  /** File format, e.g. `csv` or `json`. */
  format: code,
});

export const KpiExportReady = defineEvent({
  source: KPI_SOURCE,
  detailType: 'KpiExportReady',
  fields: () => ({
    /** A label for the period exported, e.g. `2024-05`, `2024-25-Q1`, `2024-25`. */
    period: text(64),
    /** The inclusive date range the period covers (Europe/London). */
    from: isoDate.optional(),
    to: isoDate.optional(),
    objects: z.array(exportObjectSchema).min(1).max(100),
  }),
});

/**
 * A person asked for the KPIs of a range to be exported (`POST /kpis/exports`). The export is
 * written by KpiExportWriter, which consumes this and emits KpiExportReady when the files are
 * in the bucket; the export's id is `<from>_<to>`.
 */
export const KpiExportRequested = defineEvent({
  source: KPI_SOURCE,
  detailType: 'KpiExportRequested',
  fields: () => ({
    /** The inclusive date range to export (Europe/London), already checked by the API. */
    from: isoDate,
    to: isoDate,
  }),
});
