/**
 * The case reviews' pages: the public application form, its confirmation and the published
 * figures; the officers' list, one review, and the printable letters. Read models in, text out
 * (the templates escape it).
 */
import type { ErrorDetail } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import { dateText, londonFormat } from '#shared/london-time';
import { errorPageFor } from '../../web/error-page.ts';
import { formErrors, noErrors, type FormErrors } from '../../web/forms.ts';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/case-reviews.js'; // the case-reviews/ templates this module renders
import { rateLimitedForm } from '../../web/rate-limited.ts';
import type { FormFields } from '../intake/report-input.ts';
import type { PublishedFigures } from './figures.ts';
import { FORM_COMPLAINTS } from './input.ts';
import type { Letter } from './letters.ts';
import type { CaseReviewView, DueItem } from './model.ts';

// --- Public pages -------------------------------------------------------------------------

const publicService = { name: 'Ask for an ASB Case Review', url: '/case-reviews/apply' };

/** Error key → id of the element the summary links to, in page order. */
export function applicationFields(): Record<string, string> {
  const fields: Record<string, string> = {
    applyingFor: 'applyingFor',
    'thirdParty.name': 'thirdParty-name',
    'thirdParty.relationship': 'thirdParty-relationship',
    'thirdParty.email': 'thirdParty-email',
    'thirdParty.phone': 'thirdParty-phone',
    'thirdParty.victimConsent': 'victimConsent',
    'applicant.name': 'applicant-name',
    'applicant.email': 'applicant-email',
    'applicant.phone': 'applicant-phone',
    'applicant.consentToContact': 'consentToContact',
    applicant: 'applicant-email',
    hateIncident: 'hateIncident',
    description: 'description',
    complaints: 'complaint-1-reportedTo',
  };
  for (let slot = 1; slot <= FORM_COMPLAINTS; slot += 1) {
    fields[`c${slot}.reportedTo`] = `complaint-${slot}-reportedTo`;
    fields[`c${slot}.incidentOn`] = `complaint-${slot}-incident-day`;
    fields[`c${slot}.reportedOn`] = `complaint-${slot}-reported-day`;
    fields[`c${slot}.reference`] = `complaint-${slot}-reference`;
  }
  return fields;
}

/** JSON paths (`complaints.0.incidentOn`) as the form's (`c2.incidentOn`, when the first complaint was in slot 2). */
export function toFormPaths(details: readonly ErrorDetail[], slots: readonly number[]): ErrorDetail[] {
  return details.map((d) => {
    const m = /^complaints\.(\d+)\.(\w+)/.exec(d.path);
    if (!m) return d;
    const slot = (slots[Number(m[1])] ?? 0) + 1;
    return { path: `c${slot}.${m[2]}`, message: d.message };
  });
}

function shownValues(fields: FormFields): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([k, v]) => {
      const value = Array.isArray(v) ? v[0] : v;
      return typeof value === 'string' && k !== 'website' ? [[k, value]] : [];
    }),
  );
}

export interface FormOptions {
  /** An officer recording the application for someone: the form posts to the officer route. */
  readonly officer?: boolean;
  /** The connection sent too many applications: when it may try again (also sent as Retry-After). */
  readonly rateLimitedSeconds?: number;
}

export function applicationPage(fields: FormFields = {}, details: readonly ErrorDetail[] = [], options: FormOptions = {}): HttpResult {
  const errors: FormErrors = details.length ? formErrors(details, applicationFields(), 'description') : noErrors;
  const slots = Array.from({ length: FORM_COMPLAINTS }, (_, i) => i + 1);
  const limited = options.rateLimitedSeconds === undefined ? undefined : rateLimitedForm('application', options.rateLimitedSeconds);
  return page(
    'case-reviews/apply.njk',
    {
      values: shownValues(fields),
      errors,
      slots,
      action: options.officer ? '/officer/case-reviews/new' : '/case-reviews',
      officer: options.officer === true,
      ...(options.officer ? { service: officerService, navigation: officerNavigation('case-reviews') } : { service: publicService }),
      ...(limited ? { rateLimited: limited.view } : {}),
    },
    limited ? limited.response : { status: details.length ? 422 : 200 },
  );
}

export const sentPage = (reference: string, officer = false, reviewId?: string) =>
  page('case-reviews/sent.njk', {
    reference,
    officer,
    ...(reviewId ? { reviewHref: `/officer/case-reviews/${encodeURIComponent(reviewId)}` } : {}),
    ...(officer ? { service: officerService, navigation: officerNavigation('case-reviews') } : { service: publicService }),
  });

export function figuresPage(figures: PublishedFigures | undefined, values: Record<string, string>, errors: FormErrors = noErrors, status = 200): HttpResult {
  return page(
    'case-reviews/figures.njk',
    {
      service: { name: 'ASB Case Review figures', url: '/case-reviews/figures' },
      values,
      errors,
      ...(figures ? { figures, period: `${dateText(figures.from)} to ${dateText(figures.to)}` } : {}),
    },
    { status },
  );
}

export const publicErrorPage = errorPageFor({
  service: publicService,
  links: [{ href: '/case-reviews/apply', text: 'Go back to the application form' }],
  headings: { 400: 'There is a problem with the form', 415: 'There is a problem with the form', 422: 'There is a problem with the form' },
  serverError: 'Your application could not be sent because of a problem on our side. Try again later, or telephone the council.',
});

