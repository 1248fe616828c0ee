import { randomUUID } from 'node:crypto';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { detailsFromZod, ValidationError } from '#shared/errors';
import { httpApi, json, readBody } from '#shared/http';
import { events } from '#shared/publisher';
import { londonDateOf } from '#shared/london-time';
import { buildGetReport } from '../intake/reports-repository.ts';
import { caseViewOf } from './case-model.ts';
import { buildGetCaseItem, buildNextCaseNumber } from './case-repository.ts';
import { signedIn } from './principal.ts';
import { triageInput, triageReport, type TriageDeps } from './triage.ts';
import { buildTriageClaims } from './triage-repository.ts';
import { triageApi } from './capability.ts';

const table = setting('table');
const getCaseItem = buildGetCaseItem(documents, table);

const deps: TriageDeps = {
  getReport: buildGetReport(documents, table),
  getCase: async (caseId) => caseViewOf(await getCaseItem(caseId), londonDateOf(new Date())),
  claims: buildTriageClaims(documents, table),
  nextCaseNumber: buildNextCaseNumber(documents, table),
  publish: async (entry) => void (await events().publish([entry])),
  newId: randomUUID,
};

export const handler = httpApi(triageApi, {
  'POST /reports/{reportId}/triage': async ({ event, principal, path }) => {
    const parsed = triageInput.safeParse(readBody(event).value);
    if (!parsed.success) throw new ValidationError('the triage decision is not valid: correct the fields listed', detailsFromZod(parsed.error.issues));
    return json(202, await triageReport(path.reportId ?? '', parsed.data, signedIn(principal), deps));
  },
});
