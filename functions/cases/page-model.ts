/**
 * The officer pages' forms and tables, as plain functions: form fields in, an API body or
 * the fields' errors out; read models in, rows of text out (escaped by the templates).
 */
import { referralSources, riskCategories } from '#events/cases';
import type { ErrorDetail } from '#shared/errors';
import { dateText, isRealDate, londonDateOf, londonFormat, londonToIso } from '#shared/london-time';
import { formValue, parseTime, type FormFields } from '../intake/report-input.ts';
import type { ReportView } from '../intake/reports-repository.ts';
import { staffName } from '#shared/staff-directory';
import {
  actionChoices,
  actionText,
  categoryText,
  channelText,
  firstContactWords,
  kindWords,
  offenceChoices,
  offenceText,
  outcomeChoices,
  outcomeText,
  ownerText,
  ownerWords,
  referralText,
  referralWords,
} from '../../web/vocabulary.ts';
import type { CaseView, TimelineEntry } from './case-model.ts';

export { actionChoices, categoryText, offenceChoices };

export type { FormFields };

const blank = (v: string | undefined) => v === undefined || v.trim() === '';
const value = (fields: FormFields, name: string) => {
  const v = formValue(fields, name);
  return blank(v) ? undefined : (v as string).trim();
};

const typeField: Record<string, string> = {
  WarningIssued: 'warningType',
  NoticeServed: 'noticeType',
  CourtOrderObtained: 'orderType',
  TeamActionRecorded: 'actionType',
};

/** The fields of the action form, by the action chosen: the form shows these and no others. */
export type ActionField = 'subjectRef' | 'subjectKind' | 'subjectAge' | 'contactWith' | 'complyBy' | 'expiresAt' | 'offence' | 'referral';

export function actionFields(choice: string | undefined): ActionField[] {
  const known = actionChoices.find((c) => c.value === choice);
  if (!known) return [];
  const [detailType, subtype] = known.value.split(':');
  switch (detailType) {
    case 'TeamActionRecorded':
      return ['contactWith', 'subjectRef'];
    case 'WarningIssued':
      return subtype === 'CPW' ? ['subjectRef', 'subjectKind', 'subjectAge', 'complyBy'] : ['subjectRef', 'subjectAge'];
    case 'NoticeServed':
      return subtype === 'CPN' ? ['subjectRef', 'subjectKind', 'subjectAge', 'complyBy'] : ['subjectRef'];
    case 'FixedPenaltyIssued':
      return ['subjectRef', 'offence'];
    case 'CourtOrderObtained':
      return subtype === 's1-injunction' ? ['subjectRef', 'subjectAge', 'expiresAt'] : ['subjectRef', 'expiresAt'];
    case 'ReferralMade':
      return ['referral', 'subjectRef', 'subjectAge'];
    case 'InterviewUnderCautionHeld':
      return ['subjectRef', 'subjectAge'];
    default:
      return ['subjectRef'];
  }
}

