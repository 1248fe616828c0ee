/**
 * What is due, as of a London date, across the open cases. Pure: cases in, items out.
 * - abc-review: an ABC is reviewed every 6 weeks from the day it was agreed; the next review
 *   is listed from 7 days before it until its day;
 * - cpw-comply-by-passed: a CPW's comply-by date has passed and nothing has been recorded
 *   about that person since (a CPN, another warning, a visit naming them, …);
 * - order-expiring: a closure order (with its extensions) or a s.1 injunction ends within
 *   the next 14 days (today included);
 * - first-contact-missed: a Tenancy Services case has had no first contact and its target
 *   date has passed.
 */
import { createHash } from 'node:crypto';
import type { reminderKinds } from '#events/reminders';
import { addDays, daysBetween, londonDateOf, type IsoDate } from '#shared/london-time';
import type { CaseView, TimelineEntry } from './case-model.ts';

export type ReminderKind = (typeof reminderKinds)[number];

export const ABC_REVIEW_EVERY_DAYS = 42;
export const ABC_REVIEW_NOTICE_DAYS = 7;
export const ORDER_EXPIRY_NOTICE_DAYS = 14;

export interface DueItem {
  reminder: ReminderKind;
  caseId: string;
  owner: CaseView['owner'];
  dueOn: IsoDate;
  refEventId?: string;
  subjectRef?: string;
  orderType?: 'closure-order' | 'closure-order-extension' | 's1-injunction';
  message: string;
}

export interface CaseWithTimeline {
  view: CaseView;
  timeline: readonly TimelineEntry[];
}

const instant = (e: TimelineEntry) => new Date(e.occurredAt).getTime();
const dateOf = (e: TimelineEntry) => londonDateOf(e.occurredAt);
const isEnforcement = (e: TimelineEntry) => e.source === 'safer-communities.enforcement';

function abcReviews(c: CaseWithTimeline, today: IsoDate): DueItem[] {
  return c.timeline
    .filter((e) => e.detailType === 'WarningIssued' && e.warningType === 'ABC')
    .flatMap((abc) => {
      const agreed = dateOf(abc);
      const elapsed = daysBetween(agreed, today);
      const k = Math.max(1, Math.ceil(elapsed / ABC_REVIEW_EVERY_DAYS));
      const review = addDays(agreed, k * ABC_REVIEW_EVERY_DAYS);
      if (daysBetween(today, review) > ABC_REVIEW_NOTICE_DAYS) return [];
      return [
        {
          reminder: 'abc-review' as const,
          caseId: c.view.caseId,
          owner: c.view.owner,
          dueOn: review,
          refEventId: abc.eventId,
          subjectRef: abc.subjectRef as string,
          message: `Review ${k} of the Acceptable Behaviour Contract agreed on ${agreed} is due on ${review}.`,
        },
      ];
    });
}

function cpwFollowUps(c: CaseWithTimeline, today: IsoDate): DueItem[] {
  return c.timeline
    .filter((e) => e.detailType === 'WarningIssued' && e.warningType === 'CPW' && typeof e.complyBy === 'string' && e.complyBy < today)
    .flatMap((cpw) => {
      const complyBy = cpw.complyBy as IsoDate;
      const followedUp = c.timeline.some(
        (e) => isEnforcement(e) && e.eventId !== cpw.eventId && e.subjectRef === cpw.subjectRef && instant(e) > instant(cpw) && dateOf(e) > complyBy,
      );
      if (followedUp) return [];
      return [
        {
          reminder: 'cpw-comply-by-passed' as const,
          caseId: c.view.caseId,
          owner: c.view.owner,
          dueOn: addDays(complyBy, 1),
          refEventId: cpw.eventId,
          subjectRef: cpw.subjectRef as string,
          message: `The Community Protection Warning's comply-by date (${complyBy}) has passed: check compliance and decide the next step.`,
        },
      ];
    });
}

function expiringOrders(c: CaseWithTimeline, today: IsoDate): DueItem[] {
  const orders = c.timeline.filter((e) => e.detailType === 'CourtOrderObtained').sort((a, b) => instant(a) - instant(b));
  const sameSubject = (a: TimelineEntry, b: TimelineEntry) => a.subjectRef === undefined || b.subjectRef === undefined || a.subjectRef === b.subjectRef;
  return orders.flatMap((order, i) => {
    if (order.orderType === 'closure-order-extension') return [];
    let expiresAt = order.expiresAt as IsoDate;
    if (order.orderType === 'closure-order') {
      // Its extensions: those after it and before the next closure order on the same premises.
      for (const later of orders.slice(i + 1)) {
        if (!sameSubject(order, later)) continue;
        if (later.orderType === 'closure-order') break;
        if (later.orderType === 'closure-order-extension' && (later.expiresAt as string) > expiresAt) expiresAt = later.expiresAt as IsoDate;
      }
    }
    const daysLeft = daysBetween(today, expiresAt);
    if (daysLeft < 0 || daysLeft > ORDER_EXPIRY_NOTICE_DAYS) return [];
    const what = order.orderType === 'closure-order' ? 'closure order' : 'section 1 injunction';
    return [
      {
        reminder: 'order-expiring' as const,
        caseId: c.view.caseId,
        owner: c.view.owner,
        dueOn: expiresAt,
        refEventId: order.eventId,
        ...(typeof order.subjectRef === 'string' ? { subjectRef: order.subjectRef } : {}),
        orderType: order.orderType as DueItem['orderType'],
        message: `The ${what} ends on ${expiresAt} (${daysLeft === 0 ? 'today' : `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`}).`,
      },
    ];
  });
}

function firstContactMissed(c: CaseWithTimeline): DueItem[] {
  const fc = c.view.firstContact;
  if (!fc || fc.state !== 'overdue') return [];
  return [
    {
      reminder: 'first-contact-missed',
      caseId: c.view.caseId,
      owner: c.view.owner,
      dueOn: fc.dueBy,
      message: `No first contact yet: the ${c.view.riskCategory ? `category ${c.view.riskCategory} ` : ''}target was ${fc.dueBy}.`,
    },
  ];
}

export function dueItems(cases: readonly CaseWithTimeline[], today: IsoDate): DueItem[] {
  return cases
    .filter((c) => c.view.status === 'open')
    .flatMap((c) => [...firstContactMissed(c), ...cpwFollowUps(c, today), ...abcReviews(c, today), ...expiringOrders(c, today)])
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.caseId.localeCompare(b.caseId) || a.reminder.localeCompare(b.reminder));
}

/**
 * The same item on the same day always gets the same eventId (a UUID-shaped SHA-256 digest),
 * so re-running a day's reminders cannot put a second, different event.
 */
export function reminderEventId(item: DueItem, forDate: IsoDate): string {
  const hex = createHash('sha256')
    .update([item.reminder, item.caseId, item.refEventId ?? '', item.dueOn, forDate].join('|'))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
