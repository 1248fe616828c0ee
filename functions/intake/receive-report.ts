import { ReportReceived } from '#events/intake';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { events } from '#shared/publisher';
import { buildNoteReport, buildSaveContact } from './contacts.ts';
import { buildTakeRateLimit } from '#shared/rate-limit';
import { reportIntake } from './capability.ts';
import { buildReportWeb } from './report-web.ts';
import { reportErrorPage } from './report-views.ts';
import { buildSaveSubmission } from './submissions.ts';

const table = setting('table');

export const handler = httpApi(
  reportIntake,
  buildReportWeb({
    saveContact: buildSaveContact(documents, table),
    noteReport: buildNoteReport(documents, table),
    publish: (detail) => events().publishOne(ReportReceived, detail),
    takeRateLimit: buildTakeRateLimit(documents, table),
    saveSubmission: buildSaveSubmission(documents, table),
  }),
  { errorPage: reportErrorPage },
);
