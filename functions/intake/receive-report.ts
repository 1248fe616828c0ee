import { ReportReceived } from '#events/intake';
import { documents, s3 } from '#shared/clients';
import { publicUrl, setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { events } from '#shared/publisher';
import { buildNoteReport, buildSaveContact } from './contacts.ts';
import { buildAddReportPhoto, buildGetReportPhotos, buildPhotoStore } from './photos.ts';
import { buildTakeRateLimit } from './rate-limit.ts';
import { reportIntake } from './capability.ts';
import { buildReportWeb } from './report-web.ts';
import { reportErrorPage } from './report-views.ts';
import { buildGetSubmission, buildSaveSubmission } from './submissions.ts';

const table = setting('table');

export const handler = httpApi(
  reportIntake,
  buildReportWeb({
    saveContact: buildSaveContact(documents, table),
    noteReport: buildNoteReport(documents, table),
    publish: (detail) => events().publishOne(ReportReceived, detail),
    takeRateLimit: buildTakeRateLimit(documents, table),
    saveSubmission: buildSaveSubmission(documents, table),
    getSubmission: buildGetSubmission(documents, table),
    getPhotos: buildGetReportPhotos(documents, table),
    addPhoto: buildAddReportPhoto(documents, table),
    photos: buildPhotoStore({
      s3,
      bucket: setting('intakeBucket'),
    }),
    publicOrigin: publicUrl,
  }),
  { errorPage: reportErrorPage },
);
