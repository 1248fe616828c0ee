/**
 * The PrivacyApi function's routes, given their stores (api.ts gives the real ones). JSON under
 * /privacy, pages under /officer/privacy and /admin/privacy; every page works without script.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '#shared/auth';
import { BadRequestError } from '#shared/errors';
import { staffName } from '#shared/staff-directory';
import { httpApi, json, readBody, type HttpRequest, type HttpResult, type HttpApiOptions } from '#shared/http';
import { errorPageFor } from '../../web/error-page.ts';
import { formErrors, noErrors, type FormErrors } from '../../web/forms.ts';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/privacy.js'; // the privacy/ templates this module renders
import type { ContactInput } from '../intake/report-input.ts';
import { accessReasons, itemKinds, type AccessEntry, type AccessFilter, type AccessRecord, type ItemKind } from './access-record.ts';
import { privacyApi } from './capability.ts';
import { buildContactStep, checkReason, mayView, parseKind, reasonText, NOTE_MAX, type ContactHolder } from './contact-step.ts';
import { applyErasure, planErasure, tally } from './erasure.ts';
import { parsePersonQuery, searchedBy, type PersonQuery, type ReadHoldings } from './holdings.ts';
import { subjectAccessExport, type SubjectAccessExport } from './subject-access.ts';

export interface PrivacyDeps {
  readonly db: DynamoDBDocumentClient;
  readonly table: string;
  readonly access: AccessRecord;
  readonly readHoldings: ReadHoldings;
  readonly getContact: (contactRef: string) => Promise<ContactInput | undefined>;
  readonly now?: () => Date;
}

const service = { name: 'Safer Communities', url: '/officer/cases' };
const adminNavigation = (active: string) => [
  { href: '/admin/privacy/access-record', text: 'Access record', active: active === 'record' },
  { href: '/admin/privacy/subject-access', text: 'Subject access', active: active === 'sar' },
  { href: '/admin/privacy/erasure', text: 'Erasure', active: active === 'erasure' },
];
const errorPage = errorPageFor({ service, links: [{ href: '/officer/cases', text: 'Go to the cases' }] });
/** Pages with personal data on them are never cached, by the browser or anything between. */
const privatePage = (template: string, context: Record<string, unknown>, status?: number): HttpResult =>
  page(template, { service, ...context }, { ...(status ? { status } : {}), headers: { 'cache-control': 'no-store' } });

const fieldsOf = (request: HttpRequest) => (readBody(request.event).value ?? {}) as Record<string, unknown>;
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const by = (p: Principal | undefined) => p?.subject ?? 'unknown';
const kindText: Record<ItemKind, string> = { report: 'report', 'case-review': 'ASB Case Review application' };
const itemHref = (kind: ItemKind, id: string) => (kind === 'report' ? `/officer/triage/${encodeURIComponent(id)}` : `/officer/case-reviews/${encodeURIComponent(id)}`);

function accessFilter(query: Readonly<Record<string, string | undefined>>): AccessFilter {
  const given = ['report', 'caseReview', 'officer'].filter((k) => query[k]);
  if (given.length > 1) throw new BadRequestError('filter by one of report, caseReview or officer');
  if (query.report) return { item: { kind: 'report', id: query.report } };
  if (query.caseReview) return { item: { kind: 'case-review', id: query.caseReview } };
  if (query.officer) return { officer: query.officer };
  return {};
}

function limitOf(query: Readonly<Record<string, string | undefined>>) {
  if (query.limit === undefined) return 50;
  const n = Number(query.limit);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new BadRequestError('limit is a whole number from 1 to 200');
  return n;
}

const entryRow = (e: AccessEntry) => ({
  at: e.at,
  by: e.by,
  byName: staffName(e.by),
  action: e.action === 'show-contact' ? 'Showed contact details' : e.action === 'subject-access' ? 'Subject access export' : 'Erasure',
  item: e.item ? { text: `${kindText[e.item.kind]} ${e.item.id}`, href: itemHref(e.item.kind, e.item.id) } : undefined,
  person: e.contactRef ?? e.subjectRef ?? '',
  reason: reasonText(e),
});

