/**
 * "What can be done next" on a case, read from the ladder rules themselves (ladder.ts,
 * statutory-time.ts): nothing here restates a rule. Where a step waits on a date, the
 * candidate action is put to `checkLadder` day by day from today, and the first day it
 * passes is the day the step opens ("a CPN can be served from 14 December"). Dates and
 * deadlines the rules have already worked out (a closure notice's hearing deadline, an
 * order's end) are read from the events that carry them. Pure: a timeline in, steps out.
 */
import type { DetailOf } from '#events/contract';
import type { NoticeServed } from '#events/enforcement';
import { addDays, dateText, londonDateOf, londonToIso, type IsoDate } from '#shared/london-time';
import type { TimelineEntry } from '../cases/case-model.ts';
import { defaultTariff, type FpnTariff } from './fpn-tariff.ts';
import { checkLadder, fpnAmountFor, type RecordedAction } from './ladder.ts';
import { historyOf } from './record-action.ts';
import { cpnAppealLastDay } from './statutory-time.ts';

export interface NextStep {
  /** can: an action the rules allow (now or from `on`); deadline: something that must happen by `on`; info: where things stand. */
  kind: 'can' | 'deadline' | 'info';
  text: string;
  on?: IsoDate;
}

/** How far ahead to look for the day a step opens. */
export const LOOK_AHEAD_DAYS = 400;

type Candidate = (occurredAt: string) => RecordedAction;

/**
 * The first London day from `today` on which the rules accept the candidate (today at `now`,
 * later days at noon), or undefined if they refuse it for the whole look-ahead.
 */
export function firstAllowedDay(candidate: Candidate, history: readonly RecordedAction[], now: Date, tariff: FpnTariff = defaultTariff): IsoDate | undefined {
  const today = londonDateOf(now);
  for (let n = 0; n <= LOOK_AHEAD_DAYS; n += 1) {
    const day = addDays(today, n);
    const [year, month, date] = day.split('-').map(Number) as [number, number, number];
    const at = n === 0 ? now.toISOString() : londonToIso({ year, month, day: date, hour: 12, minute: 0 });
    try {
      checkLadder(candidate(at), { history, tariff });
      return day;
    } catch {
      // Refused on that day: try the next.
    }
  }
  return undefined;
}

const whenText = (day: IsoDate, today: IsoDate) => (day <= today ? 'now' : `from ${dateText(day)}`);

type Notice = { detailType: 'NoticeServed'; detail: DetailOf<typeof NoticeServed> };
const base = (at: string, caseId: string | undefined, officerId: string) => ({
  eventId: 'next-step',
  occurredAt: at,
  schemaVersion: 1,
  actor: { kind: 'officer' as const, id: officerId },
  officerId,
  ...(caseId ? { caseId } : {}),
});

/**
 * What can be done next on a case, given its timeline (and, for the subject rules, the
 * subjects' actions on other cases, if known), as of `now`.
 */
