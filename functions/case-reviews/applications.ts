import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { principalFromClaims, type Principal } from '#shared/auth';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { BadRequestError, detailsFromZod, ForbiddenError, TooManyRequestsError, UnauthorizedError, ValidationError, type ErrorDetail } from '#shared/errors';
import { header, httpApi, json, readBody, redirect, type HttpResult } from '#shared/http';
import { verifyBearer } from '#shared/token';
import { londonDateOf } from '#shared/london-time';
import { buildTakeRateLimit } from '#shared/rate-limit';
import type { FormFields } from '../intake/report-input.ts';
import { caseReviewApplications, recorders } from './capability.ts';
import { applyForCaseReview } from './commands.ts';
import { reviewDeps, saveContact } from './deps.ts';
import { buildReadFigures, figuresRange } from './figures.ts';
import { applicationSchema, isCaseReviewReference, parseApplicationForm, type ApplicationInput } from './input.ts';
import { applicationPage, figuresPage, publicErrorPage, sentPage, toFormPaths } from './views.ts';
import { formErrors } from '../../web/forms.ts';

const readFigures = buildReadFigures(documents, setting('table'));
const takeRateLimit = buildTakeRateLimit(documents, setting('table'));
const applyDeps = { ...reviewDeps, saveContact };

const isRecorder = (p: Principal) => p.roles.some((r) => recorders.includes(r));

/**
 * Who sends a JSON application: the public (no token), or council staff recording it for
 * someone (a bearer token; this route has no authorizer in front of it, so it is checked here).
 */
async function senderOf(event: APIGatewayProxyEventV2, gateway: Principal | undefined) {
  const bearer = /^Bearer\s+(.+)$/i.exec(header(event, 'authorization') ?? '')?.[1];
  if (!bearer) return undefined;
  const principal = gateway ?? principalFromClaims(await verifyBearer(bearer));
  if (!principal) throw new UnauthorizedError('the bearer token is not valid: send the application without one to apply yourself');
  if (!isRecorder(principal)) {
    throw new ForbiddenError('only council officers may record an application for someone else: send it without a token to apply yourself', undefined, { needs: recorders });
  }
  return principal;
}

/** The form's fields checked as JSON would be, with the errors in the form's own terms. */
function checkForm(fields: FormFields): { input?: ApplicationInput; details: ErrorDetail[] } {
  if ((fields.website ?? '') !== '') {
    throw new BadRequestError('the form could not be sent because a hidden field was filled in, which happens when a program fills in forms; go back to the form and send it again');
  }
  const { input, issues, slots } = parseApplicationForm(fields);
  const parsed = applicationSchema.safeParse(input);
  const formPaths = new Set(issues.map((i) => i.path));
  const details = toFormPaths([...issues, ...(parsed.success ? [] : detailsFromZod(parsed.error.issues).filter((d) => !formPaths.has(d.path)))], slots);
  return details.length || !parsed.success ? { details } : { input: parsed.data, details: [] };
}

export const handler = httpApi(
  caseReviewApplications,
  {
    'GET /case-reviews/apply': async () => applicationPage(),

    'POST /case-reviews': async ({ event, principal }): Promise<HttpResult> => {
      const body = readBody(event);
      if (body.kind === 'form') {
        const fields = body.value as FormFields;
        const { input, details } = checkForm(fields);
        if (!input) return applicationPage(fields, details);
        try {
          await takeRateLimit('case-reviews', event.requestContext.http.sourceIp);
        } catch (error) {
          // The person keeps what they typed, and is given the council's telephone number.
          if (error instanceof TooManyRequestsError) return applicationPage(fields, [], { rateLimitedSeconds: error.retryAfterSeconds });
          throw error;
        }
        const { reference } = await applyForCaseReview(input, 'webform', { kind: 'public' }, applyDeps);
        return redirect(`/case-reviews/apply/sent/${reference}`);
      }
      const sender = await senderOf(event, principal);
      const parsed = applicationSchema.safeParse(body.value);
      if (!parsed.success) throw new ValidationError('the application could not be accepted: correct the fields listed', detailsFromZod(parsed.error.issues));
      // Staff recording applications for people are not limited; the public is, per connection.
      if (!sender) await takeRateLimit('case-reviews', event.requestContext.http.sourceIp);
      const result = await applyForCaseReview(parsed.data, sender ? 'officer' : 'api', sender ? { kind: 'officer', id: sender.subject } : { kind: 'public' }, applyDeps);
      return json(202, result);
    },

    'GET /case-reviews/apply/sent/{reference}': async ({ path }) => {
      if (!isCaseReviewReference(path.reference)) throw new BadRequestError('this is not a case review reference; it looks like CR-1234-ABCD');
      return sentPage(path.reference);
    },

    /** JSON for scripts; the page for a browser (the council links to it from its website). */
    'GET /case-reviews/figures': async ({ event, query }) => {
      const wantsHtml = query.format !== 'json' && (header(event, 'accept') ?? '').includes('text/html');
      const today = londonDateOf(new Date());
      if (!wantsHtml) return json(200, await readFigures(figuresRange(query, today)), { 'cache-control': 'public, max-age=300' });
      const values = { from: query.from ?? '', to: query.to ?? '' };
      try {
        return figuresPage(await readFigures(figuresRange(query, today)), values);
      } catch (error) {
        if (!(error instanceof BadRequestError)) throw error;
        const details = error.details?.length ? [...error.details] : [{ path: 'from', message: error.message }];
        return figuresPage(undefined, values, formErrors(details, { from: 'from', to: 'to' }, 'from'), 400);
      }
    },

    'GET /officer/case-reviews/new': async () => applicationPage({}, [], { officer: true }),

    'POST /officer/case-reviews/new': async ({ event, principal }) => {
      const fields = readBody(event).value as FormFields;
      const { input, details } = checkForm(fields);
      if (!input) return applicationPage(fields, details, { officer: true });
      const { reference, reviewId } = await applyForCaseReview(input, 'officer', { kind: 'officer', id: principal?.subject ?? 'officer' }, applyDeps);
      return sentPage(reference, true, reviewId);
    },
  },
  { errorPage: publicErrorPage },
);
