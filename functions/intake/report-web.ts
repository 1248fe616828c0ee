import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { DetailInput } from '#events/contract';
import type { ReportReceived } from '#events/intake';
import { BadRequestError, detailsFromZod, TooManyRequestsError, ValidationError, type ErrorDetail } from '#shared/errors';
import { json, readBody, redirect, type HttpResult, type RouteHandler } from '#shared/http';
import type { RateLimitScope } from '#shared/rate-limit';
import type { RouteKeysOf } from '#shared/wiring';
import type { reportIntake } from './capability.ts';
import { caseReviewRight, receiveReport, type ReceivedIds } from './receive.ts';
import { site } from '../../web/site.ts';
import { councilAreaFrom, outsideArea, type CouncilArea } from './area.ts';
import { parseReportForm, reportInputSchema, type ContactInput, type FormFields, type ReportInput } from './report-input.ts';
import { accessibilityPage, formPage, privacyPage } from './report-views.ts';
import { newSubmissionToken } from './submissions.ts';

export interface ReportWebDeps {
  saveContact: (contact: ContactInput) => Promise<string>;
  publish: (detail: DetailInput<typeof ReportReceived>) => Promise<void>;
  takeRateLimit: (scope: RateLimitScope, clientIp: string) => Promise<void>;
  saveSubmission: (token: string, ids: ReceivedIds, input: ReportInput, whenText?: string) => Promise<void>;
  /** Notes each report by a person who gave contact details, to know a second one (optional: tests leave it out). */
  noteReport?: (contactRef: string) => Promise<string | undefined>;
  /** The council's area (area.ts); read from the settings when absent. */
  area?: () => CouncilArea;
}

/** The public report form, its POST for forms and JSON, and the site's public information pages. */
export function buildReportWeb(deps: ReportWebDeps): Record<RouteKeysOf<typeof reportIntake>, RouteHandler> {
  const area = deps.area ?? (() => councilAreaFrom());
  const outside = (input: ReportInput) => outsideArea(input.location, area(), site.councilName);
  const receive = (input: ReportInput, beforePublish?: (ids: ReceivedIds) => Promise<void>) =>
    receiveReport(input, 'webform', {
      saveContact: deps.saveContact,
      publish: deps.publish,
      ...(deps.noteReport ? { noteReport: deps.noteReport } : {}),
      ...(beforePublish ? { beforePublish } : {}),
    });

  async function submitForm(event: APIGatewayProxyEventV2, fields: FormFields): Promise<HttpResult> {
    if ((fields.website ?? '') !== '') {
      throw new BadRequestError('the form could not be sent because a hidden field was filled in, which happens when a program fills in forms; go back to the form and send it again');
    }
    const { input, issues, whenText } = parseReportForm(fields);
    const parsed = reportInputSchema.safeParse(input);
    const formPaths = new Set(issues.map((i) => i.path.split('.')[0]));
    const details: ErrorDetail[] = [
      ...issues,
      ...(parsed.success ? outside(parsed.data) : detailsFromZod(parsed.error.issues).filter((d) => !(d.path === 'occurredAt' && (formPaths.has('when') || formPaths.has('when-time'))))),
    ];
    if (details.length || !parsed.success) return formPage(fields, details);
    try {
      await deps.takeRateLimit('reports', event.requestContext.http.sourceIp);
    } catch (error) {
      // The person keeps what they typed, and is given another way to tell us.
      if (error instanceof TooManyRequestsError) return formPage(fields, [], { rateLimitedSeconds: error.retryAfterSeconds });
      throw error;
    }
    const token = newSubmissionToken();
    await receive(parsed.data, (ids) => deps.saveSubmission(token, ids, parsed.data, whenText));
    return redirect(`/confirmation/${token}`);
  }

  async function submitJson(event: APIGatewayProxyEventV2, body: unknown): Promise<HttpResult> {
    const parsed = reportInputSchema.safeParse(body);
    if (!parsed.success) {
      throw new ValidationError('the report could not be accepted: correct the fields listed', detailsFromZod(parsed.error.issues));
    }
    const away = outside(parsed.data);
    if (away.length) throw new ValidationError(`the place is outside ${site.councilName}’s area: we can only deal with reports in our area`, away);
    await deps.takeRateLimit('reports', event.requestContext.http.sourceIp);
    const { reportId, reference, caseReviewNotice } = await receive(parsed.data);
    return json(202, { reportId, reference, ...(caseReviewNotice ? { caseReview: { message: caseReviewRight.text, href: caseReviewRight.href } } : {}) });
  }

  return {
    'GET /': async () => formPage(),

    'POST /reports': async ({ event }): Promise<HttpResult> => {
      const body = readBody(event);
      return body.kind === 'form' ? await submitForm(event, body.value as FormFields) : await submitJson(event, body.value);
    },

    'GET /accessibility': async () => accessibilityPage(),

    'GET /privacy': async () => privacyPage(),
  };
}
