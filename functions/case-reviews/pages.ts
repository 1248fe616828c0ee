import { AppError, BadRequestError, detailsFromZod, NotFoundError, type ErrorDetail } from '#shared/errors';
import { httpApi, readBody, redirect, type HttpRequest } from '#shared/http';
import type { z } from 'zod';
import { formErrors, noErrors, type FormErrors } from '../../web/forms.ts';
import { formValue, type FormFields } from '../intake/report-input.ts';
import { caseReviewPages } from './capability.ts';
import { completeRecommendation, decide, decisionInput, loadReview, overrideInput, overrideThreshold, panelInput, recordPanel, sendLetter } from './commands.ts';
import { allReviews, getContact, letterDeps, projected, reviewDeps, today } from './deps.ts';
import { gatherHistory, historyEntries } from './history.ts';
import { dateField } from './input.ts';
import { letterOf } from './letters.ts';
import { dueItems } from './model.ts';
import { dueRow, letterPage, officerErrorPage, reviewContext, reviewRow, staffPage } from './views.ts';

export const PANEL_ROWS = 6;
export const RECOMMENDATION_ROWS = 5;

const text = (fields: FormFields, name: string) => {
  const v = formValue(fields, name);
  return v === undefined || v.trim() === '' ? undefined : v.trim();
};
const yesNo = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : undefined);

/** Each form on the review page: its fields as the JSON body, and which field an error belongs to. */
const forms = {
  threshold: {
    body: (f: FormFields) => ({ met: yesNo(text(f, 'met')), reason: text(f, 'reason') }),
    fields: { met: 'met', reason: 'reason' },
  },
  panel: {
    body: (f: FormFields, issues: ErrorDetail[]) => ({
      meetingOn: dateField(f, 'meetingOn', 'meetingOn', 'the panel meets', issues),
      members: Array.from({ length: PANEL_ROWS }, (_, i) => i + 1)
        .filter((i) => text(f, `member-${i}-name`) || text(f, `member-${i}-organisation`) || text(f, `member-${i}-role`))
        .map((i) => ({ name: text(f, `member-${i}-name`), organisation: text(f, `member-${i}-organisation`), role: text(f, `member-${i}-role`) })),
    }),
    fields: { meetingOn: 'meetingOn-day', members: 'member-1-name' },
  },
  decision: {
    body: (f: FormFields, issues: ErrorDetail[]) => ({
      upheld: yesNo(text(f, 'upheld')),
      heldOn: dateField(f, 'heldOn', 'heldOn', 'the review was held', issues),
      recommendations: Array.from({ length: RECOMMENDATION_ROWS }, (_, i) => i + 1)
        .filter((i) => text(f, `rec-${i}-text`) || text(f, `rec-${i}-owner`) || text(f, `rec-${i}-due-day`))
        .map((i) => ({ text: text(f, `rec-${i}-text`), owner: text(f, `rec-${i}-owner`), dueOn: dateField(f, `rec-${i}-due`, `rec${i}`, 'it is due', issues) ?? '' })),
    }),
    fields: { upheld: 'upheld', heldOn: 'heldOn-day', recommendations: 'rec-1-text' },
  },
} as const;

type Step = keyof typeof forms;

async function reviewPage(request: HttpRequest, values: FormFields = {}, errors: FormErrors = noErrors, status?: number) {
  const view = await loadReview(request.path.reviewId ?? '', reviewDeps);
  const history = historyEntries(await gatherHistory(view, request.principal));
  // The applicant's contact details are shown only through the recorded step (functions/privacy).
  return staffPage(
    'case-reviews/review.njk',
    {
      ...reviewContext(view, history),
      values,
      errors,
      done: request.query.done,
      panelRows: Array.from({ length: PANEL_ROWS }, (_, i) => i + 1),
      recommendationRows: Array.from({ length: RECOMMENDATION_ROWS }, (_, i) => i + 1),
    },
    status,
  );
}

