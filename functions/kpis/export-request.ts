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
  await deps.publishRequested(range);
  return record;
}