export function privacyHandler(deps: PrivacyDeps, options: Omit<HttpApiOptions, 'errorPage'> = {}) {
  const now = deps.now ?? (() => new Date());
  const step = buildContactStep(deps.db, deps.table, deps);

  async function subjectAccess(q: PersonQuery, principal: Principal | undefined, reference: string): Promise<SubjectAccessExport> {
    const holdings = await deps.readHoldings(q);
    const result = subjectAccessExport(holdings, now());
    await deps.access.record({
      action: 'subject-access',
      by: by(principal),
      ...(holdings.contactRef ? { contactRef: holdings.contactRef } : {}),
      ...(holdings.subjectRef ? { subjectRef: holdings.subjectRef } : {}),
      reason: reference,
      note: `searched by ${searchedBy(q)}`,
      outcome: { reports: result.reports.length, caseReviews: result.caseReviews.length, cases: result.cases.length, enforcementActions: result.enforcementActions.length },
    });
    return result;
  }

  async function erase(q: PersonQuery, principal: Principal | undefined, reference: string) {
    if (q.subjectRef) throw new BadRequestError('enforcement subjects are not erased: their records are kept for the law enforcement purpose (see docs/privacy.md). Erase a reporter or applicant by e-mail, phone or contact reference');
    const holdings = await deps.readHoldings(q);
    if (!holdings.contactRef) return { erased: false, outcome: {} as Record<string, number> };
    const steps = planErasure(holdings);
    await applyErasure(deps.db, deps.table, steps);
    const outcome = tally(steps);
    const entry = await deps.access.record({ action: 'erasure', by: by(principal), contactRef: holdings.contactRef, reason: reference, outcome });
    return { erased: true, contactRef: holdings.contactRef, entryId: entry.entryId, outcome };
  }

  const requestReference = (fields: Record<string, unknown>) => {
    const ref = first(fields.requestReference);
    if (typeof ref !== 'string' || ref.trim() === '') throw new BadRequestError('give the council\'s reference for the request (for example the case management or FOI/SAR log number)');
    if (ref.trim().length > 100) throw new BadRequestError('the request reference must be 100 characters or fewer');
    return ref.trim();
  };

  // --- pages ---
  const contactForm = (h: ContactHolder, values: Record<string, unknown> = {}, errors: FormErrors = noErrors, status?: number) =>
    privatePage(
      'privacy/contact-reason.njk',
      {
        holder: h,
        what: kindText[h.kind],
        back: itemHref(h.kind, h.id),
        action: `/officer/privacy/contact/${h.kind}/${encodeURIComponent(h.id)}`,
        reasons: Object.entries(accessReasons).map(([value, text]) => ({ value, text, checked: values.reason === value })),
        values,
        errors,
        noteMax: NOTE_MAX,
      },
      status,
    );

  const personForm = (template: string, active: string, values: Record<string, unknown>, errors: FormErrors, extra: Record<string, unknown> = {}, status?: number) =>
    privatePage(template, { navigation: adminNavigation(active), values, errors, ...extra }, status);
  const personFields = { requestReference: 'requestReference', email: 'email', phone: 'phone', contactRef: 'contactRef', subjectRef: 'subjectRef' };
  const personErrors = (error: unknown) => {
    if (!(error instanceof BadRequestError)) throw error;
    const path = /reference for the request|request reference/.test(error.message) ? 'requestReference' : 'email';
    return formErrors([{ path, message: error.message }], personFields);
  };

  return httpApi(
    privacyApi,
    {
      'POST /privacy/contact-access': async ({ event, principal }) => {
        const body = (readBody(event).value ?? {}) as Record<string, unknown>;
        const kind = itemKinds.includes(body.kind as ItemKind) ? (body.kind as ItemKind) : undefined;
        if (!kind || typeof body.id !== 'string' || body.id === '') throw new BadRequestError('say which report or case review: { kind: "report" | "case-review", id, reason, note? }');
        mayView(kind, principal);
        const given = checkReason(body);
        if ('problems' in given) throw new BadRequestError(given.problems[0]?.message ?? 'give a reason', given.problems);
        const h = await step.holder(kind, body.id);
        const { entry, contact } = await step.show(h, principal, given);
        return json(200, { entryId: entry.entryId, kind, id: h.id, reference: h.reference, contact: contact ?? null }, { 'cache-control': 'no-store' });
      },
      'GET /privacy/access-record': async ({ query }) => {
        const page = await deps.access.list(accessFilter(query), { limit: limitOf(query), ...(query.cursor ? { cursor: query.cursor } : {}) });
        return json(200, page);
      },
      'POST /privacy/subject-access': async ({ event, principal }) => {
        const body = (readBody(event).value ?? {}) as Record<string, unknown>;
        const reference = requestReference(body);
        return json(200, await subjectAccess(parsePersonQuery(body), principal, reference), { 'cache-control': 'no-store' });
      },
      'POST /privacy/erasures': async ({ event, principal }) => {
        const body = (readBody(event).value ?? {}) as Record<string, unknown>;
        const reference = requestReference(body);
        const result = await erase(parsePersonQuery(body), principal, reference);
        return json(result.erased ? 200 : 404, result.erased ? result : { error: { code: 'not_found', message: 'no contact details are held for that person' } });
      },

      'GET /officer/privacy/contact/{kind}/{id}': async ({ path, principal }) => {
        const kind = parseKind(path.kind);
        mayView(kind, principal);
        return contactForm(await step.holder(kind, path.id ?? ''));
      },
      'POST /officer/privacy/contact/{kind}/{id}': async (request) => {
        const kind = parseKind(request.path.kind);
        mayView(kind, request.principal);
        const h = await step.holder(kind, request.path.id ?? '');
        const fields = fieldsOf(request);
        const values = { reason: first(fields.reason), note: first(fields.note) };
        const given = checkReason(values);
        if ('problems' in given) return contactForm(h, values, formErrors(given.problems, { reason: 'reason', note: 'note' }), 422);
        if (!h.contactRef) return contactForm(h);
        const { entry, contact } = await step.show(h, request.principal, given);
        return privatePage('privacy/contact-shown.njk', { holder: h, what: kindText[kind], back: itemHref(kind, h.id), contact, entry, reason: reasonText(entry) });
      },
      'GET /admin/privacy/access-record': async ({ query }) => {
        const filter = accessFilter(query);
        const limit = limitOf(query);
        const list = await deps.access.list(filter, { limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
        const keep = new URLSearchParams(Object.entries({ report: query.report, caseReview: query.caseReview, officer: query.officer }).filter((e): e is [string, string] => Boolean(e[1])));
        const older = list.next ? `/admin/privacy/access-record?${new URLSearchParams([...keep, ['cursor', list.next]]).toString()}` : undefined;
        return privatePage('privacy/access-record.njk', { navigation: adminNavigation('record'), rows: list.entries.map(entryRow), values: query, older, firstPage: !query.cursor });
      },
      'GET /admin/privacy/subject-access': async () => personForm('privacy/subject-access.njk', 'sar', {}, noErrors),
      'POST /admin/privacy/subject-access': async (request) => {
        const fields = Object.fromEntries(Object.entries(fieldsOf(request)).map(([k, v]) => [k, first(v)]));
        try {
          const reference = requestReference(fields);
          const result = await subjectAccess(parsePersonQuery(fields), request.principal, reference);
          return personForm('privacy/subject-access.njk', 'sar', fields, noErrors, { result, resultJson: JSON.stringify(result, null, 2) });
        } catch (error) {
          return personForm('privacy/subject-access.njk', 'sar', fields, personErrors(error), {}, 422);
        }
      },
      'GET /admin/privacy/erasure': async () => personForm('privacy/erasure.njk', 'erasure', {}, noErrors),
      'POST /admin/privacy/erasure': async (request) => {
        const fields = Object.fromEntries(Object.entries(fieldsOf(request)).map(([k, v]) => [k, first(v)]));
        try {
          const reference = requestReference(fields);
          const q = parsePersonQuery(fields);
          if (fields.confirm !== 'yes') throw new BadRequestError('tick the box to confirm the erasure');
          const result = await erase(q, request.principal, reference);
          return personForm('privacy/erasure.njk', 'erasure', {}, noErrors, { result: { ...result, rows: Object.entries(result.outcome) } });
        } catch (error) {
          if (error instanceof BadRequestError && /tick the box/.test(error.message)) {
            return personForm('privacy/erasure.njk', 'erasure', fields, formErrors([{ path: 'confirm', message: error.message }], { confirm: 'confirm' }), {}, 422);
          }
          return personForm('privacy/erasure.njk', 'erasure', fields, personErrors(error), {}, 422);
        }
      },
    },
    { ...options, errorPage },
  );
}