// --- Officer pages ------------------------------------------------------------------------

export const officerService = { name: 'Safer Communities cases', url: '/officer/cases' };
export const officerNavigation = (active: 'case-reviews' | undefined) => [
  { href: '/officer/triage', text: 'Triage queue' },
  { href: '/officer/cases', text: 'Cases' },
  { href: '/officer/case-reviews', text: 'Case reviews', active: active === 'case-reviews' },
];

export const officerErrorPage = errorPageFor({
  service: officerService,
  navigation: officerNavigation(undefined),
  links: [{ href: '/officer/case-reviews', text: 'Go to the case reviews' }],
});

export const staffPage = (template: string, context: Record<string, unknown>, status?: number) =>
  page(template, { service: officerService, navigation: officerNavigation('case-reviews'), ...context }, status ? { status } : {});

const when = londonFormat({ day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true });
export const whenText = (iso: string) => when(iso).replace(' am', 'am').replace(' pm', 'pm');

export const statusText: Record<CaseReviewView['status'], { text: string; classes: string }> = {
  'awaiting-assessment': { text: 'Being assessed', classes: 'govuk-tag--grey' },
  'threshold-not-met': { text: 'Threshold not met', classes: 'govuk-tag--orange' },
  'awaiting-review': { text: 'Review to hold', classes: 'govuk-tag--blue' },
  decided: { text: 'Decided', classes: 'govuk-tag--green' },
};

const recipient: Record<string, string> = { council: 'The council', police: 'The police', 'housing-provider': 'A housing provider' };

export const reviewRow = (v: CaseReviewView) => ({
  href: `/officer/case-reviews/${encodeURIComponent(v.reviewId)}`,
  reference: v.reference,
  received: dateText(v.appliedOn),
  status: statusText[v.status],
  tellBy: v.deadlines.applicantToldOn ? `Told ${dateText(v.deadlines.applicantToldOn)}` : `By ${dateText(v.deadlines.tellApplicantBy)}`,
  holdBy: v.decision ? `Held ${dateText(v.decision.decidedAt.slice(0, 10))}` : v.deadlines.holdReviewBy ? `By ${dateText(v.deadlines.holdReviewBy)}` : '–',
});

export const dueRow = (d: DueItem) => ({
  href: `/officer/case-reviews/${encodeURIComponent(d.reviewId)}`,
  reference: d.reference,
  dueOn: dateText(d.dueOn),
  overdue: d.overdue,
  message: d.message,
});

export interface HistoryEntry {
  reportId: string;
  reference?: string;
  category: string;
  occurred: string;
  caseId?: string;
  caseStatus?: string;
  timeline: { when: string; what: string }[];
}

export function reviewContext(v: CaseReviewView, history: readonly HistoryEntry[]) {
  return {
    view: v,
    status: statusText[v.status],
    received: whenText(v.receivedAt),
    channel: v.channel === 'officer' ? `Recorded by an officer${v.recordedBy ? ` (${v.recordedBy})` : ''}` : v.channel === 'api' ? 'Sent by an app or partner system' : 'Online form',
    complaintRows: v.complaints.map((c, i) => [
      { text: String(i + 1) },
      { text: recipient[c.reportedTo] ?? c.reportedTo },
      { text: dateText(c.incidentOn) },
      { text: dateText(c.reportedOn) },
      { text: c.reference ?? '–' },
    ]),
    assessmentRows: (v.assessment?.complaints ?? []).map((c) => [
      { text: c.source === 'listed' ? `Complaint ${c.n}` : `Found in records (${c.reference ?? c.reportId ?? c.n})` },
      { text: c.counted ? 'Counted' : 'Not counted' },
      { text: c.reason },
    ]),
    assessments: v.assessments.map((a) => ({ when: whenText(a.assessedAt), by: a.assessedBy === 'rule' ? 'By rule' : 'By an officer', met: a.met, basis: a.basis })),
    deadlines: {
      tellBy: dateText(v.deadlines.tellApplicantBy),
      toldOn: v.deadlines.applicantToldOn ? dateText(v.deadlines.applicantToldOn) : undefined,
      holdBy: v.deadlines.holdReviewBy ? dateText(v.deadlines.holdReviewBy) : undefined,
    },
    panel: v.panel ? { meetingOn: dateText(v.panel.meetingOn), members: v.panel.members } : undefined,
    recommendations: (v.decision?.recommendations ?? []).map((r) => ({
      ...r,
      due: r.dueOn ? dateText(r.dueOn) : undefined,
      doneText: r.done ? `Done ${whenText(r.done.at)}${r.done.note ? `: ${r.done.note}` : ''}` : undefined,
    })),
    letters: v.letters.map((l) => ({ letter: l.letter === 'threshold' ? 'Threshold decision' : 'Outcome', how: l.channel === 'email' ? 'by email' : 'to print and post', when: whenText(l.sentAt) })),
    history,
  };
}

export const letterPage = (letter: Letter, v: CaseReviewView) =>
  page('case-reviews/letter.njk', { service: officerService, navigation: officerNavigation('case-reviews'), letter, reference: v.reference, backHref: `/officer/case-reviews/${encodeURIComponent(v.reviewId)}` });
