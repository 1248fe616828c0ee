import { AppError, type ErrorDetail } from '#shared/errors';
import { httpApi, readBody, redirect } from '#shared/http';
import { formErrors } from '../../web/forms.ts';
import { queryDeps } from '../cases/deps.ts';
import { casePage, officerErrorPage, projected } from '../cases/officer-page.ts';
import { actionFormFields, actionFromForm, onActionForm, type FormFields } from '../cases/page-model.ts';
import { signedIn } from '../cases/principal.ts';
import { actionForm } from './capability.ts';
import { recordDeps } from './deps.ts';
import { recordAction } from './record-action.ts';

/**
 * The case page's action form: the action is recorded and the case page shown with it on the
 * timeline, or the case page comes back with the error summary and the message on each field.
 */
export const handler = httpApi(
  actionForm,
  {
    'POST /officer/cases/{caseId}/actions': async (request) => {
      const caseId = request.path.caseId ?? '';
      const fields = readBody(request.event).value as FormFields;
      const invalid = (details: ErrorDetail[]) => casePage(request, fields, formErrors(details, actionFormFields, 'action'), 422);
      const { body, issues } = actionFromForm(fields, new Date());
      if (!body) return invalid(issues);
      try {
        const { eventId } = await recordAction({ body, caseId, principal: signedIn(request.principal) }, recordDeps);
        await projected(async () => (await queryDeps.loadCase(caseId)).timeline.some((e) => e.eventId === eventId));
        return redirect(`/officer/cases/${encodeURIComponent(caseId)}?recorded=${encodeURIComponent(eventId)}#timeline`);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.status === 401 || error.status === 404) throw error;
        return invalid(onActionForm(error));
      }
    },
  },
  { errorPage: officerErrorPage },
);
