import * as z from 'zod';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { BadRequestError, NotFoundError, detailsFromZod } from '#shared/errors';
import { httpApi, json } from '#shared/http';
import { buildGetReport, buildListReports } from './reports-repository.ts';
import { reportsApi } from './capability.ts';

const table = setting('table');
const getReport = buildGetReport(documents, table);
const listReports = buildListReports(documents, table);

const listQuery = z.object({
  status: z.enum(['untriaged', 'triaged', 'referred']).default('untriaged'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

export const handler = httpApi(reportsApi, {
  'GET /reports': async ({ query }) => {
    const parsed = listQuery.safeParse(query);
    if (!parsed.success) throw new BadRequestError('the query is not valid', detailsFromZod(parsed.error.issues));
    return json(200, await listReports(parsed.data.status, parsed.data.limit, parsed.data.cursor));
  },
  'GET /reports/{reportId}': async ({ path }) => {
    const report = await getReport(path.reportId ?? '');
    if (!report) throw new NotFoundError(`there is no report ${path.reportId}`);
    return json(200, report);
  },
});
