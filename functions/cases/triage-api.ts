import { detailsFromZod, ValidationError } from '#shared/errors';
import { httpApi, json, readBody } from '#shared/http';
import { triageDeps } from './deps.ts';
import { signedIn } from './principal.ts';
import { triageInput, triageReport } from './triage.ts';
import { triageApi } from './capability.ts';

export const handler = httpApi(triageApi, {
  'POST /reports/{reportId}/triage': async ({ event, principal, path }) => {
    const parsed = triageInput.safeParse(readBody(event).value);
    if (!parsed.success) throw new ValidationError('the triage decision is not valid: correct the fields listed', detailsFromZod(parsed.error.issues));
    return json(202, await triageReport(path.reportId ?? '', parsed.data, signedIn(principal), triageDeps));
  },
});
