/**
 * What can be done with a case review, as short numbered steps over injected side effects
 * (deps.ts wires them to the table, the bus, the contact vault and the notifications port;
 * unit tests pass fakes).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { DetailInput } from '#events/contract';
import type { Actor } from '#events/envelope';
import type { CaseReviewRequested } from '#events/case-review';
import type { CaseReviewSettings } from '#shared/case-review-settings';
import { ConflictError, NotFoundError, RuleViolationError } from '#shared/errors';
import { isIsoDate, londonDateOf } from '#shared/london-time';
import type { Notifier } from '../notifications/port.ts';
import type { ContactInput } from '../intake/report-input.ts';
import type { ApplicationInput } from './input.ts';
import { newCaseReviewReference } from './input.ts';
import { letterOf, letterTemplates, personalisationOf, type LetterKind } from './letters.ts';
import { matchComplaints, type HeldReports } from './matching.ts';
import { foldReview, type CaseReviewView, type StoredEvent } from './model.ts';
import { assessThreshold } from './threshold.ts';

/** What a producer gives for one of the case-review events (the put helper adds the schema version). */
type DetailInputOf<T extends StoredEvent['detailType']> = Omit<Extract<StoredEvent, { detailType: T }>['detail'], 'schemaVersion'> & { schemaVersion?: number };
type Publish = <T extends StoredEvent['detailType']>(detailType: T, detail: DetailInputOf<T>) => Promise<void>;

export interface CaseReviewDeps {
  publish: Publish;
  loadEvents: (reviewId: string) => Promise<StoredEvent[]>;
  claim: (reviewId: string, step: string, by: string) => Promise<boolean>;
  settings: () => CaseReviewSettings;
  newId: () => string;
  now: () => Date;
}

/** A UUID-shaped id derived from another: a retry of the same step gets the same id. */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export async function loadReview(reviewId: string, deps: Pick<CaseReviewDeps, 'loadEvents' | 'settings'>): Promise<CaseReviewView> {
  const view = foldReview(await deps.loadEvents(reviewId), deps.settings());
  if (!view) throw new NotFoundError(`there is no case review ${reviewId}`);
  return view;
}

// --- Applying -----------------------------------------------------------------------------

export interface ApplyDeps extends Pick<CaseReviewDeps, 'publish' | 'newId' | 'now'> {
  saveContact: (contact: ContactInput) => Promise<string>;
}

/**
 * 1. The applicant's (and a third party's) contact details go to the contact vault; the event
 *    carries only their tokens.
 * 2. CaseReviewRequested is put with the complaints; the threshold is assessed from it.
 */
export async function applyForCaseReview(input: ApplicationInput, channel: 'webform' | 'api' | 'officer', actor: Actor, deps: ApplyDeps) {
  const applicantRef = await deps.saveContact(input.applicant);
  const third = input.thirdParty;
  const representativeRef = third
    ? await deps.saveContact({ name: third.name, ...(third.email ? { email: third.email } : {}), ...(third.phone ? { phone: third.phone } : {}), consentToContact: true })
    : undefined;
  const reviewId = deps.newId();
  const reference = newCaseReviewReference();
  await deps.publish('CaseReviewRequested', {
    eventId: deps.newId(),
    occurredAt: deps.now().toISOString(),
    actor,
    reviewId,
    applicantRef,
    hateIncident: input.hateIncident,
    reference,
    channel,
    description: input.description,
    complaints: input.complaints,
    ...(third && representativeRef ? { thirdParty: { representativeRef, relationship: third.relationship, victimConsent: true as const } } : {}),
  });
  return { reviewId, reference };
}

// --- The threshold, by rule and by an officer ---------------------------------------------

export interface AssessDeps {
  heldReports: (references: readonly string[], contactRef: string) => Promise<HeldReports>;
  publish: Publish;
  settings: () => CaseReviewSettings;
}

/**
 * As soon as an application arrives:
 * 1. its complaints are matched with the reports the council holds (by reference, or by the
 *    applicant's contactRef), and the applicant's other reports in the window are added;
 * 2. the rule weighs each, as of the London date of the application;
 * 3. CaseReviewThresholdAssessed is put with an id made from the application's, at the
 *    application's instant, so a redelivery puts the same event again.
 */
