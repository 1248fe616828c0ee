/**
 * The incremental approach and the statutory rules, checked when an action is recorded. Pure:
 * the action and the earlier actions it may depend on in (the case's timeline and, for the
 * subject rules, the subject's actions on any case), a RuleViolationError out when a rule is
 * broken. docs/enforcement.md gives each rule with its legal source.
 *
 * Dates are London dates. Boundaries:
 * - a CPW's complyBy is the last day to comply: a CPN may be served from the day after it;
 * - a CPN appeal may be made on days 1 to 21, day 1 being the day the CPN was issued;
 * - a breach FPN may be issued from the day after the CPN's own comply-by date;
 * - a closure order made on D may run to D + 3 months (corresponding date) inclusive, and with
 *   extensions to D + 6 months inclusive;
 * - ages are whole years: 16 may receive a CPW or CPN, 10 may be the respondent to an injunction.
 */
import type { DetailOf } from '#events/contract';
import type { EnforcementContract, EnforcementDetailType } from '#events/catalog';
import { RuleViolationError } from '#shared/errors';
import { addDays, addMonths, dateText, londonDateOf, londonFormat, type IsoDate } from '#shared/london-time';
import { amountOptions, defaultTariff, outsideBand, statutoryBandOn, type FpnAmountOption, type FpnTariff } from './fpn-tariff.ts';
import { CLOSURE_NOTICE_HOURS, cpnAppealLastDay } from './statutory-time.ts';

/** An enforcement event, discriminated by its detail-type. */
export type RecordedAction = {
  [C in EnforcementContract as C['detailType']]: { readonly detailType: C['detailType']; readonly detail: DetailOf<C> };
}[EnforcementDetailType];

type ActionOf<T extends EnforcementDetailType> = Extract<RecordedAction, { detailType: T }>;

export const MIN_AGE_CPW_CPN = 16;
export const MIN_AGE_INJUNCTION = 10;
export const CLOSURE_ORDER_MAX_MONTHS = 3;
export const CLOSURE_ORDER_TOTAL_MAX_MONTHS = 6;

export interface LadderContext {
  /**
   * The earlier enforcement events the rules may read (any order, duplicates allowed): the
   * case's timeline and the subject's actions on every case. Empty for an action without either.
   */
  readonly history: readonly RecordedAction[];
  readonly tariff?: FpnTariff;
}

