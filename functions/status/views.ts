import type { HttpResult } from '#shared/http';
import { errorPageFor } from '../../web/error-page.ts';
import { formErrors, noErrors } from '../../web/forms.ts';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/status.js'; // the status/ templates this module renders
import { londonDateTimeText } from '#shared/london-time';
import { statusLabels, type Progress } from './progress.ts';

/** GOV.UK tag colours by status. */
const tagClass: Record<Progress['status'], string> = {
  received: 'govuk-tag--blue',
  'being-looked-into': 'govuk-tag--yellow',
  'passed-on': 'govuk-tag--purple',
  closed: 'govuk-tag--green',
};

const explanations: Record<Progress['status'], string> = {
  received: 'We have your report. An officer will read it and decide what to do.',
  'being-looked-into': 'An officer is dealing with your report as part of a case.',
  'passed-on': 'Your report is for another service, so we passed it to them. They will deal with it from here.',
  closed: 'The case your report is part of has been closed.',
};

export function statusPageView(progress: Progress): HttpResult {
  return page('status/status.njk', {
    reference: progress.reference,
    status: { text: statusLabels[progress.status], classes: tagClass[progress.status], explanation: explanations[progress.status] },
    updated: londonDateTimeText(progress.updatedAt),
    history: progress.history.map((h) => ({ when: londonDateTimeText(h.at), text: h.text })),
    whatWasDone: progress.whatWasDone,
  });
}

/** The page to look a reference up; `problem` when the one given cannot be a reference. */
export function findPageView(value?: string, problem?: string): HttpResult {
  const errors = problem ? formErrors([{ path: 'reference', message: problem }], { reference: 'reference' }) : noErrors;
  return page('status/find.njk', { value: value ?? '', errors }, { status: problem ? 422 : 200 });
}

/** No report has this reference (or it cannot be one): say so kindly, and offer to look again. */
export function notFoundView(value: string): HttpResult {
  return page('status/not-found.njk', { value }, { status: 404 });
}

export const statusErrorPage = errorPageFor({
  links: [
    { href: '/status', text: 'Check the progress of a report' },
    { href: '/', text: 'Report a problem' },
  ],
  headings: { 404: 'We cannot find a report with that reference' },
  serverError: 'The progress of your report cannot be shown because of a problem on our side. Try again later, or telephone the council.',
});
