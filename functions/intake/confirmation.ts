import { documents, s3 } from '#shared/clients';
import { publicUrl, setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { reportConfirmation } from './capability.ts';
import { buildConfirmationWeb } from './confirmation-web.ts';
import { buildGetReportPhotos } from './photo-records.ts';
import { buildAddReportPhoto, buildPhotoStore } from './photos.ts';
import { reportErrorPage } from './report-views.ts';
import { buildGetSubmission } from './submissions.ts';

const table = setting('table');

export const handler = httpApi(
  reportConfirmation,
  buildConfirmationWeb({
    getSubmission: buildGetSubmission(documents, table),
    getPhotos: buildGetReportPhotos(documents, table),
    addPhoto: buildAddReportPhoto(documents, table),
    photos: buildPhotoStore({ s3, bucket: setting('intakeBucket') }),
    publicOrigin: publicUrl,
  }),
  { errorPage: reportErrorPage },
);