const dateOf = (a: RecordedAction) => londonDateOf(a.detail.occurredAt);
const instant = (a: RecordedAction) => new Date(a.detail.occurredAt).getTime();
const pounds = (p: number) => `£${(p / 100).toLocaleString('en-GB', { minimumFractionDigits: p % 100 ? 2 : 0 })}`;
const timeText = londonFormat({ day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Earlier actions of one detail-type, oldest first, each once. */
function earlier<T extends EnforcementDetailType>(ctx: LadderContext, action: RecordedAction, type: T): ActionOf<T>[] {
  const seen = new Set<string>();
  return ctx.history
    .filter((h): h is ActionOf<T> => h.detailType === type && h.detail.eventId !== action.detail.eventId && instant(h) < instant(action))
    .filter((h) => !seen.has(h.detail.eventId) && Boolean(seen.add(h.detail.eventId)))
    .sort((a, b) => instant(a) - instant(b));
}

function checkAge(age: number | undefined, min: number, rule: string, what: string) {
  if (age !== undefined && age < min) {
    throw new RuleViolationError(rule, `${what} must be ${min} or over; the age recorded is ${age}.`);
  }
}

/**
 * A CPW or CPN goes to an individual aged 16 or over, or to a body (ASBCPA 2014 s.43(1)): a
 * person needs their age (or date of birth) recorded, a body has none. A subject with an age
 * and no kind is taken to be a person.
 */
function checkSubject(d: { subjectRef: string; subjectKind?: 'person' | 'body' | undefined; subjectAge?: number | undefined }, prefix: 'cpw' | 'cpn', what: string) {
  const kind = d.subjectKind ?? (d.subjectAge !== undefined ? 'person' : undefined);
  if (kind === undefined) {
    throw new RuleViolationError(
      `${prefix}-subject-kind-needed`,
      `Say whether ${d.subjectRef} is a person (give their age or date of birth) or a body such as a business or the premises' owner (subjectKind "person" or "body").`,
    );
  }
  if (kind === 'body') {
    if (d.subjectAge !== undefined) throw new RuleViolationError(`${prefix}-body-has-no-age`, `${d.subjectRef} is recorded as a body; a body has no age, so leave the age out.`);
    return;
  }
  if (d.subjectAge === undefined) {
    throw new RuleViolationError(`${prefix}-person-age-needed`, `${what} can be given to a person aged 16 or over only: record ${d.subjectRef}'s age or date of birth.`);
  }
  checkAge(d.subjectAge, MIN_AGE_CPW_CPN, `${prefix}-recipient-under-16`, what);
}

function checkWarning(action: ActionOf<'WarningIssued'>) {
  const d = action.detail;
  if (d.warningType !== 'CPW') return;
  checkSubject(d, 'cpw', 'The person given a Community Protection Warning');
  const issued = dateOf(action);
  if (d.complyBy !== undefined && d.complyBy <= issued) {
    throw new RuleViolationError(
      'cpw-comply-by-not-after-issue',
      `A Community Protection Warning must give time to comply: the comply-by date (${dateText(d.complyBy)}) must be after the day it is given (${dateText(issued)}).`,
    );
  }
}

function checkNotice(action: ActionOf<'NoticeServed'>, ctx: LadderContext) {
  const d = action.detail;
  if (d.noticeType !== 'CPN') return;
  checkSubject(d, 'cpn', 'The person served a Community Protection Notice');
  if (d.caseId === undefined) {
    throw new RuleViolationError('cpn-needs-case', 'A Community Protection Notice is recorded on a case, after a Community Protection Warning to the same person or body.');
  }
  const served = dateOf(action);
  if (d.complyBy !== undefined && d.complyBy < served) {
    throw new RuleViolationError('cpn-comply-by-before-service', `The CPN's comply-by date (${dateText(d.complyBy)}) is before the day it is served (${dateText(served)}).`);
  }
  // The warning need not be on this case: any earlier CPW to the same subject (s.43(5)).
  const warnings = earlier(ctx, action, 'WarningIssued').filter((w) => w.detail.warningType === 'CPW' && w.detail.subjectRef === d.subjectRef);
  if (warnings.length === 0) {
    throw new RuleViolationError(
      'cpn-needs-cpw',
      `A Community Protection Notice needs an earlier Community Protection Warning to the same person or body (${d.subjectRef}), on this case or another, and none was found. Issue a CPW first and give them time to comply.`,
    );
  }
  if (!warnings.some((w) => w.detail.complyBy !== undefined && w.detail.complyBy < served)) {
    const latestComplyBy = warnings.map((w) => w.detail.complyBy ?? '').sort().at(-1) ?? '';
    throw new RuleViolationError(
      'cpn-before-comply-by',
      `The Community Protection Warning to ${d.subjectRef} gives until ${dateText(latestComplyBy)} to comply; a CPN can be served from the day after (${dateText(addDays(latestComplyBy, 1))}).`,
    );
  }
}

/** The CPN an appeal or penalty refers to, from the earlier actions. */
function findCpn(ctx: LadderContext, action: RecordedAction, noticeEventId: string): ActionOf<'NoticeServed'> | undefined {
  return earlier(ctx, action, 'NoticeServed').find((n) => n.detail.eventId === noticeEventId && n.detail.noticeType === 'CPN');
}

interface AppealState {
  /** The appeal lodged and not yet determined or withdrawn before the moment asked about. */
  readonly inProgress?: ActionOf<'CpnAppealLodged'>;
  /** The latest determination before that moment. */
  readonly determined?: ActionOf<'CpnAppealDetermined'>;
}

/** Where the appeals against one CPN stood just before `action` (an appeal is in progress from the day it is lodged). */
function appealState(ctx: LadderContext, action: RecordedAction, noticeEventId: string, on: IsoDate): AppealState {
  const appeals = earlier(ctx, action, 'CpnAppealLodged').filter((a) => a.detail.noticeEventId === noticeEventId && a.detail.lodgedOn <= on);
  const determinations = earlier(ctx, action, 'CpnAppealDetermined').filter((a) => a.detail.noticeEventId === noticeEventId);
  const determined = determinations.at(-1);
  const latestAppeal = appeals.at(-1);
  const open = latestAppeal && !determinations.some((x) => instant(x) > instant(latestAppeal)) ? latestAppeal : undefined;
  return { ...(open ? { inProgress: open } : {}), ...(determined ? { determined } : {}) };
}

function checkAppealLodged(action: ActionOf<'CpnAppealLodged'>, ctx: LadderContext) {
  const d = action.detail;
  const cpn = findCpn(ctx, action, d.noticeEventId);
  if (!cpn || cpn.detail.subjectRef !== d.subjectRef) {
    throw new RuleViolationError('appeal-needs-cpn', `No earlier Community Protection Notice ${d.noticeEventId} to ${d.subjectRef} was found; an appeal is against a CPN served on the appellant.`);
  }
  const issued = dateOf(cpn);
  if (d.lodgedOn < issued) {
    throw new RuleViolationError('appeal-before-cpn', `The appeal is dated ${dateText(d.lodgedOn)}, before the CPN was issued on ${dateText(issued)}.`);
  }
  if (d.lodgedOn > dateOf(action)) {
    throw new RuleViolationError('appeal-lodged-in-future', `Record the appeal once it has been made: it is dated ${dateText(d.lodgedOn)}, after today (${dateText(dateOf(action))}).`);
  }
  const lastDay = cpnAppealLastDay(issued);
  if (d.lodgedOn > lastDay) {
    throw new RuleViolationError(
      'cpn-appeal-out-of-time',
      `A CPN can be appealed within 21 days beginning with the day it was issued (ASBCPA 2014 s.46(2)): the CPN issued on ${dateText(issued)} could be appealed until ${dateText(lastDay)}, not ${dateText(d.lodgedOn)}.`,
    );
  }
  if (appealState(ctx, action, d.noticeEventId, d.lodgedOn).inProgress) {
    throw new RuleViolationError('cpn-appeal-already-lodged', `An appeal against CPN ${d.noticeEventId} is already in progress; record its outcome first.`);
  }
}

function checkAppealDetermined(action: ActionOf<'CpnAppealDetermined'>, ctx: LadderContext) {
  const d = action.detail;
  const state = appealState(ctx, action, d.noticeEventId, dateOf(action));
  if (!state.inProgress || state.inProgress.detail.subjectRef !== d.subjectRef) {
    throw new RuleViolationError('appeal-outcome-needs-appeal', `No appeal against CPN ${d.noticeEventId} by ${d.subjectRef} is in progress; record the appeal (CpnAppealLodged) first.`);
  }
  if (d.complyBy !== undefined && d.outcome !== 'modified') {
    throw new RuleViolationError('appeal-comply-by-only-when-modified', 'A new comply-by date is recorded only when the court modified the notice.');
  }
}

const close = (options: readonly FpnAmountOption[]) => options.map((o) => `${pounds(o.amountPence)} (${o.tier ?? o.label})`).join(', ');

/** The amount option an FPN carries, checked against the council's tariff and the statutory band on its date. */
export function fpnAmountFor(offence: string, on: IsoDate, choice: { tier?: string | undefined; amountPence?: number | undefined }, tariff: FpnTariff = defaultTariff): FpnAmountOption {
  const band = statutoryBandOn(tariff, offence, on);
  const options = amountOptions(tariff, offence, on);
  if (!band || options.length === 0) {
    throw new RuleViolationError('fpn-no-tariff', `There is no fixed penalty amount for the offence "${offence}" on ${dateText(on)}; check the offence.`);
  }
  let chosen: FpnAmountOption | undefined;
  if (choice.tier !== undefined) {
    chosen = options.find((o) => o.tier === choice.tier);
    if (!chosen) throw new RuleViolationError('fpn-unknown-tier', `The tariff for "${offence}" on ${dateText(on)} has no tier "${choice.tier}"; it has ${close(options)}.`);
    if (choice.amountPence !== undefined && choice.amountPence !== chosen.amountPence) {
      throw new RuleViolationError('fpn-amount-not-tariff', `The "${choice.tier}" tier for "${offence}" on ${dateText(on)} is ${pounds(chosen.amountPence)}; record ${chosen.amountPence} pence, or leave the amount out.`);
    }
  } else if (choice.amountPence === undefined) {
    chosen = options[0];
  } else {
    chosen = options.find((o) => o.amountPence === choice.amountPence);
    if (!chosen) {
      const first = options[0] as FpnAmountOption;
      throw new RuleViolationError(
        'fpn-amount-not-tariff',
        `The fixed penalty for "${offence}" on ${dateText(on)} is ${pounds(first.amountPence)}${first.earlyPaymentPence !== undefined ? ` (${pounds(first.earlyPaymentPence)} if paid early)` : ''}; the amounts the council has set are ${close(options)}. Record one of them, or leave the amount out.`,
      );
    }
  }
  const amount = chosen as FpnAmountOption;
  const problem = outsideBand(band, amount);
  if (problem === 'above-maximum' || problem === 'below-minimum') {
    const limit = problem === 'above-maximum' ? `above the statutory maximum (${pounds(band.maxPence)})` : `below the statutory minimum (${pounds(band.minPence ?? 0)})`;
    throw new RuleViolationError(
      problem === 'above-maximum' ? 'fpn-above-statutory-maximum' : 'fpn-below-statutory-minimum',
      `The tariff amount for "${offence}" (${pounds(amount.amountPence)}) is ${limit} on ${dateText(on)} under ${band.authority}; the tariff needs correcting.`,
    );
  }
  if (problem) {
    throw new RuleViolationError('fpn-early-payment-invalid', `The tariff's early-payment amount for "${offence}" on ${dateText(on)} is not allowed (${problem}); the tariff needs correcting.`);
  }
  return amount;
}

const kindWords = { stop: 'stop doing things', do: 'do things', 'take-steps': 'take reasonable steps' } as const;

function checkCpnBreach(action: ActionOf<'FixedPenaltyIssued'>, ctx: LadderContext) {
  const d = action.detail;
  const on = dateOf(action);
  const notices = earlier(ctx, action, 'NoticeServed').filter((n) => n.detail.noticeType === 'CPN' && n.detail.subjectRef === d.subjectRef);
  const cpn = d.noticeEventId !== undefined ? notices.find((n) => n.detail.eventId === d.noticeEventId) : notices.at(-1);
  if (!cpn) {
    throw new RuleViolationError(
      'fpn-needs-cpn',
      `A fixed penalty for breaching a CPN needs an earlier Community Protection Notice to ${d.subjectRef}${d.noticeEventId ? ` (${d.noticeEventId})` : ''}, and none was found.`,
    );
  }
  const state = appealState(ctx, action, cpn.detail.eventId, on);
  if (!state.inProgress && state.determined?.detail.outcome === 'quashed') {
    throw new RuleViolationError('fpn-cpn-quashed', `The magistrates' court quashed the CPN on ${dateText(dateOf(state.determined))}; it can no longer be breached.`);
  }
  const modified = earlier(ctx, action, 'CpnAppealDetermined').filter((x) => x.detail.noticeEventId === cpn.detail.eventId && x.detail.complyBy !== undefined).at(-1);
  const complyBy = modified?.detail.complyBy ?? cpn.detail.complyBy ?? dateOf(cpn);
  if (on <= complyBy) {
    throw new RuleViolationError(
      'fpn-before-cpn-comply-by',
      `The CPN to ${d.subjectRef} gives until ${dateText(complyBy)} to comply${modified ? ' (as modified on appeal)' : ''}; a fixed penalty for breaching it can be issued from ${dateText(addDays(complyBy, 1))}.`,
    );
  }
  const requirements = cpn.detail.requirements;
  for (const n of d.breachedRequirements ?? []) {
    if (!requirements || n > requirements.length) {
      throw new RuleViolationError('fpn-unknown-requirement', `The CPN has no requirement ${n}${requirements ? `; it has ${requirements.length}` : ' recorded'}.`);
    }
  }
  if (!state.inProgress) return;
  // While an appeal is in progress only a requirement to stop doing things has effect (s.46(3)).
  const lodged = dateText(state.inProgress.detail.lodgedOn);
  if (!requirements) {
    throw new RuleViolationError(
      'fpn-requirement-suspended-by-appeal',
      `An appeal against the CPN has been in progress since ${lodged}: only its requirements to stop doing things have effect, and the CPN does not record its requirements, so a breach cannot be shown.`,
    );
  }
  const breached = d.breachedRequirements ?? requirements.map((_, i) => i + 1);
  const suspended = breached.filter((n) => requirements[n - 1]?.kind !== 'stop');
  if (suspended.length > 0) {
    const list = suspended.map((n) => `${n} (to ${kindWords[requirements[n - 1]?.kind ?? 'do']})`).join(', ');
    throw new RuleViolationError(
      'fpn-requirement-suspended-by-appeal',
      `An appeal against the CPN has been in progress since ${lodged}, so requirement${suspended.length > 1 ? 's' : ''} ${list} ha${suspended.length > 1 ? 've' : 's'} no effect until it is decided (ASBCPA 2014 s.46(3)); only a requirement to stop doing things can be breached.`,
    );
  }
}

function checkFixedPenalty(action: ActionOf<'FixedPenaltyIssued'>, ctx: LadderContext) {
  const d = action.detail;
  fpnAmountFor(d.offence, dateOf(action), { tier: d.tier, amountPence: d.amountPence }, ctx.tariff ?? defaultTariff);
  if (d.offence === 'cpn-breach') checkCpnBreach(action, ctx);
  else if (d.noticeEventId !== undefined || d.breachedRequirements !== undefined) {
    throw new RuleViolationError('fpn-notice-only-for-cpn-breach', 'The CPN breached and its requirements are recorded only on a fixed penalty for breaching a CPN.');
  }
}

function checkClosureNotice(action: ActionOf<'ClosureNoticeServed'>) {
  const d = action.detail;
  if (d.hours > CLOSURE_NOTICE_HOURS && d.authorisedBy === undefined) {
    throw new RuleViolationError(
      'closure-notice-over-24-hours-needs-authorisation',
      `A closure notice lasts at most 24 hours unless it is signed by the chief executive or a person they designated (ASBCPA 2014 s.77(2)); record who signed it (authorisedBy) or give 24 hours or less.`,
    );
  }
}

function checkClosureExtension(action: ActionOf<'ClosureNoticeExtended'>, ctx: LadderContext) {
  const d = action.detail;
  const notice = earlier(ctx, action, 'ClosureNoticeServed').find((n) => n.detail.eventId === d.closureNoticeEventId);
  if (!notice || notice.detail.subjectRef !== d.subjectRef) {
    throw new RuleViolationError('closure-extension-needs-notice', `No earlier closure notice ${d.closureNoticeEventId} on ${d.subjectRef} was found.`);
  }
  const extensions = earlier(ctx, action, 'ClosureNoticeExtended').filter((x) => x.detail.closureNoticeEventId === d.closureNoticeEventId);
  const current = extensions.at(-1)?.detail ?? { totalHours: notice.detail.hours, expiresAt: notice.detail.expiresAt };
  if (instant(action) >= new Date(current.expiresAt).getTime()) {
    throw new RuleViolationError('closure-extension-after-expiry', `The closure notice ended at ${timeText(current.expiresAt)}; an extension must be made while it has effect.`);
  }
  if (d.totalHours <= current.totalHours) {
    throw new RuleViolationError('closure-extension-not-longer', `The closure notice already has effect for ${current.totalHours} hours; an extension must make it longer (at most 48 hours in all).`);
  }
  if (d.authorisedBy === undefined) {
    throw new RuleViolationError(
      'closure-extension-needs-authorisation',
      'A closure notice is extended beyond 24 hours only by a notice signed by the chief executive or a person they designated (ASBCPA 2014 s.77(2), (4)); record who signed it (authorisedBy).',
    );
  }
}

function checkCourtOrder(action: ActionOf<'CourtOrderObtained'>, ctx: LadderContext) {
  const d = action.detail;
  const made = dateOf(action);
  if (d.expiresAt <= made) {
    throw new RuleViolationError('order-expiry-not-after-start', `The order's expiry date (${dateText(d.expiresAt)}) must be after the day it was made (${dateText(made)}).`);
  }
  if (d.orderType === 's1-injunction') {
    checkAge(d.subjectAge, MIN_AGE_INJUNCTION, 'injunction-respondent-under-10', 'The respondent to a section 1 injunction');
    return;
  }
  if (d.orderType === 'closure-order') {
    const limit = addMonths(made, CLOSURE_ORDER_MAX_MONTHS);
    if (d.expiresAt > limit) {
      throw new RuleViolationError(
        'closure-order-over-3-months',
        `A closure order lasts at most 3 months: one made on ${dateText(made)} can run to ${dateText(limit)} at the latest, not ${dateText(d.expiresAt)}. Apply for an extension later if needed.`,
      );
    }
    return;
  }
  // An extension of the latest earlier closure order on the same premises.
  const orders = earlier(ctx, action, 'CourtOrderObtained').filter(
    (o) => o.detail.orderType !== 's1-injunction' && (d.subjectRef === undefined || o.detail.subjectRef === undefined || o.detail.subjectRef === d.subjectRef),
  );
  const original = orders.filter((o) => o.detail.orderType === 'closure-order').at(-1);
  if (!original) {
    throw new RuleViolationError('extension-needs-closure-order', 'An extension needs an earlier closure order on this case for the same premises, and none was found.');
  }
  const currentExpiry = orders
    .filter((o) => instant(o) >= instant(original))
    .map((o) => o.detail.expiresAt)
    .sort()
    .at(-1) as IsoDate;
  if (made > currentExpiry) {
    throw new RuleViolationError('extension-after-expiry', `The closure order ended on ${dateText(currentExpiry)}; an extension must be made before it ends.`);
  }
  if (d.expiresAt <= currentExpiry) {
    throw new RuleViolationError('extension-not-later', `An extension must end after the current expiry date (${dateText(currentExpiry)}).`);
  }
  const limit = addMonths(dateOf(original), CLOSURE_ORDER_TOTAL_MAX_MONTHS);
  if (d.expiresAt > limit) {
    throw new RuleViolationError(
      'closure-order-over-6-months',
      `With extensions a closure order lasts at most 6 months in all: the order made on ${dateText(dateOf(original))} can be extended to ${dateText(limit)} at the latest, not ${dateText(d.expiresAt)}.`,
    );
  }
}

/** Throws a RuleViolationError naming the first rule the action breaks; returns if it breaks none. */
export function checkLadder(action: RecordedAction, ctx: LadderContext): void {
  switch (action.detailType) {
    case 'WarningIssued':
      return checkWarning(action);
    case 'NoticeServed':
      return checkNotice(action, ctx);
    case 'CourtOrderObtained':
      return checkCourtOrder(action, ctx);
    case 'FixedPenaltyIssued':
      return checkFixedPenalty(action, ctx);
    case 'CpnAppealLodged':
      return checkAppealLodged(action, ctx);
    case 'CpnAppealDetermined':
      return checkAppealDetermined(action, ctx);
    case 'ClosureNoticeServed':
      return checkClosureNotice(action);
    case 'ClosureNoticeExtended':
      return checkClosureExtension(action, ctx);
    default:
      return;
  }
}