/** A GOV.UK date input (`<name>-day`, `-month`, `-year`) as `YYYY-MM-DD`, or what is wrong with it. */
function dateField(fields: FormFields, name: string, label: string, issues: ErrorDetail[]): string | undefined {
  const parts = (['day', 'month', 'year'] as const).map((p) => value(fields, `${name}-${p}`));
  if (parts.every((p) => p === undefined)) return undefined;
  const missing = (['day', 'month', 'year'] as const).filter((_, i) => parts[i] === undefined);
  if (missing.length) {
    issues.push({ path: name, message: `${label} must include a ${missing.join(' and a ')}` });
    return undefined;
  }
  const [day, month, year] = parts.map(Number) as [number, number, number];
  if (!/^\d{4}$/.test(parts[2] ?? '') || !isRealDate(year, month, day)) {
    issues.push({ path: name, message: `${label} must be a real date, like 27 3 2024` });
    return undefined;
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** When it happened: blank is now; a date without a time is noon that day (now, if today). */
function occurredAtField(fields: FormFields, now: Date, issues: ErrorDetail[]): string | undefined {
  const date = dateField(fields, 'occurred', 'the date', issues);
  const timeText = value(fields, 'occurred-time');
  const time = timeText === undefined ? undefined : parseTime(timeText);
  if (timeText !== undefined && !time) issues.push({ path: 'occurredAt', message: 'enter the time as a time of day, like 9:30am or 14:15' });
  if (date === undefined) {
    if (time && !issues.some((i) => i.path === 'occurred')) {
      const [year, month, day] = londonDateOf(now).split('-').map(Number) as [number, number, number];
      return londonToIso({ year, month, day, ...time });
    }
    return undefined;
  }
  if (!time && date === londonDateOf(now)) return undefined;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return londonToIso({ year, month, day, ...(time ?? { hour: 12, minute: 0 }) });
}

/** The case page's action form as the body of POST /cases/{caseId}/actions. */
export function actionFromForm(fields: FormFields, now: Date): { body?: Record<string, unknown>; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const choice = value(fields, 'action');
  const known = actionChoices.find((c) => c.value === choice);
  if (!known) issues.push({ path: 'action', message: 'choose what you did' });
  const complyBy = dateField(fields, 'complyBy', 'the comply-by date', issues);
  const expiresAt = dateField(fields, 'expiresAt', 'the expiry date', issues);
  const occurredAt = occurredAtField(fields, now, issues);
  const ageText = value(fields, 'subjectAge');
  const age = ageText === undefined ? undefined : /^\d{1,3}$/.test(ageText) ? Number(ageText) : Number.NaN;
  if (Number.isNaN(age)) issues.push({ path: 'subjectAge', message: 'enter the age in whole years, like 17' });
  const internal = value(fields, 'internal');
  if (issues.length || !known) return { issues };

  const [detailType, subtype] = known.value.split(':') as [string, string | undefined];
  const body: Record<string, unknown> = { detailType };
  const field = typeField[detailType];
  if (field && subtype) body[field] = subtype;
  const optional: Record<string, unknown> = {
    subjectRef: value(fields, 'subjectRef'),
    subjectKind: value(fields, 'subjectKind'),
    contactWith: detailType === 'TeamActionRecorded' ? value(fields, 'contactWith') : undefined,
    subjectAge: age,
    complyBy,
    expiresAt,
    offence: detailType === 'FixedPenaltyIssued' ? value(fields, 'offence') : undefined,
    service: detailType === 'ReferralMade' ? value(fields, 'service') : undefined,
    internal: detailType === 'ReferralMade' ? (internal === 'yes' ? true : internal === 'no' ? false : undefined) : undefined,
    occurredAt,
    notes: value(fields, 'notes'),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) body[k] = v;
  return { body, issues };
}

/** The page field each API error belongs to (detail paths and rule codes alike). */
export const actionFormFields = {
  action: 'action',
  subjectRef: 'subjectRef',
  subjectKind: 'subjectKind',
  contactWith: 'contactWith',
  subjectAge: 'subjectAge',
  complyBy: 'complyBy-day',
  expiresAt: 'expiresAt-day',
  offence: 'offence',
  service: 'service',
  internal: 'internal',
  occurredAt: 'occurred-day',
  notes: 'notes',
} as const;

const ruleFields: Record<string, keyof typeof actionFormFields> = {
  'cpn-needs-cpw': 'action',
  'cpn-needs-case': 'action',
  'fpn-needs-cpn': 'action',
  'extension-needs-closure-order': 'action',
  'case-closed': 'action',
  'cpn-before-comply-by': 'occurredAt',
  'extension-after-expiry': 'occurredAt',
  'occurred-in-future': 'occurredAt',
  'cpw-recipient-under-16': 'subjectAge',
  'cpn-recipient-under-16': 'subjectAge',
  'injunction-respondent-under-10': 'subjectAge',
  'cpw-comply-by-not-after-issue': 'complyBy',
  'closure-order-over-3-months': 'expiresAt',
  'closure-order-over-6-months': 'expiresAt',
  'extension-not-later': 'expiresAt',
  'order-expiry-not-after-start': 'expiresAt',
  'fpn-no-tariff': 'offence',
  'fpn-amount-not-tariff': 'offence',
  'fpn-above-statutory-maximum': 'offence',
  'fpn-below-statutory-minimum': 'offence',
  'fpn-unknown-tier': 'offence',
  'fpn-early-payment-invalid': 'offence',
  'fpn-before-cpn-comply-by': 'occurredAt',
  'fpn-cpn-quashed': 'action',
  'fpn-requirement-suspended-by-appeal': 'action',
  'cpw-subject-kind-needed': 'subjectKind',
  'cpn-subject-kind-needed': 'subjectKind',
  'cpw-person-age-needed': 'subjectAge',
  'cpn-person-age-needed': 'subjectAge',
  'cpw-body-has-no-age': 'subjectAge',
  'cpn-body-has-no-age': 'subjectAge',
  'cpn-comply-by-before-service': 'complyBy',
};

const detailFields: Record<string, keyof typeof actionFormFields> = {
  detailType: 'action',
  warningType: 'action',
  noticeType: 'action',
  orderType: 'action',
  actionType: 'action',
  amountPence: 'offence',
  occurred: 'occurredAt',
};

/** What to ask for when the contract finds a field missing (its own message names the type, not the field). */
const missing: Record<string, string> = {
  subjectRef: 'enter the person or premises reference',
  complyBy: 'enter the comply-by date',
  expiresAt: 'enter the date the order ends',
  offence: 'choose the offence',
  service: 'enter the service referred to',
  internal: 'say whether it is a council service',
};

/** API error details (or a broken rule) as details on the form's own fields. */
export function onActionForm(error: { code?: string; message: string; details?: readonly ErrorDetail[] }): ErrorDetail[] {
  if (error.details?.length) {
    return error.details.map((d) => ({
      path: detailFields[d.path] ?? d.path,
      message: /received undefined$/.test(d.message) ? (missing[d.path] ?? d.message) : d.message,
    }));
  }
  return [{ path: (error.code && ruleFields[error.code]) ?? 'action', message: error.message }];
}

export const triageFormFields = {
  action: 'action',
  kind: 'kind',
  owner: 'owner',
  category: 'category',
  riskCategory: 'riskCategory',
  referredFrom: 'referredFrom',
  hateRelated: 'hateRelated',
  caseId: 'caseId',
  service: 'service',
  reason: 'reason',
} as const;

/** The triage form as the body of POST /reports/{reportId}/triage (the schema checks it). */
export function triageFromForm(fields: FormFields): unknown {
  const action = value(fields, 'action');
  if (action === 'link') return { action, caseId: value(fields, 'caseId') };
  if (action === 'refer') return { action, service: value(fields, 'service'), ...(value(fields, 'reason') ? { reason: value(fields, 'reason') } : {}) };
  if (action !== 'open-case') return { action };
  const hate = value(fields, 'hateRelated');
  const optional = {
    category: value(fields, 'category'),
    riskCategory: value(fields, 'riskCategory'),
    referredFrom: value(fields, 'referredFrom'),
    hateRelated: hate === 'yes' ? true : hate === 'no' ? false : undefined,
  };
  return { action, kind: value(fields, 'kind'), owner: value(fields, 'owner'), ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
}

const kinds = Object.entries(kindWords).map(([value, text]) => ({ value, text }));
const owners = Object.entries(ownerWords).map(([value, text]) => ({ value, text }));

/** Items for the pages' radios and selects (a select's first item is its blank choice). */
export const choices = {
  kindItems: [{ value: '', text: 'Choose' }, ...kinds],
  owners,
  ownerFilterItems: [{ value: '', text: 'Anyone' }, ...owners],
  risks: riskCategories.map((r) => ({
    value: r,
    text: r,
    hint: {
      text: {
        A: 'Hate-related, violence, threats, drugs',
        B: 'Verbal abuse, harassment, alcohol, noise, criminal behaviour',
        C: 'Vandalism, animals, gardens, fly-tipping, vehicles',
      }[r],
    },
  })),
  referralItems: [{ value: '', text: 'Where the report came from' }, ...referralSources.map((r) => ({ value: r, text: referralWords[r] }))],
  outcomeItems: outcomeChoices,
  actionItems: [{ value: '', text: 'Choose an action' }, ...actionChoices],
  offenceItems: [{ value: '', text: 'Choose an offence' }, ...offenceChoices],
};

export const whenText = londonFormat({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const pounds = (p: number) => `£${(p / 100).toLocaleString('en-GB', { minimumFractionDigits: p % 100 ? 2 : 0 })}`;

const choiceText = actionText;

/** One timeline entry as words: what happened and its particulars. */
export function describe(e: TimelineEntry): { what: string; details: string } {
  const subject = e.subjectRef ? `${String(e.subjectRef)}${e.subjectAge !== undefined ? ` (aged ${String(e.subjectAge)})` : ''}` : undefined;
  const parts: string[] = [];
  let what: string = e.detailType;
  switch (e.detailType) {
    case 'CaseOpened':
      what = 'Case opened';
      parts.push(`${categoryText(String(e.category))}${e.riskCategory ? `, category ${String(e.riskCategory)}` : ''}`, `referred by ${referralText(String(e.referredFrom)).replace(/^A /, 'a ').replace(/^The /, 'the ')}`);
      if (e.hateRelated) parts.push('hate-related');
      break;
    case 'ReportLinked':
      what = 'Report linked';
      parts.push(String(e.reportId));
      break;
    case 'CaseShared':
      what = 'Shared with a partner';
      parts.push(String(e.organisation));
      break;
    case 'CaseClosed':
      what = 'Case closed';
      parts.push(outcomeText(String(e.outcome)));
      break;
    case 'CaseAssigned':
      what = 'Assigned';
      parts.push(`to ${staffName(String(e.assignedTo))}`);
      break;
    case 'FixedPenaltyIssued':
      what = 'Fixed Penalty Notice (FPN)';
      parts.push(`${offenceText(String(e.offence)).replace(/^./, (c) => c.toLowerCase())}, ${pounds(Number(e.amountPence))}`);
      break;
    case 'CourtOrderObtained':
      what = choiceText(e.detailType, e.orderType) ?? what;
      parts.push(`until ${dateText(String(e.expiresAt))}`);
      break;
    case 'ReferralMade':
      what = 'Referral';
      parts.push(`${String(e.service)} (${e.internal ? 'council' : 'outside'} service)`);
      break;
    case 'PatrolLogged':
      what = 'Patrol';
      parts.push(`${String(e.minutes)} minutes`);
      break;
    case 'OperationConducted':
      what = 'Operation';
      parts.push(String(e.operationType).replaceAll('-', ' '));
      break;
    case 'ClosureNoticeServed':
      what = 'Closure notice';
      parts.push(`${String(e.hours)} hours, until ${whenText(String(e.expiresAt))}`, `court hearing due by ${whenText(String(e.hearingDueBy))}`);
      break;
    case 'ClosureNoticeExtended':
      what = 'Closure notice extended';
      parts.push(`to ${String(e.totalHours)} hours in all, until ${whenText(String(e.expiresAt))}`);
      break;
    case 'CpnAppealLodged':
      what = 'CPN appealed';
      parts.push(`appeal made on ${dateText(String(e.lodgedOn))}`);
      break;
    case 'CpnAppealDetermined':
      what = 'CPN appeal decided';
      parts.push(`notice ${String(e.outcome)}`);
      break;
    default:
      what = choiceText(e.detailType, e.warningType ?? e.noticeType ?? e.actionType) ?? what;
  }
  if (e.detailType === 'TeamActionRecorded' && e.contactWith) parts.push(`with the ${String(e.contactWith)}`);
  const about = ['TeamActionRecorded', 'ReferralMade', 'InterviewUnderCautionHeld', 'CaseFileSentToLegal'].includes(e.detailType);
  if (subject) parts.unshift(`${about ? 'about' : 'to'} ${subject}`);
  if (Array.isArray(e.requirements)) parts.push(`requirements: ${(e.requirements as { kind: string; text: string }[]).map((r, i) => `${i + 1}. ${r.text} (${r.kind})`).join(' ')}`);
  if (Array.isArray(e.breachedRequirements)) parts.push(`requirements breached: ${(e.breachedRequirements as number[]).join(', ')}`);
  if (e.complyBy) parts.push(`comply by ${dateText(String(e.complyBy))}`);
  if (e.notes) parts.push(String(e.notes));
  return { what, details: parts.join('; ') };
}

export const timelineRows = (timeline: readonly TimelineEntry[]) =>
  timeline.map((e) => {
    const { what, details } = describe(e);
    return [{ text: whenText(e.occurredAt) }, { text: what }, { text: details }, { text: e.actor.id ? staffName(e.actor.id) : e.actor.kind }];
  });

const firstContactText: Record<string, string> = firstContactWords;
export const firstContactTag = (view: CaseView) =>
  view.firstContact
    ? { text: `${firstContactText[view.firstContact.state]} (by ${dateText(view.firstContact.dueBy)})`, classes: view.firstContact.state === 'overdue' || view.firstContact.state === 'missed' ? 'govuk-tag--red' : view.firstContact.state === 'due' ? 'govuk-tag--yellow' : 'govuk-tag--green' }
    : undefined;

export const caseRows = (cases: readonly CaseView[]) =>
  cases.map((c) => ({
    caseId: c.caseId,
    href: `/officer/cases/${encodeURIComponent(c.caseId)}`,
    category: categoryText(c.category),
    owner: `${ownerText(c.owner)}${c.owner === 'tenancy-services' && c.riskCategory ? ` (${c.riskCategory})` : ''}`,
    assignedTo: staffName(c.assignedTo),
    opened: whenText(c.openedAt),
    status: c.status === 'open' ? 'Open' : 'Closed',
    contact: firstContactTag(c),
  }));

export const reportRows = (reports: readonly ReportView[]) =>
  reports.map((r) => ({
    reportId: r.reportId,
    href: `/officer/triage/${encodeURIComponent(r.reportId)}`,
    reference: r.reference ?? r.reportId,
    received: whenText(r.occurredAt),
    category: categoryText(r.category),
    location: r.location.text ?? r.location.postcode ?? (r.location.lat !== undefined ? `${r.location.lat}, ${r.location.lng}` : ''),
    hate: r.hateMotivated,
    channel: channelText(r.channel),
  }));

/** How long ago, in the largest whole unit: "40 minutes", "5 hours", "3 days". */
export function ageText(from: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / 60_000));
  const [n, unit] = minutes < 60 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.floor(minutes / 60), 'hour'] : [Math.floor(minutes / 1440), 'day'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Every part of a report's location that was given, each as a labelled line. */
export const locationParts = (l: ReportView['location']) => [
  ...(l.text ? [{ key: 'Place', value: l.text }] : []),
  ...(l.postcode ? [{ key: 'Postcode', value: l.postcode }] : []),
  ...(l.lat !== undefined && l.lng !== undefined ? [{ key: 'Map point', value: `${l.lat.toFixed(5)}, ${l.lng.toFixed(5)}` }] : []),
];

/** When a report reached the council (reports stored before that was kept: when it happened). */
export const arrivalOf = (r: Pick<ReportView, 'receivedAt' | 'occurredAt'>) => r.receivedAt ?? r.occurredAt;

/** A report as the triage queue and the case page show it: what, where (every part), how and when it came, its photos. */
export const reportCard = (r: ReportView, photos: readonly { n: number; href: string; alt: string }[], now: Date) => ({
  reportId: r.reportId,
  href: `/officer/triage/${encodeURIComponent(r.reportId)}`,
  reference: r.reference ?? r.reportId,
  category: categoryText(r.category),
  hate: r.hateMotivated,
  channel: channelText(r.channel),
  arrived: whenText(arrivalOf(r)),
  arrivedAt: arrivalOf(r),
  age: ageText(arrivalOf(r), now),
  happened: whenText(r.occurredAt),
  location: locationParts(r.location),
  description: r.description,
  status: r.status,
  caseId: r.caseId,
  photos,
});
