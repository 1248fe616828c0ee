import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { DetailInput } from '#events/contract';
import type { ReportReceived } from '#events/intake';
import { BadRequestError, detailsFromZod, TooManyRequestsError, ValidationError, type ErrorDetail } from '#shared/errors';
import { json, readBody, redirect, type HttpResult, type RouteHandler } from '#shared/http';
import type { RouteKeysOf } from '#shared/wiring';
import type { reportIntake } from './capability.ts';
import { buildPhotoStore, MAX_PHOTOS, type Photo } from './photos.ts';
import { caseReviewRight, receiveReport, type ReceivedIds } from './receive.ts';
import { site } from '../../web/site.ts';
import { councilAreaFrom, outsideArea, type CouncilArea } from './area.ts';
import { parseReportForm, reportInputSchema, type ContactInput, type FormFields, type ReportInput } from './report-input.ts';
import { accessibilityPage, confirmationPage, formPage, privacyPage, problemPage } from './report-views.ts';
import { isSubmissionToken, newSubmissionToken, type Submission } from './submissions.ts';

export interface ReportWebDeps {
  saveContact: (contact: ContactInput) => Promise<string>;
  publish: (detail: DetailInput<typeof ReportReceived>) => Promise<void>;
  takeRateLimit: (scope: string, clientIp: string) => Promise<void>;
  saveSubmission: (token: string, ids: ReceivedIds, input: ReportInput, whenText?: string) => Promise<void>;
  /** Notes each report by a person who gave contact details, to know a second one (optional: tests leave it out). */
  noteReport?: (contactRef: string) => Promise<string | undefined>;
  getSubmission: (token: string) => Promise<Submission | undefined>;
  getPhotos: (reportId: string) => Promise<Photo[]>;
  addPhoto: (reportId: string, photo: Photo) => Promise<void>;
  photos: ReturnType<typeof buildPhotoStore>;
  /**
   * The site's own public address (SC_PUBLIC_URL), for S3's redirect back after an upload.
   * Never the request's Host header: a caller chooses that, and would choose where the
   * reporter's browser is sent next.
   */
  publicOrigin: () => string;
  /** The council's area (area.ts); read from the settings when absent. */
  area?: () => CouncilArea;
}

const expired = () =>
  problemPage(404, 'this page has expired or its address is wrong. Your reference number was shown when you sent your report; to add photos now, quote it when you contact us');

/** The public report form, its POST for forms and JSON, and the confirmation page with photo uploads. */
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

  async function confirmation(event: APIGatewayProxyEventV2, submission: Submission, photoError?: { slot: number; message: string }) {
    const photos = await deps.getPhotos(submission.reportId);
    const taken = new Set(photos.map((p) => p.n));
    const slot = photoError?.slot ?? Array.from({ length: MAX_PHOTOS }, (_, i) => i + 1).find((n) => !taken.has(n));
    const back = `${deps.publicOrigin()}/confirmation/${submission.token}/photos?slot=${slot}`;
    const upload = slot === undefined ? undefined : await deps.photos.uploadForm(submission.token, slot, back);
    return confirmationPage({ submission, photos, ...(upload ? { upload } : {}), ...(photoError ? { photoError: photoError.message } : {}) });
  }

  return {
    'GET /': async () => formPage(),

    'POST /reports': async ({ event }): Promise<HttpResult> => {
      const body = readBody(event);
      return body.kind === 'form' ? await submitForm(event, body.value as FormFields) : await submitJson(event, body.value);
    },

    'GET /confirmation/{token}': async ({ event, path }) => {
      const submission = isSubmissionToken(path.token) ? await deps.getSubmission(path.token) : undefined;
      return submission ? confirmation(event, submission) : expired();
    },

    /** S3 sends the browser here (303) after an upload; the photo is checked before the report refers to it. */
    'GET /confirmation/{token}/photos': async ({ event, path, query }) => {
      const submission = isSubmissionToken(path.token) ? await deps.getSubmission(path.token) : undefined;
      if (!submission) return expired();
      const slot = Number(query.slot);
      if (!Number.isInteger(slot) || slot < 1 || slot > MAX_PHOTOS) return problemPage(400, 'this upload address is not one we gave out; go back to the confirmation page and upload the photo again');
      const photos = await deps.getPhotos(submission.reportId);
      if (!photos.some((p) => p.n === slot)) {
        const check = await deps.photos.accept(submission.token, slot, submission.reportId);
        if (!check.ok) return confirmation(event, submission, { slot, message: check.message });
        await deps.addPhoto(submission.reportId, check.photo);
      }
      return redirect(`/confirmation/${submission.token}`);
    },

    'GET /accessibility': async () => accessibilityPage(),

    'GET /privacy': async () => privacyPage(),
  };
}
