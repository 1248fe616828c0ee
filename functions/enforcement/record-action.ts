import { enforcementContractFor, officerActionContracts } from '#events/catalog';
import { ENFORCEMENT_SOURCE } from '#events/enforcement';
import type { PublishEntry } from '#events/put';
import type { Principal } from '#shared/auth';
import { detailsFromZod, NotFoundError, RuleViolationError, ValidationError } from '#shared/errors';
import { isIsoDate, londonDateOf } from '#shared/london-time';
import { canWorkOnCase, type CaseView, type TimelineEntry } from '../cases/case-model.ts';
import { defaultTariff, type FpnTariff } from './fpn-tariff.ts';
import { checkLadder, fpnAmountFor, type RecordedAction } from './ladder.ts';
import { ageOn, closureHearingDueBy, closureNoticeEnds } from './statutory-time.ts';

/** Fields the service sets on every event; a caller may not choose them. */
const ENVELOPE_FIELDS = ['eventId', 'schemaVersion', 'actor'] as const;
/** Fields the service computes from the rules; a caller may not set them. */
export const computedFields: Readonly<Record<string, readonly string[]>> = {
  ClosureNoticeServed: ['expiresAt', 'hearingDueBy'],
  ClosureNoticeExtended: ['expiresAt'],
};
/** Actions whose rules read the subject's actions on other cases (the subject index). */
const SUBJECT_RULES: ReadonlySet<string> = new Set(['NoticeServed', 'FixedPenaltyIssued', 'CpnAppealLodged', 'CpnAppealDetermined', 'ClosureNoticeExtended']);
/** Clocks drift: an occurredAt up to this far ahead is taken as now-ish, further is refused. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface CaseForAction {
  view?: CaseView;
  timeline: readonly TimelineEntry[];
}

export interface RecordDeps {
  loadCase: (caseId: string) => Promise<CaseForAction>;
  /** The subject's enforcement actions on every case (the subject index), oldest first. */
  subjectActions?: (subjectRef: string) => Promise<readonly TimelineEntry[]>;
  publish: (entry: PublishEntry) => Promise<void>;
  newId: () => string;
  now?: () => Date;
  tariff?: FpnTariff;
}

export interface RecordResult {
  eventId: string;
  detailType: string;
  occurredAt: string;
  /** For a fixed penalty: the amount recorded and the early-payment amount, from the tariff. */
  amountPence?: number;
  earlyPaymentPence?: number;
  /** For a closure notice: when it ends and when the court must hear the closure order application. */
  expiresAt?: string;
  hearingDueBy?: string;
}

/** The case's enforcement events as the ladder rules read them. */
export function historyOf(timeline: readonly TimelineEntry[]): RecordedAction[] {
  return timeline.flatMap((entry) => {
    if (entry.source !== ENFORCEMENT_SOURCE) return [];
    const contract = enforcementContractFor(entry.detailType);
    if (!contract) return [];
    const { source: _s, detailType: _d, ...detail } = entry;
    const parsed = contract.detail.safeParse({ ...detail, schemaVersion: contract.version });
    return parsed.success ? [{ detailType: contract.detailType, detail: parsed.data } as RecordedAction] : [];
  });
}

const invalid = (path: string, message: string) => new ValidationError('the action could not be recorded: correct the fields listed', [{ path, message }]);

/**
 * An officer records an action (JSON `{ detailType, ...fields }`):
 * 1. the body becomes an event detail: the service sets eventId, actor and schemaVersion,
 *    occurredAt defaults to now, officerId to the caller, caseId comes from the path;
 * 2. a date of birth becomes the age on the day of the action (the date itself is not kept);
 *    a fixed penalty without an amount takes the tariff's amount (or its tier's) on that date;
 * 3. on a case: the case must be one the caller works on, and open; its timeline is read once;
 *    for the subject rules, the subject's actions on every case are read from the subject index;
 * 4. the service works out what the rules fix (a closure notice's end and hearing deadline);
 * 5. the detail is checked against the event's contract, then the rules against the earlier actions;
 * 6. the event is put.
 */
