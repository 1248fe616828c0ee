import type { DetailInput } from '#events/contract';
import { ReportReceived } from '#events/intake';
import { caseReviewSettings } from '#shared/case-review-settings';
import { addMonths, londonDateOf } from '#shared/london-time';
import { newId, newReference, type ContactInput, type ReportInput } from './report-input.ts';

export interface ReceiveDeps {
  /** Stores contact details apart and returns the opaque token that stands for them. */
  saveContact: (contact: ContactInput) => Promise<string>;
  publish: (detail: DetailInput<typeof ReportReceived>) => Promise<void>;
  /** Notes that the person reported now; answers when they last reported before (the web form asks). */
  noteReport?: (contactRef: string) => Promise<string | undefined>;
  /** Runs once the ids exist and before the event is put (the web form stores its confirmation here). */
  beforePublish?: (ids: ReceivedIds) => Promise<void>;
  now?: () => Date;
}

export interface ReceivedIds {
  reportId: string;
  reference: string;
  /** The same person reported before within the Case Review window: tell them about their right to ask for one. */
  caseReviewNotice: boolean;
}

/**
 * Where and how to ask for an ASB Case Review: what the confirmation page and the
 * acknowledgement say to someone reporting again within six months (2025 statutory guidance).
 */
export const caseReviewRight = {
  href: '/case-reviews/apply',
  text: 'You have reported to us more than once in the last six months. If you feel nothing effective has been done, you can ask for an ASB Case Review: the council, the police and housing providers will look again at how your reports were handled.',
} as const;

/** Whether a report now, after one at `previous`, is a second within the Case Review window. */
export function isRepeatWithinWindow(previous: string | undefined, now: Date, months = caseReviewSettings().withinMonths): boolean {
  return previous !== undefined && londonDateOf(previous) >= addMonths(londonDateOf(now), -months);
}

export type Channel = DetailInput<typeof ReportReceived>['channel'];

/**
 * A report from the public becomes one ReportReceived event:
 * 1. contact details, if any, are stored apart under a contactRef;
 * 2. the event carries only that token, never the details themselves;
 * 3. a person who reported before within the Case Review window is told of their right to one;
 * 4. the reporter gets a reference to quote (anything the channel keeps about the submission
 *    is stored before the event is put, so a failure leaves no report without it).
 */
export async function receiveReport(input: ReportInput, channel: Channel, deps: ReceiveDeps) {
  const contactRef = input.contact ? await deps.saveContact(input.contact) : undefined;
  const previous = contactRef && deps.noteReport ? await deps.noteReport(contactRef) : undefined;
  const ids: ReceivedIds = { reportId: newId(), reference: newReference(), caseReviewNotice: isRepeatWithinWindow(previous, deps.now?.() ?? new Date()) };
  const { reportId, reference } = ids;
  await deps.beforePublish?.(ids);
  await deps.publish({
    eventId: newId(),
    occurredAt: input.occurredAt,
    actor: { kind: 'public' },
    reportId,
    reference,
    channel,
    category: input.category,
    description: input.description,
    location: input.location,
    hateMotivated: input.hateMotivated ?? false,
    reporter: contactRef ? { anonymous: false, contactRef } : { anonymous: true },
    ...(input.occurredAtApproximate ? { occurredAtApproximate: true } : {}),
    ...(ids.caseReviewNotice ? { caseReviewNotice: true } : {}),
    ...(input.category === 'enviro.fly-tipping' && input.flyTip && Object.values(input.flyTip).some((v) => v !== undefined) ? { flyTip: input.flyTip } : {}),
  });
  return ids;
}