export async function assessApplication(requested: DetailInput<typeof CaseReviewRequested>, deps: AssessDeps) {
  const settings = deps.settings();
  const appliedOn = londonDateOf(requested.occurredAt);
  const listed = requested.complaints ?? [];
  const held = await deps.heldReports(listed.flatMap((c) => (c.reference ? [c.reference] : [])), requested.applicantRef);
  const evidence = matchComplaints(listed, held, appliedOn, settings.withinMonths);
  const result = assessThreshold({ appliedOn, hateIncident: requested.hateIncident, complaints: evidence }, settings);
  await deps.publish('CaseReviewThresholdAssessed', {
    eventId: derivedId(requested.eventId, 'threshold'),
    occurredAt: requested.occurredAt,
    actor: { kind: 'system', id: 'case-review-threshold' },
    reviewId: requested.reviewId,
    met: result.met,
    basis: result.basis,
    assessedBy: 'rule',
    complaints: [...result.complaints],
  });
  return result;
}

export const overrideInput = z.object({
  met: z.boolean({ error: 'say whether the threshold is met' }),
  reason: z.string({ error: 'give the reason for the override' }).trim().min(1, 'give the reason for the override').max(1500, 'the reason must be 1,500 characters or fewer'),
});

/**
 * An officer overrides the assessment in force, with a reason:
 * 1. only before the decision, and only to change the outcome;
 * 2. the assessment is claimed, so two officers cannot both override it;
 * 3. the new assessment names the one it replaces (the figures move the count).
 */
export async function overrideThreshold(reviewId: string, input: z.infer<typeof overrideInput>, officer: string, deps: CaseReviewDeps) {
  const view = await loadReview(reviewId, deps);
  const inForce = view.assessment;
  if (!inForce) throw new ConflictError('the application has not been assessed yet; try again in a moment');
  if (view.decision) throw new ConflictError('the review has been decided; the threshold can no longer be changed');
  if (inForce.met === input.met) throw new RuleViolationError('override_changes_nothing', `the threshold is already ${input.met ? 'met' : 'not met'}`, [{ path: 'met', message: 'an override must change the outcome' }]);
  if (!(await deps.claim(reviewId, `override#${inForce.eventId}`, officer))) throw new ConflictError('someone else has just changed this assessment; reload the review');
  const eventId = deps.newId();
  await deps.publish('CaseReviewThresholdAssessed', {
    eventId,
    occurredAt: deps.now().toISOString(),
    actor: { kind: 'officer', id: officer },
    reviewId,
    met: input.met,
    basis: `Overridden by an officer (the threshold is ${input.met ? 'met' : 'not met'}): ${input.reason}`.slice(0, 2000),
    assessedBy: 'officer',
    complaints: inForce.complaints,
    supersedes: { eventId: inForce.eventId, met: inForce.met, assessedAt: inForce.firstAssessedAt },
  });
  return { eventId };
}

// --- The review ---------------------------------------------------------------------------

export const panelInput = z.object({
  meetingOn: z.string({ error: 'enter the date the panel meets' }).refine(isIsoDate, 'enter the date the panel meets as a real date, like 2025-03-27'),
  members: z
    .array(
      z.object({
        name: z.string({ error: 'enter the member’s name' }).trim().min(1, 'enter the member’s name').max(200),
        organisation: z.string({ error: 'enter the member’s organisation' }).trim().min(1, 'enter the member’s organisation').max(200),
        role: z.string().trim().min(1).max(200).optional(),
      }),
    )
    .min(1, 'name at least one panel member')
    .max(20),
});

export async function recordPanel(reviewId: string, input: z.infer<typeof panelInput>, officer: string, deps: CaseReviewDeps) {
  const view = await loadReview(reviewId, deps);
  if (view.thresholdMet !== true) throw new ConflictError('a panel is formed only when the threshold is met');
  if (view.decision) throw new ConflictError('the review has been decided');
  const eventId = deps.newId();
  await deps.publish('CaseReviewPanelRecorded', { eventId, occurredAt: deps.now().toISOString(), actor: { kind: 'officer', id: officer }, reviewId, ...input });
  return { eventId };
}

const recommendation = z.union([
  z.string().trim().min(1, 'write the recommendation').max(2000),
  z.object({
    text: z.string({ error: 'write the recommendation' }).trim().min(1, 'write the recommendation').max(2000),
    owner: z.string({ error: 'say who carries it out' }).trim().min(1, 'say who carries it out').max(200),
    dueOn: z.string({ error: 'enter the date it is due' }).refine(isIsoDate, 'enter the date it is due as a real date, like 2025-03-27'),
  }),
]);

export const decisionInput = z
  .object({
    upheld: z.boolean({ error: 'say whether the panel upheld the complaint' }),
    recommendations: z.array(recommendation).max(50),
    heldOn: z.string().refine(isIsoDate, 'enter the date the review was held as a real date, like 2025-03-27').optional(),
  })
  .refine((d) => d.recommendations.every((r) => typeof r === 'string') || d.recommendations.every((r) => typeof r !== 'string'), {
    path: ['recommendations'],
    message: 'give every recommendation an owner and a due date, or none of them',
  });

