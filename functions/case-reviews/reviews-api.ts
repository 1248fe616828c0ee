import * as z from 'zod';
import { BadRequestError, detailsFromZod, ValidationError } from '#shared/errors';
import { httpApi, json, readBody } from '#shared/http';
import { caseReviewsApi } from './capability.ts';
import { completeRecommendation, decide, decisionInput, loadReview, overrideThreshold, overrideInput, panelInput, recordPanel, sendLetter } from './commands.ts';
import { allReviews, letterDeps, projected, reviewDeps, today } from './deps.ts';
import { gatherHistory } from './history.ts';
import { dueItems } from './model.ts';

const parse = <T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> => {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(`the ${what} could not be accepted: correct the fields listed`, detailsFromZod(parsed.error.issues));
  return parsed.data;
};

const officerOf = (subject: string | undefined) => subject ?? 'officer';

/** Answers 202 once the step's event is in the review (briefly waited for), so the next read shows it. */
async function accepted<T extends { eventId: string }>(reviewId: string | undefined, step: Promise<T>) {
  const result = await step;
  await projected(reviewId ?? '', result.eventId);
  return json(202, result);
}

const letterKind = z.enum(['threshold', 'outcome'], { error: 'the letter is threshold or outcome' });
const doneInput = z.object({ note: z.string().trim().min(1).max(2000).optional() });

export const handler = httpApi(caseReviewsApi, {
  'GET /case-reviews': async () => {
    const views = await allReviews();
    return json(200, { items: views.map(({ reviewId, reference, appliedOn, status, thresholdMet, deadlines, hateIncident }) => ({ reviewId, reference, appliedOn, status, thresholdMet, deadlines, hateIncident })) });
  },
  'GET /case-reviews/due': async ({ query }) => {
    const date = query.date ?? today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new BadRequestError('date must look like 2025-03-27');
    return json(200, { date, items: dueItems(await allReviews(), date) });
  },
  'GET /case-reviews/{reviewId}': async ({ path, principal }) => {
    const view = await loadReview(path.reviewId ?? '', reviewDeps);
    return json(200, { ...view, decision: view.decision, history: await gatherHistory(view, principal) });
  },
  'POST /case-reviews/{reviewId}/threshold': async ({ event, path, principal }) =>
    accepted(path.reviewId, overrideThreshold(path.reviewId ?? '', parse(overrideInput, readBody(event).value, 'override'), officerOf(principal?.subject), reviewDeps)),
  'POST /case-reviews/{reviewId}/panel': async ({ event, path, principal }) =>
    accepted(path.reviewId, recordPanel(path.reviewId ?? '', parse(panelInput, readBody(event).value, 'panel'), officerOf(principal?.subject), reviewDeps)),
  'POST /case-reviews/{reviewId}/decision': async ({ event, path, principal }) =>
    accepted(path.reviewId, decide(path.reviewId ?? '', parse(decisionInput, readBody(event).value, 'decision'), officerOf(principal?.subject), reviewDeps)),
  'POST /case-reviews/{reviewId}/recommendations/{n}/done': async ({ event, path, principal }) => {
    const n = Number(path.n);
    if (!Number.isInteger(n) || n < 1) throw new BadRequestError('the recommendation number is a whole number from 1');
    const body = event.body ? readBody(event).value : {};
    return accepted(path.reviewId, completeRecommendation(path.reviewId ?? '', n, parse(doneInput, body, 'note').note, officerOf(principal?.subject), reviewDeps));
  },
  'POST /case-reviews/{reviewId}/letters/{letter}': async ({ path, principal }) => {
    const kind = letterKind.safeParse(path.letter);
    if (!kind.success) throw new BadRequestError('the letter is threshold or outcome', [{ path: 'letter', message: 'choose threshold or outcome' }]);
    return accepted(path.reviewId, sendLetter(path.reviewId ?? '', kind.data, officerOf(principal?.subject), letterDeps));
  },
});
