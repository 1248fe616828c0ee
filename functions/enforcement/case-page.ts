import { AppError, type ErrorDetail } from '#shared/errors';
import { httpApi, readBody, redirect, type HttpRequest } from '#shared/http';
import { formErrors } from '../../web/forms.ts';
import { assignCase, closeCase, shareCase, type CaseCommandDeps } from '../cases/case-commands.ts';
import type { CaseWithTimelineView } from '../cases/case-queries.ts';
import { commandDeps, getCaseItem, queryDeps } from '../cases/deps.ts';
import { officerErrorPage } from '../cases/officer-frame.ts';
import { casePage as renderCasePage, projected, type CaseForm } from '../cases/officer-page.ts';
import '../../web/generated/templates/cases.js'; // cases/case.njk, which officer-page.ts names (it leaves importing the group to the functions that render it)
import { actionFormFields, actionFromForm, onActionForm, type FormFields } from '../cases/page-model.ts';
import { photoLinks } from '../cases/photo-deps.ts';
import { signedIn } from '../cases/principal.ts';
import { casePage } from './capability.ts';
import { recordDeps } from './deps.ts';
import { nextSteps } from './next-steps.ts';
import { recordAction } from './record-action.ts';

/** The subjects warned or served on the case: their actions on other cases count for the rules too. */
async function whatNext(view: CaseWithTimelineView, officerId: string) {
  const subjects = [...new Set(view.timeline.flatMap((e) => (['WarningIssued', 'NoticeServed'].includes(e.detailType) && typeof e.subjectRef === 'string' ? [e.subjectRef] : [])))];
  const subjectTimeline = recordDeps.subjectActions ? (await Promise.all(subjects.map((s) => recordDeps.subjectActions?.(s) ?? []))).flat() : [];
  return nextSteps({ caseId: view.caseId, timeline: view.timeline, subjectTimeline, officerId }, new Date());
}

const show = (request: HttpRequest, options: { values?: FormFields; errors?: ReturnType<typeof formErrors>; form?: CaseForm; status?: number } = {}) =>
  renderCasePage(request, { ...options, photoLinks, nextSteps: (view) => whatNext(view, request.principal?.subject ?? 'officer') });

/** A rule or a field the person can correct: shown on the form; anything else goes to the error page. */
const correctable = (error: unknown): error is AppError => error instanceof AppError && error.status < 500 && error.status !== 401 && error.status !== 404;

type Command = (caseId: string, body: unknown, principal: Parameters<typeof closeCase>[2], deps: CaseCommandDeps) => Promise<{ eventId: string }>;

/**
 * The close, share and assign forms: the command runs as the API's does, the page waits for
 * the event to be projected and shows the case with a banner; a problem comes back on the form.
 */
function caseCommand(form: Exclude<CaseForm, 'action'>, field: string, command: Command, done: (item: Record<string, unknown> | undefined, value: string) => boolean) {
  return async (request: HttpRequest) => {
    const caseId = request.path.caseId ?? '';
    const fields = readBody(request.event).value as FormFields;
    const value = typeof fields[field] === 'string' ? (fields[field] as string).trim() : '';
    const invalid = (details: ErrorDetail[], status: number) => show(request, { values: fields, errors: formErrors(details, { [field]: field }, field), form, status });
    try {
      await command(caseId, value ? { [field]: value } : {}, signedIn(request.principal), commandDeps);
    } catch (error) {
      if (!correctable(error)) throw error;
      const details = error.details?.length ? error.details.map((d) => ({ ...d, message: /received undefined|expected string/i.test(d.message) ? emptyMessage[form] : d.message })) : [{ path: field, message: error.message }];
      return invalid(details, error.status);
    }
    await projected(async () => done(await getCaseItem(caseId), value));
    return redirect(`/officer/cases/${encodeURIComponent(caseId)}?done=${form === 'close' ? 'closed' : form === 'share' ? 'shared' : 'assigned'}`);
  };
}

const emptyMessage: Record<Exclude<CaseForm, 'action'>, string> = {
  close: 'choose how the case ended',
  share: 'enter the partner organisation to share the case with',
  assign: 'choose who runs the case',
};

const setHas = (v: unknown, x: string) => (v instanceof Set ? v.has(x) : Array.isArray(v) && v.includes(x));

/**
 * The case page and its forms. The action form is two steps, so it works without JavaScript
 * and shows only what the chosen action needs: a GET form chooses the action
 * (`?action=WarningIssued:CPW`), then the page shows that action's fields.
 */
export const handler = httpApi(
  casePage,
  {
    'GET /officer/cases/{caseId}': (request) => show(request),
    'POST /officer/cases/{caseId}/actions': async (request) => {
      const caseId = request.path.caseId ?? '';
      const fields = readBody(request.event).value as FormFields;
      const invalid = (details: ErrorDetail[]) => show(request, { values: fields, errors: formErrors(details, actionFormFields, 'action'), status: 422 });
      const { body, issues } = actionFromForm(fields, new Date());
      if (!body) return invalid(issues);
      try {
        const { eventId } = await recordAction({ body, caseId, principal: signedIn(request.principal) }, recordDeps);
        await projected(async () => (await queryDeps.loadCase(caseId)).timeline.some((e) => e.eventId === eventId));
        return redirect(`/officer/cases/${encodeURIComponent(caseId)}?recorded=${encodeURIComponent(eventId)}#timeline`);
      } catch (error) {
        if (!correctable(error)) throw error;
        return invalid(onActionForm(error));
      }
    },
    'POST /officer/cases/{caseId}/close': caseCommand('close', 'outcome', closeCase, (item) => item?.status === 'closed'),
    'POST /officer/cases/{caseId}/share': caseCommand('share', 'organisation', shareCase, (item, org) => setHas(item?.sharedWith, org)),
    'POST /officer/cases/{caseId}/assign': caseCommand('assign', 'assignedTo', assignCase, (item, to) => item?.assignedTo === to),
  },
  { errorPage: officerErrorPage },
);
