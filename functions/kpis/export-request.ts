/**
 * `POST /kpis/exports`: the range is checked (the same 400s as `GET /kpis`), the export is
 * recorded as requested (the list shows it as being prepared) and KpiExportRequested is put
 * on the bus. KpiExportWriter writes the files from that event (export.ts) and replaces the
 * record with the written one. The API itself never touches the bucket.
 */
import { exportIdOf, type ExportRecord } from './export.ts';
import type { DateRange } from './model.ts';
import { periodOf } from './periods.ts';
import { parseRange } from './range.ts';

export interface ExportRequestDeps {
  readonly saveRecord: (record: ExportRecord) => Promise<void>;
  readonly publishRequested: (range: DateRange) => Promise<void>;
  /** Takes back the requested record just saved, if it is still that one (not written since, not asked again). */
  readonly forgetRequested: (record: ExportRecord) => Promise<void>;
  readonly now: () => Date;
}

export async function requestKpiExport(asked: { from?: unknown; to?: unknown }, deps: ExportRequestDeps): Promise<ExportRecord> {
  const range = parseRange(asked);
  const record: ExportRecord = {
    exportId: exportIdOf(range),
    period: periodOf(range).label,
    createdAt: deps.now().toISOString(),
    from: range.from,
    to: range.to,
    status: 'requested',
    objects: [],
  };
  // Recorded before the event, so the writer's record (written after the files) always lands last.
  await deps.saveRecord(record);
  try {
    await deps.publishRequested(range);
  } catch (error) {
    // No writer will come for this request: the list must not show it as being prepared for
    // ever. The caller gets the error (a 500, "try again"), and asking again starts afresh.
    await deps.forgetRequested(record).catch(() => undefined);
    throw error;
  }
  return record;
}
