import { AppError, detailsFromZod, NotFoundError, type ErrorDetail } from '#shared/errors';
import { httpApi, readBody, redirect } from '#shared/http';
import { formErrors, noErrors } from '../../web/forms.ts';
import { officerPages } from './capability.ts';
import type { CaseFilters } from './case-model.ts';
import { listCases } from './case-queries.ts';
import { getCaseItem, getReport, listReports, queryDeps, triageDeps } from './deps.ts';
import { casePage, officerErrorPage, projected, staffPage } from './officer-page.ts';
import { caseRows, choices, reportRows, triageFormFields, triageFromForm, type FormFields } from './page-model.ts';
import { signedIn } from './principal.ts';
import { triageInput, triageReport } from './triage.ts';

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
        const path = parsed.data.action === 'link' ? 'caseId' : error.code === 'tenancy-hate-related-is-category-a' ? 'riskCategory' : 'action';
        return invalid(error.details?.length ? [...error.details] : [{ path, message: error.message }]);
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
}, { errorPage: officerErrorPage });