/** A step's form sent back with what to correct, or the step done and the page shown again. */
async function post(request: HttpRequest) {
  const reviewId = request.path.reviewId ?? '';
  const step = request.path.step ?? '';
  const fields = readBody(request.event).value as FormFields;
  const officer = request.principal?.subject ?? 'officer';
  const again = (details: ErrorDetail[], keys: Record<string, string>) => reviewPage(request, fields, formErrors(details, keys, Object.keys(keys)[0]), 422);
  try {
    let eventId: string;
    if (step === 'threshold' || step === 'panel' || step === 'decision') {
      const form = forms[step as Step];
      const issues: ErrorDetail[] = [];
      const body = form.body(fields, issues);
      const schema = (step === 'threshold' ? overrideInput : step === 'panel' ? panelInput : decisionInput) as z.ZodType;
      const parsed = schema.safeParse(body);
      const keys = { ...form.fields, ...Object.fromEntries(Array.from({ length: RECOMMENDATION_ROWS }, (_, i) => [`rec${i + 1}`, `rec-${i + 1}-due-day`])) };
      if (issues.length || !parsed.success) return await again([...issues, ...(parsed.success ? [] : detailsFromZod(parsed.error.issues).map(formPath))], keys);
      eventId = (
        step === 'threshold'
          ? await overrideThreshold(reviewId, parsed.data as z.infer<typeof overrideInput>, officer, reviewDeps)
          : step === 'panel'
            ? await recordPanel(reviewId, parsed.data as z.infer<typeof panelInput>, officer, reviewDeps)
            : await decide(reviewId, parsed.data as z.infer<typeof decisionInput>, officer, reviewDeps)
      ).eventId;
    } else if (step === 'recommendation-done') {
      const n = Number(text(fields, 'n'));
      if (!Number.isInteger(n) || n < 1) throw new BadRequestError('choose a recommendation to mark done');
      eventId = (await completeRecommendation(reviewId, n, text(fields, 'note'), officer, reviewDeps)).eventId;
    } else if (step === 'letter-threshold' || step === 'letter-outcome') {
      eventId = (await sendLetter(reviewId, step === 'letter-threshold' ? 'threshold' : 'outcome', officer, letterDeps)).eventId;
    } else throw new NotFoundError(`there is no step ${step} on a case review`);
    await projected(reviewId, eventId);
    return redirect(`/officer/case-reviews/${encodeURIComponent(reviewId)}?done=${encodeURIComponent(step)}`);
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500 || error.status === 401 || error.status === 404) throw error;
    return again(error.details?.length ? [...error.details] : [{ path: 'step', message: error.message }], { step: 'main-content', met: 'met', upheld: 'upheld' });
  }
}

/** Recommendation paths (`recommendations.0.owner`) as the form's row (`rec1`), else the field itself. */
function formPath(d: ErrorDetail): ErrorDetail {
  const m = /^recommendations\.(\d+)/.exec(d.path);
  if (m) return { path: 'recommendations', message: `recommendation ${Number(m[1]) + 1}: ${d.message}` };
  const member = /^members\.(\d+)/.exec(d.path);
  return member ? { path: 'members', message: `panel member ${Number(member[1]) + 1}: ${d.message}` } : d;
}

export const handler = httpApi(
  caseReviewPages,
  {
    'GET /officer/case-reviews': async () => {
      const views = await allReviews();
      const date = today();
      return staffPage('case-reviews/list.njk', { reviews: views.map(reviewRow), due: dueItems(views, date).map(dueRow) });
    },
    'GET /officer/case-reviews/{reviewId}': (request) => reviewPage(request),
    'POST /officer/case-reviews/{reviewId}/{step}': (request) => post(request),
    'GET /officer/case-reviews/{reviewId}/letters/{letter}': async ({ path }) => {
      const view = await loadReview(path.reviewId ?? '', reviewDeps);
      const kind = path.letter === 'threshold' || path.letter === 'outcome' ? path.letter : undefined;
      if (!kind) throw new NotFoundError('there is no such letter: it is threshold or outcome');
      const applicant = await getContact(view.applicantRef);
      const letter = letterOf(kind, view, { councilName: letterDeps.councilName, ...(applicant?.name ? { name: applicant.name } : {}) });
      if (!letter) throw new NotFoundError(kind === 'threshold' ? 'the application has not been assessed yet' : 'the review has not been decided yet');
      return letterPage(letter, view);
    },
  },
  { errorPage: officerErrorPage },
);
