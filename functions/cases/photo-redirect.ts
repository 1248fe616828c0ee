/**
 * OfficerPhotos' answer: a report's photo n, as a redirect (302) to a presigned GET on the
 * intake bucket that works for PHOTO_LINK_SECONDS. The pages link here (photo-links.ts), so
 * only this function signs, and only it is granted the bucket.
 */
import { NotFoundError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import { MAX_PHOTOS, type Photo } from '../intake/photo-records.ts';

/** How long the link a redirect gives works. */
export const PHOTO_LINK_SECONDS = 5 * 60;

export interface PhotoRedirectDeps {
  getPhotos: (reportId: string) => Promise<Photo[]>;
  /** A GET of this key in the intake bucket, signed. */
  sign: (key: string) => Promise<string>;
}

/** Signs GETs of the bucket's keys (shared/s3-presign.ts), each working `expiresIn` seconds. */
export const presignedGet =
  (presign: (bucket: string, key: string, expiresIn: number) => Promise<string>, bucket: string, expiresIn = PHOTO_LINK_SECONDS) =>
  (key: string): Promise<string> =>
    presign(bucket, key, expiresIn);

/** The photo's number as its address gives it: 1 to MAX_PHOTOS, digits only. */
const photoNumber = (text: string) => (/^[1-9]\d{0,2}$/.test(text) && Number(text) <= MAX_PHOTOS ? Number(text) : undefined);

export function buildPhotoRedirect(deps: PhotoRedirectDeps) {
  return async (reportId: string, nText: string): Promise<HttpResult> => {
    const n = photoNumber(nText);
    const photo = n === undefined || reportId === '' ? undefined : (await deps.getPhotos(reportId)).find((p) => p.n === n);
    if (!photo) throw new NotFoundError(`report ${reportId} has no photo ${nText}: a report has at most ${MAX_PHOTOS}, numbered from 1`);
    // Never cached: a cached redirect would outlive the link it points at.
    return { statusCode: 302, headers: { location: await deps.sign(photo.key), 'cache-control': 'no-store' }, body: '' };
  };
}
