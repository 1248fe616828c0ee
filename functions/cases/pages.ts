import { randomUUID } from 'node:crypto';
import { AppError, detailsFromZod, NotFoundError, type ErrorDetail } from '#shared/errors';
import { errorPageFor } from '../../web/error-page.ts';
import { officerPages } from './capability.ts';
import { httpApi, readBody, redirect, type HttpRequest } from '#shared/http';
import { dateText } from '#shared/london-time';
import { formErrors, noErrors } from '../../web/forms.ts';
import { page } from '../../web/render.ts';
import { recordAction } from '../enforcement/record-action.ts';
import type { CaseFilters } from './case-model.ts';
import { getCase, listCases } from './case-queries.ts';
import { caseWithTimeline, getCaseItem, getReport, listReports, publish, queryDeps, today, triageDeps } from './deps.ts';
import {
  actionFormFields,
  actionFromForm,
  caseRows,
  categoryText,
  choices,
  firstContactTag,
  onActionForm,
  reportRows,
  timelineRows,
  triageFormFields,
  triageFromForm,
  whenText,
  type FormFields,
} from './page-model.ts';
import { signedIn } from './principal.ts';
import { triageInput, triageReport } from './triage.ts';

const actionDeps = { loadCase: caseWithTimeline, publish, newId: randomUUID };

const service = { name: 'Safer Communities cases', url: '/officer/cases' };
const nav = (active: 'triage' | 'cases' | undefined) => [
  { href: '/officer/triage', text: 'Triage queue', active: active === 'triage' },
  { href: '/officer/cases', text: 'Cases', active: active === 'cases' },
];
const staffPage = (template: string, active: 'triage' | 'cases', context: Record<string, unknown>, status?: number) =>
  page(template, { service, navigation: nav(active), ...context }, status ? { status } : {});

/** The event is projected asynchronously: wait briefly so the next page already shows it. */
async function projected(check: () => Promise<boolean>, timeoutMs = 3000) {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
}

const errorPage = errorPageFor({
  service,
  navigation: nav(undefined),
  links: [
    { href: '/officer/cases', text: 'Go to the cases' },
    { href: '/officer/triage', text: 'Go to the triage queue' },
  ],
});

async function triagePage(reportId: string, values: FormFields, errors = noErrors, status?: number) {
  const report = await getReport(reportId);
  if (!report) throw new NotFoundError(`there is no report ${reportId}`);
  return staffPage(
    'cases/triage.njk',
    'triage',
    { report: { ...reportRows([report])[0], description: report.description, status: report.status, caseId: report.caseId, referredTo: report.referredTo }, values, errors, choices },
    status,
  );
}

async function casePage(request: HttpRequest, values: FormFields, errors = noErrors, status?: number) {
  const caseId = request.path.caseId ?? '';
  const view = await getCase(caseId, request.principal, queryDeps);
  return staffPage(
    'cases/case.njk',
    'cases',
    {
      view,
      categoryLabel: categoryText(view.category),
      opened: whenText(view.openedAt),
      closed: view.closedAt ? whenText(view.closedAt) : undefined,
      contact: firstContactTag(view),
      timelineRows: timelineRows(view.timeline),
      recorded: request.query.recorded !== undefined,
      choices,
      values,
      errors,
      today: dateText(today()),
    },
    status,
  );
}

export const handler = httpApi(officerPages, {
  'GET /officer/triage': async ({ query }) => {
    const { items, next } = await listReports('untriaged', 50);
    return staffPage('cases/triage-queue.njk', 'triage', { reports: reportRows(items), more: next !== undefined, referred: query.referred });
  },
  'GET /officer/triage/{reportId}': ({ path }) => triagePage(path.reportId ?? '', {}),
  'POST /officer/triage/{reportId}': async ({ event, path, principal }) => {
      const reportId = path.reportId ?? '';
      const fields = readBody(event).value as FormFields;
      const parsed = triageInput.safeParse(triageFromForm(fields));
      const invalid = (details: ErrorDetail[]) => triagePage(reportId, fields, formErrors(details, triageFormFields, 'action'), 422);
      if (!parsed.success) return invalid(detailsFromZod(parsed.error.issues));
      try {
        const { caseId } = await triageReport(reportId, parsed.data, signedIn(principal), triageDeps);
        await projected(async () => (await getReport(reportId))?.status !== 'untriaged' && (!caseId || (await getCaseItem(caseId))?.openedAt !== undefined));
        return redirect(caseId ? `/officer/cases/${encodeURIComponent(caseId)}` : `/officer/triage?referred=${encodeURIComponent(reportId)}`);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.status === 401) throw error;
        return invalid(error.details?.length ? [...error.details] : [{ path: parsed.data.action === 'link' ? 'caseId' : 'action', message: error.message }]);
      }
  },
  'GET /officer/cases': async ({ principal, query }) => {
    const filters: CaseFilters = {
      status: query.status === 'closed' || query.status === 'all' ? query.status : 'open',
      ...(query.owner === 'safer-communities' || query.owner === 'tenancy-services' ? { owner: query.owner } : {}),
      ...(query.riskCategory === 'A' || query.riskCategory === 'B' || query.riskCategory === 'C' ? { riskCategory: query.riskCategory } : {}),
      ...(query.overdue === 'true' ? { overdue: true } : {}),
    };
    const { items } = await listCases(principal, filters, { limit: 100 }, queryDeps);
    return staffPage('cases/list.njk', 'cases', { cases: caseRows(items), filters, choices });
  },
  'GET /officer/cases/{caseId}': (request) => casePage(request, {}),
  'POST /officer/cases/{caseId}/actions': async (request) => {
      const caseId = request.path.caseId ?? '';
      const fields = readBody(request.event).value as FormFields;
      const invalid = (details: ErrorDetail[]) => casePage(request, fields, formErrors(details, actionFormFields, 'action'), 422);
      const { body, issues } = actionFromForm(fields, new Date());
      if (!body) return invalid(issues);
      try {
        const { eventId } = await recordAction({ body, caseId, principal: signedIn(request.principal) }, actionDeps);
        await projected(async () => (await queryDeps.loadCase(caseId)).timeline.some((e) => e.eventId === eventId));
        return redirect(`/officer/cases/${encodeURIComponent(caseId)}?recorded=${encodeURIComponent(eventId)}#timeline`);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.status === 401 || error.status === 404) throw error;
        return invalid(onActionForm(error));
      }
  },
}, { errorPage });
