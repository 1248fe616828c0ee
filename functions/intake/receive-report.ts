import { ReportReceived } from '#events/intake';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { detailsFromZod, ValidationError } from '#shared/errors';
import { httpApi, json, readBody, redirect } from '#shared/http';
import { events } from '#shared/publisher';
import { buildSaveContact } from './contacts.ts';
import { receiveReport } from './receive.ts';
import { fromFormFields, reportInputSchema } from './report-input.ts';

const saveContact = buildSaveContact(documents, setting('table'));

export const handler = httpApi({
  'POST /reports': async ({ event }) => {
    const body = readBody(event);
    const input = body.kind === 'form' ? fromFormFields(body.value as Record<string, string | string[]>) : body.value;
    const parsed = reportInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new ValidationError('the report could not be accepted: correct the fields listed', detailsFromZod(parsed.error.issues));
    }
    const { reportId, reference } = await receiveReport(parsed.data, 'webform', {
      saveContact,
      publish: (detail) => events().publishOne(ReportReceived, detail),
    });
    return body.kind === 'form'
      ? redirect(`/confirmation?reference=${encodeURIComponent(reference)}`)
      : json(202, { reportId, reference });
  },
});