export async function recordAction(input: { body: unknown; caseId?: string; principal: Principal }, deps: RecordDeps): Promise<RecordResult> {
  const { body, caseId, principal } = input;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('(body)', 'send a JSON object: { "detailType": …, …fields }');
  const { detailType, ...fields } = body as Record<string, unknown>;
  const contract = typeof detailType === 'string' ? enforcementContractFor(detailType) : undefined;
  if (!contract) {
    throw invalid('detailType', `detailType must be one of ${officerActionContracts.map((c) => c.detailType).join(', ')}`);
  }
  for (const field of ENVELOPE_FIELDS) if (field in fields) throw invalid(field, `${field} is set by the service; leave it out`);
  if (caseId === undefined && fields.caseId !== undefined) throw invalid('caseId', 'record an action on a case with POST /cases/{caseId}/actions');
  if (caseId !== undefined && fields.caseId !== undefined && fields.caseId !== caseId) throw invalid('caseId', `the case in the body (${String(fields.caseId)}) is not the case in the path (${caseId})`);
  // The officer is whoever is signed in: an action is recorded by the officer who took it.
  if (fields.officerId !== undefined && fields.officerId !== principal.subject) throw invalid('officerId', 'officerId is the signed-in officer; leave it out, or have the officer who took the action record it');

  for (const field of computedFields[contract.detailType] ?? []) if (field in fields) throw invalid(field, `${field} is worked out by the service from the rules; leave it out`);

  const now = (deps.now ?? (() => new Date()))();
  const tariff = deps.tariff ?? defaultTariff;
  const occurredAt = fields.occurredAt ?? now.toISOString();
  const when = typeof occurredAt === 'string' ? new Date(occurredAt) : undefined;
  const validWhen = when && !Number.isNaN(when.getTime()) ? when : undefined;
  const { subjectDateOfBirth, ...rest } = fields;
  const candidate: Record<string, unknown> = {
    ...rest,
    eventId: deps.newId(),
    occurredAt,
    schemaVersion: contract.version,
    actor: { kind: 'officer', id: principal.subject },
    officerId: principal.subject,
    ...(caseId !== undefined ? { caseId } : {}),
  };
  // A date of birth is turned into the age on the day of the action and not stored.
  if (subjectDateOfBirth !== undefined) {
    if (typeof subjectDateOfBirth !== 'string' || !isIsoDate(subjectDateOfBirth)) throw invalid('subjectDateOfBirth', 'give the date of birth as YYYY-MM-DD');
    if (validWhen) {
      const age = ageOn(subjectDateOfBirth, londonDateOf(validWhen));
      if (age < 0) throw invalid('subjectDateOfBirth', 'the date of birth is after the action');
      if (candidate.subjectAge !== undefined && candidate.subjectAge !== age) throw invalid('subjectAge', `the age (${String(candidate.subjectAge)}) does not match the date of birth (${age} on the day of the action)`);
      candidate.subjectAge = age;
    }
  }
  if (contract.detailType === 'FixedPenaltyIssued' && candidate.amountPence === undefined && typeof candidate.offence === 'string' && validWhen) {
    const tier = typeof candidate.tier === 'string' ? candidate.tier : undefined;
    candidate.amountPence = fpnAmountFor(candidate.offence, londonDateOf(validWhen), { tier }, tariff).amountPence;
  }
  if (validWhen && validWhen.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new RuleViolationError('occurred-in-future', 'An action can be recorded once it has happened: occurredAt is in the future.');
  }

  let history: RecordedAction[] = [];
  if (caseId !== undefined) {
    const stored = await deps.loadCase(caseId);
    if (!stored.view || !canWorkOnCase(principal, stored.view)) throw new NotFoundError(`there is no case ${caseId}`);
    if (stored.view.status !== 'open') throw new RuleViolationError('case-closed', `Case ${caseId} is closed; actions are recorded on open cases.`);
    history = historyOf(stored.timeline);
  }
  if (SUBJECT_RULES.has(contract.detailType) && typeof candidate.subjectRef === 'string' && deps.subjectActions) {
    history = [...history, ...historyOf(await deps.subjectActions(candidate.subjectRef))];
  }
  if (validWhen && contract.detailType === 'ClosureNoticeServed' && typeof candidate.hours === 'number') {
    candidate.expiresAt = closureNoticeEnds(validWhen, candidate.hours).toISOString();
    candidate.hearingDueBy = closureHearingDueBy(validWhen).toISOString();
  }
  if (contract.detailType === 'ClosureNoticeExtended' && typeof candidate.totalHours === 'number') {
    const notice = history.find((h) => h.detailType === 'ClosureNoticeServed' && h.detail.eventId === candidate.closureNoticeEventId);
    // Without the notice the rules refuse the extension; a placeholder lets the contract name other faults first.
    candidate.expiresAt = notice ? closureNoticeEnds(notice.detail.occurredAt, candidate.totalHours).toISOString() : new Date(0).toISOString();
  }

  const parsed = contract.detail.safeParse(candidate);
  if (!parsed.success) throw new ValidationError('the action could not be recorded: correct the fields listed', detailsFromZod(parsed.error.issues));
  const action = { detailType: contract.detailType, detail: parsed.data } as RecordedAction;
  checkLadder(action, { history, tariff });

  await deps.publish({ contract, detail: parsed.data } as PublishEntry);
  const result: RecordResult = { eventId: action.detail.eventId, detailType: action.detailType, occurredAt: action.detail.occurredAt };
  if (action.detailType === 'FixedPenaltyIssued') {
    const d = action.detail;
    const option = fpnAmountFor(d.offence, londonDateOf(d.occurredAt), { tier: d.tier, amountPence: d.amountPence }, tariff);
    return { ...result, amountPence: d.amountPence, ...(option.earlyPaymentPence !== undefined ? { earlyPaymentPence: option.earlyPaymentPence } : {}) };
  }
  if (action.detailType === 'ClosureNoticeServed') return { ...result, expiresAt: action.detail.expiresAt, hearingDueBy: action.detail.hearingDueBy };
  if (action.detailType === 'ClosureNoticeExtended') return { ...result, expiresAt: action.detail.expiresAt };
  return result;
}
