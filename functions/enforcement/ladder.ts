/**
 * The incremental approach, as rules checked when an action is recorded. Pure: the action and
 * the case's earlier actions in, a RuleViolationError out when a rule is broken.
 *
 * Dates are London dates. Boundaries (docs/cases.md):
 * - a CPW's complyBy is the last day to comply: a CPN may be served from the day after it;
 * - a closure order made on D may run to D + 3 months (corresponding date) inclusive, and with
 *   extensions to D + 6 months inclusive;
 * - ages are whole years: 16 may receive a CPW or CPN, 10 may be the respondent to an injunction.
 */
import type { DetailOf } from '#events/contract';
import type { EnforcementContract, EnforcementDetailType } from '#events/catalog';
import { RuleViolationError } from '#shared/errors';
import { addDays, addMonths, dateText, londonDateOf, type IsoDate } from '#shared/london-time';
import { defaultTariff, statutoryMaximumOn, tariffOn, type FpnTariff } from './fpn-tariff.ts';

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
  /** The case's earlier enforcement events (any order); empty for an action without a case. */
  readonly history: readonly RecordedAction[];
  readonly tariff?: FpnTariff;
}

const dateOf = (a: RecordedAction) => londonDateOf(a.detail.occurredAt);
const instant = (a: RecordedAction) => new Date(a.detail.occurredAt).getTime();
const pounds = (p: number) => `£${(p / 100).toLocaleString('en-GB', { minimumFractionDigits: p % 100 ? 2 : 0 })}`;

/** Earlier actions of one detail-type, oldest first. */
function earlier<T extends EnforcementDetailType>(ctx: LadderContext, action: RecordedAction, type: T): ActionOf<T>[] {
  return ctx.history
    .filter((h): h is ActionOf<T> => h.detailType === type && h.detail.eventId !== action.detail.eventId && instant(h) < instant(action))
    .sort((a, b) => instant(a) - instant(b));
}

function checkAge(age: number | undefined, min: number, rule: string, what: string) {
  if (age !== undefined && age < min) {
    throw new RuleViolationError(rule, `${what} must be ${min} or over; the age recorded is ${age}.`);
  }
}

function checkWarning(action: ActionOf<'WarningIssued'>) {
  const d = action.detail;
  if (d.warningType !== 'CPW') return;
  checkAge(d.subjectAge, MIN_AGE_CPW_CPN, 'cpw-recipient-under-16', 'The person given a Community Protection Warning');
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
  checkAge(d.subjectAge, MIN_AGE_CPW_CPN, 'cpn-recipient-under-16', 'The person served a Community Protection Notice');
  if (d.caseId === undefined) {
    throw new RuleViolationError('cpn-needs-case', 'A Community Protection Notice is recorded on a case, after a Community Protection Warning on that case.');
  }
  const served = dateOf(action);
  const warnings = earlier(ctx, action, 'WarningIssued').filter((w) => w.detail.warningType === 'CPW' && w.detail.subjectRef === d.subjectRef);
  if (warnings.length === 0) {
    throw new RuleViolationError(
      'cpn-needs-cpw',
      `A Community Protection Notice needs an earlier Community Protection Warning to the same person (${d.subjectRef}) on this case, and none was found. Issue a CPW first and give them time to comply.`,
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

/** The amount a fixed penalty for an offence on a date must carry, or a rule error saying why there is none. */
export function fpnAmount(offence: string, on: IsoDate, tariff: FpnTariff = defaultTariff) {
  const entry = tariffOn(tariff, offence, on);
  if (!entry) {
    throw new RuleViolationError('fpn-no-tariff', `There is no fixed penalty amount for the offence "${offence}" on ${dateText(on)}; check the offence.`);
  }
  const maximum = statutoryMaximumOn(tariff, offence, on);
  if (!maximum || entry.amountPence > maximum.maxPence || entry.earlyPaymentPence > entry.amountPence) {
    throw new RuleViolationError(
      'fpn-above-statutory-maximum',
      `The tariff amount for "${offence}" (${pounds(entry.amountPence)}) is above the statutory maximum on ${dateText(on)}${maximum ? ` (${pounds(maximum.maxPence)})` : ''}; the tariff needs correcting.`,
    );
  }
  return entry;
}

function checkFixedPenalty(action: ActionOf<'FixedPenaltyIssued'>, ctx: LadderContext) {
  const d = action.detail;
  const on = dateOf(action);
  const entry = fpnAmount(d.offence, on, ctx.tariff ?? defaultTariff);
  if (d.amountPence !== entry.amountPence) {
    throw new RuleViolationError(
      'fpn-amount-not-tariff',
      `The fixed penalty for "${d.offence}" on ${dateText(on)} is ${pounds(entry.amountPence)} (${pounds(entry.earlyPaymentPence)} if paid early); record ${entry.amountPence} pence, or leave the amount out.`,
    );
  }
  if (d.offence === 'cpn-breach') {
    const notices = earlier(ctx, action, 'NoticeServed').filter((n) => n.detail.noticeType === 'CPN' && n.detail.subjectRef === d.subjectRef);
    if (d.caseId === undefined || notices.length === 0) {
      throw new RuleViolationError('fpn-needs-cpn', `A fixed penalty for breaching a CPN needs an earlier Community Protection Notice to ${d.subjectRef} on this case, and none was found.`);
    }
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
    default:
      return;
  }
}
