/**
 * The case page, for the case page function (functions/enforcement/case-page.ts), which adds
 * what can be done next from the ladder rules and shows the page again with what to correct.
 * The officer pages' frame (navigation, error page) is officer-frame.ts.
 */
import { waitUntil } from '#shared/wait-until';
import type { HttpRequest } from '#shared/http';
import { dateText } from '#shared/london-time';
import { staffChoices, staffName } from '#shared/staff-directory';
import { noErrors, type FormErrors } from '../../web/forms.ts';
import { outcomeText, ownerText, referralText } from '../../web/vocabulary.ts';
import { getCase, type CaseWithTimelineView } from './case-queries.ts';
import { getReport, queryDeps, today } from './deps.ts';
import { actionChoices, actionFields, categoryText, choices, firstContactTag, reportCard, timelineRows, whenText, type FormFields } from './page-model.ts';
import { staffPage } from './officer-frame.ts';
import { imageSourcesFor, type PhotoLinks } from './photo-links.ts';

/** The event is projected asynchronously: wait so the next page already shows it (shared/wait-until.ts). */
export const projected = waitUntil;

/** Which of the case page's forms was sent back with errors. */
export type CaseForm = 'action' | 'close' | 'share' | 'assign';

export interface CasePageOptions {
  values?: FormFields;
  errors?: FormErrors;
  /** The form the values and errors belong to (the action form by default). */
  form?: CaseForm;
  status?: number;
  /** What can be done next on the case (the case page function reads it from the ladder rules). */
  nextSteps?: (view: CaseWithTimelineView) => Promise<readonly { kind: string; text: string }[]>;
  photoLinks: PhotoLinks;
}

const done: Record<string, string> = {
  closed: 'The case was closed.',
  shared: 'The case was shared.',
  assigned: 'The case was assigned.',
};

/** The case, its reports with their photos, what can be done next, its timeline and its forms. */
export async function casePage(request: HttpRequest, options: CasePageOptions) {
  const caseId = request.path.caseId ?? '';
  const view = await getCase(caseId, request.principal, queryDeps);
  const form = options.form ?? 'action';
  const values = options.values ?? {};
  const errors = options.errors ?? noErrors;
  const reports = (await Promise.all(view.reportIds.map((id) => getReport(id)))).filter((r) => r !== undefined);
  const photos = await options.photoLinks.forReports(reports);
  const now = new Date();
  const chosen = form === 'action' && typeof values.action === 'string' ? values.action : request.query.action;
  const chosenAction = actionChoices.find((c) => c.value === chosen);
  const fields = actionFields(chosenAction?.value);
  return staffPage(
    'cases/case.njk',
    'cases',
    {
      view,
      categoryLabel: categoryText(view.category),
      owner: `${ownerText(view.owner)}${view.owner === 'tenancy-services' && view.riskCategory ? `, category ${view.riskCategory}` : ''}`,
      referredFrom: referralText(view.referredFrom),
      outcome: view.outcome ? outcomeText(view.outcome) : undefined,
      opened: `${whenText(view.openedAt)} by ${staffName(view.openedBy)}`,
      assignedTo: staffName(view.assignedTo),
      closed: view.closedAt ? whenText(view.closedAt) : undefined,
      contact: firstContactTag(view),
      reports: reports.map((r) => reportCard(r, photos.get(r.reportId) ?? [], now)),
      timelineRows: timelineRows(view.timeline),
      recorded: request.query.recorded !== undefined,
      done: done[request.query.done ?? ''] ?? (request.query.linked ? `${Number(request.query.linked)} more ${request.query.linked === '1' ? 'report was' : 'reports were'} linked to this case with the same decision.` : undefined),
      nextSteps: view.status === 'open' && options.nextSteps ? await options.nextSteps(view) : [],
      choices: { ...choices, staffItems: [{ value: '', text: 'Choose someone' }, ...staffChoices()] },
      chosenAction,
      show: Object.fromEntries(fields.map((f) => [f, true])),
      form,
      values,
      errors,
      today: dateText(today()),
    },
    { status: options.status, imageSources: imageSourcesFor(photos.values()) },
  );
}
