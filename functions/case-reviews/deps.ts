/**
 * The case reviews' side effects, wired once per module load: the table, the bus, the contact
 * vault, the notifications port. Handlers take their deps from here; unit tests build fakes.
 */
import { waitUntil } from '#shared/wait-until';
import { randomUUID } from 'node:crypto';
import {
  CaseReviewDecided,
  CaseReviewLetterSent,
  CaseReviewPanelRecorded,
  CaseReviewRecommendationCompleted,
  CaseReviewRequested,
  CaseReviewThresholdAssessed,
} from '#events/case-review';
import type { EventContract } from '#events/contract';
import { caseReviewSettings } from '#shared/case-review-settings';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { londonDateOf } from '#shared/london-time';
import { events } from '#shared/publisher';
import { site } from '../../web/site.ts';
import { buildGetContact, buildSaveContact } from '../intake/contacts.ts';
import { notifier } from '../notifications/configure.ts';
import type { CaseReviewDeps, LetterDeps } from './commands.ts';
import { readAllReviews } from './read.ts';
import { buildCaseReviewStore } from './repository.ts';

const table = setting('table');
export const store = buildCaseReviewStore(documents, table);

const contracts: Record<string, EventContract> = Object.fromEntries(
  [CaseReviewRequested, CaseReviewThresholdAssessed, CaseReviewDecided, CaseReviewPanelRecorded, CaseReviewRecommendationCompleted, CaseReviewLetterSent].map((c) => [c.detailType, c]),
);

export const publish: CaseReviewDeps['publish'] = async (detailType, detail) => {
  const contract = contracts[detailType];
  if (!contract) throw new Error(`no case-review contract ${detailType}`);
  await events().publishOne(contract, detail as never);
};

export const today = () => londonDateOf(new Date());

export const reviewDeps: CaseReviewDeps = {
  publish,
  loadEvents: store.loadEvents,
  claim: store.claim,
  settings: () => caseReviewSettings(),
  newId: randomUUID,
  now: () => new Date(),
};

/** Every review, folded (the reviews API and the staff pages list them). */
export const allReviews = () => readAllReviews(store, reviewDeps.settings());

export const saveContact = buildSaveContact(documents, table);
export const getContact = buildGetContact(documents, table);

export const letterDeps: LetterDeps = { ...reviewDeps, getContact, notifier, councilName: site.councilName };

/** The events are projected asynchronously: wait so the next read already shows the step. */
export const projected = (reviewId: string, eventId: string, timeoutMs?: number) =>
  waitUntil(async () => (await store.loadEvents(reviewId)).some((e) => e.detail.eventId === eventId), timeoutMs);