/**
 * The panel's decision:
 * 1. only on a review whose threshold is met, once (claimed, so a second decision is refused);
 * 2. CaseReviewDecided carries the recommendations as text (contract.md) and, beside them,
 *    each one's owner and due date.
 */
export async function decide(reviewId: string, input: z.infer<typeof decisionInput>, officer: string, deps: CaseReviewDeps) {
  const view = await loadReview(reviewId, deps);
  if (view.thresholdMet === null) throw new ConflictError('the application has not been assessed yet');
  if (!view.thresholdMet) throw new RuleViolationError('threshold_not_met', 'the threshold is not met, so there is no review to decide; override the assessment first if it is wrong');
  if (view.decision || !(await deps.claim(reviewId, 'decision', officer))) throw new ConflictError('this review has already been decided');
  const eventId = deps.newId();
  const texts = input.recommendations.map((r) => (typeof r === 'string' ? r : r.text));
  const actions = input.recommendations.flatMap((r) => (typeof r === 'string' ? [] : [{ owner: r.owner, dueOn: r.dueOn }]));
  await deps.publish('CaseReviewDecided', {
    eventId,
    occurredAt: deps.now().toISOString(),
    actor: { kind: 'officer', id: officer },
    reviewId,
    upheld: input.upheld,
    recommendations: texts,
    ...(actions.length ? { actions } : {}),
    heldOn: input.heldOn ?? londonDateOf(deps.now()),
  });
  return { eventId };
}

export async function completeRecommendation(reviewId: string, n: number, note: string | undefined, officer: string, deps: CaseReviewDeps) {
  const view = await loadReview(reviewId, deps);
  const r = view.decision?.recommendations.find((x) => x.n === n);
  if (!r) throw new NotFoundError(`review ${view.reference} has no recommendation ${n}`);
  if (r.done || !(await deps.claim(reviewId, `recommendation#${n}`, officer))) throw new ConflictError(`recommendation ${n} is already marked done`);
  const eventId = deps.newId();
  await deps.publish('CaseReviewRecommendationCompleted', {
    eventId,
    occurredAt: deps.now().toISOString(),
    actor: { kind: 'officer', id: officer },
    reviewId,
    n,
    ...(note ? { note } : {}),
  });
  return { eventId };
}

// --- Letters ------------------------------------------------------------------------------

export interface LetterDeps extends CaseReviewDeps {
  getContact: (contactRef: string) => Promise<ContactInput | undefined>;
  notifier: () => Notifier;
  councilName: string;
}

/**
 * Sends a letter to the applicant:
 * 1. it tells of the assessment in force or of the decision (refused before there is one);
 * 2. by e-mail through the notifications port when the applicant (or the third party who
 *    applied for them) gave an address, with an id made from what it tells of, so sending it
 *    again replaces rather than adds; otherwise it is to be printed and posted;
 * 3. CaseReviewLetterSent records it (the "tell the applicant" deadline is then met).
 */
export async function sendLetter(reviewId: string, kind: LetterKind, officer: string, deps: LetterDeps) {
  const view = await loadReview(reviewId, deps);
  const applicant = await deps.getContact(view.applicantRef);
  const letter = letterOf(kind, view, { councilName: deps.councilName, ...(applicant?.name ? { name: applicant.name } : {}) });
  if (!letter) throw new ConflictError(kind === 'threshold' ? 'the application has not been assessed yet' : 'the review has not been decided yet');
  const representative = view.thirdParty ? await deps.getContact(view.thirdParty.representativeRef) : undefined;
  const to = [applicant?.email, representative?.email].filter((e): e is string => typeof e === 'string');
  const notificationId = `${view.reference}-${kind}-${letter.aboutEventId.slice(0, 8)}`;
  for (const [i, address] of to.entries()) {
    await deps.notifier().send({
      channel: 'email',
      to: address,
      template: letterTemplates[kind],
      personalisation: personalisationOf(letter, view.reference),
      id: i === 0 ? notificationId : `${notificationId}-${i + 1}`,
    });
  }
  const eventId = derivedId(reviewId, kind, letter.aboutEventId, to.length ? 'email' : 'post');
  await deps.publish('CaseReviewLetterSent', {
    eventId,
    occurredAt: deps.now().toISOString(),
    actor: { kind: 'officer', id: officer },
    reviewId,
    letter: kind,
    channel: to.length ? 'email' : 'post',
    aboutEventId: letter.aboutEventId,
    ...(to.length ? { notificationId } : {}),
  });
  return { eventId, channel: to.length ? ('email' as const) : ('post' as const), ...(to.length ? { notificationId } : {}) };
}
