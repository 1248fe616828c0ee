/**
 * OfficerPhotos: `GET /officer/photos/{reportId}/{n}` answers 302 to a short-lived presigned
 * GET of the photo in the intake bucket (photo-redirect.ts); no such report or photo, the
 * "page not found" page.
 */
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { buildPresignGet } from '#shared/s3-presign';
import { buildGetReportPhotos } from '../intake/photo-records.ts';
import { officerPhotos } from './capability.ts';
import { officerErrorPage } from './officer-frame.ts';
import { buildPhotoRedirect, presignedGet } from './photo-redirect.ts';

const photoRedirect = buildPhotoRedirect({ getPhotos: buildGetReportPhotos(documents, setting('table')), sign: presignedGet(buildPresignGet(), setting('intakeBucket')) });

export const handler = httpApi(
  officerPhotos,
  { 'GET /officer/photos/{reportId}/{n}': ({ path }) => photoRedirect(path.reportId ?? '', path.n ?? '') },
  { errorPage: officerErrorPage },
);
