import { httpApi, json, readBody } from '#shared/http';
import { BadRequestError } from '#shared/errors';
import { kpiExportApi } from './capability.ts';
import { exportDepsFor } from './export-deps.ts';
import { exportKpis } from './export.ts';
import { parseRange } from './range.ts';

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
});
