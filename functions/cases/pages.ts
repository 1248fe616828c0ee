import { AppError, ConflictError, detailsFromZod, NotFoundError, type ErrorDetail } from '#shared/errors';
import { httpApi, readBody, redirect } from '#shared/http';
import { formErrors, noErrors } from '../../web/forms.ts';
import type { ReportView } from '../intake/reports-repository.ts';
import { officerPages } from './capability.ts';
import type { CaseFilters } from './case-model.ts';
import { listCases } from './case-queries.ts';
import { getCaseItem, getReport, listReports, queryDeps, triageDeps } from './deps.ts';
import { duplicateSettings, groupDuplicates } from './duplicates.ts';
import { officerErrorPage, staffPage } from './officer-frame.ts';
import { projected } from './officer-page.ts';
import '../../web/generated/templates/cases.js'; // the cases/ templates this module renders
import { arrivalOf, caseRows, choices, reportCard, triageFormFields, triageFromForm, type FormFields } from './page-model.ts';
import { imageSourcesFor } from './photo-links.ts';
import { photoLinks } from './photo-deps.ts';
import { signedIn } from './principal.ts';
import { triageInput, triageReport, type TriageInput } from './triage.ts';

/** How many waiting reports the queue shows (and groups) at once, oldest first. */
export const QUEUE_SIZE = 100;

/** The waiting reports as likely-duplicate groups, in arrival order. */
async function queue() {
  const { items, next } = await listReports('untriaged', QUEUE_SIZE);
  const groups = groupDuplicates(items.map((r) => ({ ...r, arrivedAt: arrivalOf(r) })), duplicateSettings());
  return { groups, more: next !== undefined };
}

const formList = (v: FormFields[string]) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x): x is string => typeof x === 'string' && x !== '');

async function triagePage(reportId: string, values: FormFields, errors = noErrors, status?: number) {
  const report = await getReport(reportId);
  if (!report) throw new NotFoundError(`there is no report ${reportId}`);
  const others = report.status === 'untriaged' ? ((await queue()).groups.find((g) => g.some((r) => r.reportId === reportId)) ?? []).filter((r) => r.reportId !== reportId) : [];
  const photos = await photoLinks.forReports([report, ...others]);
  const now = new Date();
  const chosen = Object.keys(values).length ? formList(values.also) : others.map((r) => r.reportId);
  return staffPage(
    'cases/triage.njk',
    'triage',
    {
      report: { ...reportCard(report, photos.get(report.reportId) ?? [], now), referredTo: report.referredTo },
      others: others.map((r) => ({ ...reportCard(r, photos.get(r.reportId) ?? [], now), checked: chosen.includes(r.reportId) })),
      values,
      errors,
      choices,
    },
    { status, imageSources: imageSourcesFor(photos.values()) },
  );
}

/** The same decision for the likely duplicates the officer kept ticked: linked to the case, or referred on alike. */
async function decideOthers(ids: readonly string[], decision: TriageInput, caseId: string | undefined, principal: ReturnType<typeof signedIn>) {
  const follow: TriageInput | undefined =
    caseId !== undefined ? { action: 'link', caseId } : decision.action === 'refer' ? { action: 'refer', service: decision.service, ...(decision.reason ? { reason: decision.reason } : {}) } : undefined;
  if (!follow) return [];
  const done: string[] = [];
  for (const id of ids) {
    try {
      await triageReport(id, follow, principal, triageDeps);
      done.push(id);
    } catch (error) {
      // Someone else decided on it meanwhile: it has left the queue, which is what was wanted.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return done;
}

export const handler = httpApi(officerPages, {
  'GET /officer/triage': async ({ query }) => {
    const { groups, more } = await queue();
    const newest = query.order === 'newest';
    const reports = groups.flat();
    const photos = await photoLinks.forReports(reports);
    const now = new Date();
    const shown = (newest ? [...groups].reverse().map((g) => [...g].reverse()) : groups).map((g) => g.map((r: ReportView) => reportCard(r, photos.get(r.reportId) ?? [], now)));
    return staffPage(
      'cases/triage-queue.njk',
      'triage',
      { groups: shown, count: reports.length, more, newest, referred: query.referred, linked: query.linked, settings: duplicateSettings() },
      { imageSources: imageSourcesFor(photos.values()) },
    );
  },
  'GET /officer/triage/{reportId}': ({ path }) => triagePage(path.reportId ?? '', {}),
  'POST /officer/triage/{reportId}': async ({ event, path, principal }) => {
    const reportId = path.reportId ?? '';
    const fields = readBody(event).value as FormFields;
    const parsed = triageInput.safeParse(triageFromForm(fields));
    const invalid = (details: ErrorDetail[]) => triagePage(reportId, fields, formErrors(details, triageFormFields, 'action'), 422);
    if (!parsed.success) return invalid(detailsFromZod(parsed.error.issues));
    const officer = signedIn(principal);
    let caseId: string | undefined;
    try {
      ({ caseId } = await triageReport(reportId, parsed.data, officer, triageDeps));
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500 || error.status === 401) throw error;
      const path = parsed.data.action === 'link' ? 'caseId' : error.code === 'tenancy-hate-related-is-category-a' ? 'riskCategory' : 'action';
      return invalid(error.details?.length ? [...error.details] : [{ path, message: error.message }]);
    }
    const also = formList(fields.also).filter((id) => id !== reportId);
    // A report joins an open case only once the case is there to read: wait for a new one to be projected.
    const caseReady = async () => !caseId || (await getCaseItem(caseId))?.openedAt !== undefined;
    if (also.length) await projected(caseReady);
    const others = await decideOthers(also, parsed.data, caseId, officer);
    const decided = async (id: string) => (await getReport(id))?.status !== 'untriaged';
    await projected(async () => (await Promise.all([reportId, ...others].map(decided))).every(Boolean) && (await caseReady()));
    if (caseId) return redirect(`/officer/cases/${encodeURIComponent(caseId)}${others.length ? `?linked=${others.length}` : ''}`);
    return redirect(`/officer/triage?referred=${encodeURIComponent(reportId)}${others.length ? `&linked=${others.length}` : ''}`);
  },
  'GET /officer/cases': async ({ principal, query }) => {
    const filters: CaseFilters = {
      status: query.status === 'closed' || query.status === 'all' ? query.status : 'open',
      ...(query.owner === 'safer-communities' || query.owner === 'tenancy-services' ? { owner: query.owner } : {}),
      ...(query.riskCategory === 'A' || query.riskCategory === 'B' || query.riskCategory === 'C' ? { riskCategory: query.riskCategory } : {}),
      ...(query.overdue === 'true' ? { overdue: true } : {}),
      ...(query.mine === 'true' && principal?.subject ? { assignedTo: principal.subject } : {}),
    };
    const { items } = await listCases(principal, filters, { limit: 100 }, queryDeps);
    return staffPage('cases/list.njk', 'cases', { cases: caseRows(items), filters: { ...filters, mine: query.mine === 'true' }, choices });
  },
}, { errorPage: officerErrorPage });
