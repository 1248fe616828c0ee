import * as z from 'zod';
import { caseOwners, riskCategories } from '#events/cases';
import { BadRequestError, detailsFromZod } from '#shared/errors';
import { httpApi, json, readBody } from '#shared/http';
import { isIsoDate } from '#shared/london-time';
import { assignCase, closeCase, shareCase } from './case-commands.ts';
import { casesDue, getCase, listCases } from './case-queries.ts';
import { commandDeps, queryDeps, today } from './deps.ts';
import { signedIn } from './principal.ts';
import { casesApi } from './capability.ts';

const listQuery = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  owner: z.enum(caseOwners).optional(),
  officer: z.string().min(1).max(128).optional(),
  assignedTo: z.string().min(1).max(128).optional(),
  category: z.string().min(1).max(64).optional(),
  riskCategory: z.enum(riskCategories).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(4096).optional(),
});
const dueQuery = z.strictObject({ date: z.string().refine(isIsoDate, 'date must be a date like 2024-06-04').optional() });

function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new BadRequestError('the query is not valid', detailsFromZod(parsed.error.issues));
  return parsed.data;
}

export const handler = httpApi(casesApi, {
  'GET /cases': async ({ principal, query }) => {
    const { limit, cursor, ...filters } = parseQuery(listQuery, query);
    return json(200, await listCases(principal, filters, { limit, ...(cursor ? { cursor } : {}) }, queryDeps));
  },
  'GET /cases/due': async ({ principal, query }) => {
    const { date } = parseQuery(dueQuery, query);
    return json(200, await casesDue(principal, date ?? today(), queryDeps));
  },
  'GET /cases/{caseId}': async ({ principal, path }) => json(200, await getCase(path.caseId ?? '', principal, queryDeps)),
  'POST /cases/{caseId}/close': async ({ event, principal, path }) =>
    json(202, await closeCase(path.caseId ?? '', readBody(event).value, signedIn(principal), commandDeps)),
  'POST /cases/{caseId}/share': async ({ event, principal, path }) =>
    json(202, await shareCase(path.caseId ?? '', readBody(event).value, signedIn(principal), commandDeps)),
  'POST /cases/{caseId}/assign': async ({ event, principal, path }) =>
    json(202, await assignCase(path.caseId ?? '', readBody(event).value, signedIn(principal), commandDeps)),
});