export function nextSteps(
  input: { caseId: string; timeline: readonly TimelineEntry[]; subjectTimeline?: readonly TimelineEntry[]; officerId: string },
  now: Date,
  tariff: FpnTariff = defaultTariff,
): NextStep[] {
  const history = historyOf([...input.timeline, ...(input.subjectTimeline ?? [])]);
  const onCase = historyOf(input.timeline);
  const today = londonDateOf(now);
  const steps: NextStep[] = [];
  const after = (a: RecordedAction, b: RecordedAction) => new Date(a.detail.occurredAt).getTime() > new Date(b.detail.occurredAt).getTime();

  // A CPW on this case and no CPN to the same subject since: when can the CPN be served?
  type Warning = Extract<RecordedAction, { detailType: 'WarningIssued' }>;
  const warnings = onCase.filter((a): a is Warning => a.detailType === 'WarningIssued' && a.detail.warningType === 'CPW');
  const notices = history.filter((a): a is Notice => a.detailType === 'NoticeServed' && a.detail.noticeType === 'CPN');
  for (const subjectRef of [...new Set(warnings.map((w) => String(w.detail.subjectRef)))]) {
    const latest = warnings.filter((w) => w.detail.subjectRef === subjectRef).at(-1) as Warning;
    if (notices.some((n) => n.detail.subjectRef === subjectRef && after(n, latest))) continue;
    const { subjectKind, subjectAge } = latest.detail;
    const day = firstAllowedDay(
      (at) => ({
        detailType: 'NoticeServed',
        detail: { ...base(at, input.caseId, input.officerId), noticeType: 'CPN', subjectRef, ...(subjectKind ? { subjectKind } : {}), ...(subjectAge !== undefined ? { subjectAge } : {}) },
      }) as RecordedAction,
      history,
      now,
      tariff,
    );
    if (day) steps.push({ kind: 'can', on: day, text: `A Community Protection Notice (CPN) can be served on ${subjectRef} ${whenText(day, today)}.` });
  }

  // Each CPN on this case: its appeal window, an appeal in progress, and when a breach can be fined.
  for (const cpn of onCase.filter((a): a is Notice => a.detailType === 'NoticeServed' && a.detail.noticeType === 'CPN')) {
    const subjectRef = cpn.detail.subjectRef;
    const issued = londonDateOf(cpn.detail.occurredAt);
    const appeals = history.filter((a) => a.detailType === 'CpnAppealLodged' && a.detail.noticeEventId === cpn.detail.eventId);
    const decided = history.filter((a) => a.detailType === 'CpnAppealDetermined' && a.detail.noticeEventId === cpn.detail.eventId);
    const lastDay = cpnAppealLastDay(issued);
    const lodged = appeals.at(-1);
    if (lodged && !decided.some((d) => after(d, lodged))) {
      steps.push({ kind: 'info', text: `${subjectRef} appealed against the CPN served on ${dateText(issued)}; record the court's decision when it comes.` });
    } else if (!lodged && today <= lastDay) {
      steps.push({ kind: 'deadline', on: lastDay, text: `${subjectRef} can appeal against the CPN served on ${dateText(issued)} until ${dateText(lastDay)}.` });
    }
    let amountPence: number;
    try {
      amountPence = fpnAmountFor('cpn-breach', today, {}, tariff).amountPence;
    } catch {
      continue;
    }
    // Every requirement breached, or (while an appeal suspends the others) only those to stop doing things.
    const stops = (cpn.detail.requirements ?? []).flatMap((r, i) => (r.kind === 'stop' ? [i + 1] : []));
    const candidates: (readonly number[] | undefined)[] = [undefined, ...(stops.length && stops.length < (cpn.detail.requirements?.length ?? 0) ? [stops] : [])];
    for (const breached of candidates) {
      const day = firstAllowedDay(
        (at) => ({
          detailType: 'FixedPenaltyIssued',
          detail: {
            ...base(at, input.caseId, input.officerId),
            offence: 'cpn-breach',
            amountPence,
            subjectRef,
            noticeEventId: cpn.detail.eventId,
            ...(breached ? { breachedRequirements: [...breached] } : {}),
          },
        }) as RecordedAction,
        history,
        now,
        tariff,
      );
      if (!day) continue;
      const which = breached ? `requirement${breached.length > 1 ? 's' : ''} ${breached.join(' and ')} of the CPN (to stop doing things)` : 'the CPN';
      steps.push({ kind: 'can', on: day, text: `If ${subjectRef} breaches ${which}, a Fixed Penalty Notice (FPN) can be issued ${whenText(day, today)}.` });
      break;
    }
  }

  // Closure notices: the hearing the rules set (hearingDueBy), unless a closure order has followed.
  for (const notice of onCase.filter((a) => a.detailType === 'ClosureNoticeServed')) {
    if (notice.detailType !== 'ClosureNoticeServed') continue;
    const ordered = onCase.some((a) => a.detailType === 'CourtOrderObtained' && a.detail.orderType === 'closure-order' && after(a, notice));
    if (ordered) continue;
    const extended = onCase.filter((a) => a.detailType === 'ClosureNoticeExtended' && a.detail.closureNoticeEventId === notice.detail.eventId).at(-1);
    const ends = extended?.detailType === 'ClosureNoticeExtended' ? extended.detail.expiresAt : notice.detail.expiresAt;
    const hearing = londonDateOf(notice.detail.hearingDueBy);
    steps.push({
      kind: 'deadline',
      on: hearing,
      text: `The closure order hearing for ${notice.detail.subjectRef} is due by ${dateText(hearing)}; the closure notice ends ${dateText(londonDateOf(ends))}.`,
    });
  }

  // Court orders in force: when each ends.
  for (const order of onCase.filter((a) => a.detailType === 'CourtOrderObtained')) {
    if (order.detailType !== 'CourtOrderObtained' || order.detail.expiresAt < today) continue;
    const what = order.detail.orderType === 's1-injunction' ? 'The section 1 injunction' : order.detail.orderType === 'closure-order' ? 'The closure order' : 'The extended closure order';
    steps.push({ kind: 'info', on: order.detail.expiresAt, text: `${what}${order.detail.subjectRef ? ` on ${order.detail.subjectRef}` : ''} ends on ${dateText(order.detail.expiresAt)}.` });
  }

  return steps.sort((a, b) => (a.on ?? '9999').localeCompare(b.on ?? '9999'));
}
