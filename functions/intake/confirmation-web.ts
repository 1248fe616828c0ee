import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { redirect, type RouteHandler } from '#shared/http';
import type { RouteKeysOf } from '#shared/wiring';
import type { reportConfirmation } from './capability.ts';
import { MAX_PHOTOS, type Photo } from './photo-records.ts';
import type { buildPhotoStore } from './photos.ts';
import { confirmationPage, problemPage } from './report-views.ts';
import { isSubmissionToken, type Submission } from './submissions.ts';

export interface ConfirmationWebDeps {
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
}

const expired = () =>
  problemPage(404, 'this page has expired or its address is wrong. Your reference number was shown when you sent your report; to add photos now, quote it when you contact us');

/**
 * The page a reporter lands on after sending a form, and its photo uploads (S3 presigned POSTs
 * that come back here). A function of its own so that the form itself carries no S3 client.
 */
export function buildConfirmationWeb(deps: ConfirmationWebDeps): Record<RouteKeysOf<typeof reportConfirmation>, RouteHandler> {
  async function confirmation(event: APIGatewayProxyEventV2, submission: Submission, photoError?: { slot: number; message: string }) {
    const photos = await deps.getPhotos(submission.reportId);
    const taken = new Set(photos.map((p) => p.n));
    const slot = photoError?.slot ?? Array.from({ length: MAX_PHOTOS }, (_, i) => i + 1).find((n) => !taken.has(n));
    const back = `${deps.publicOrigin()}/confirmation/${submission.token}/photos?slot=${slot}`;
    const upload = slot === undefined ? undefined : await deps.photos.uploadForm(submission.token, slot, back);
    return confirmationPage({ submission, photos, ...(upload ? { upload } : {}), ...(photoError ? { photoError: photoError.message } : {}) });
  }

  return {
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

  };
}
