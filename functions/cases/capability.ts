import { ReviewDue } from '#events/reminders';
import { CaseAssigned, CaseClosed, CaseOpened, CaseShared, ReportLinked, ReportReferred, casesContracts } from '#events/cases';
import { officerActionContracts } from '#events/enforcement';
import { declareCapability, declareFunction, type Role } from '#shared/wiring';

/** Council staff who work cases; Tenancy Services only on their own (checked in the handlers). */
export const caseWorkers: readonly Role[] = ['officer', 'tenancy', 'admin'];
/** Everyone who may see some case: partners see only those shared with their organisation. */
export const caseReaders: readonly Role[] = ['officer', 'tenancy', 'partner', 'admin'];

export const triageApi = declareFunction({
  name: 'TriageApi',
  entry: 'functions/cases/triage-api.ts',
  description: 'Triage: open a case for a report, link it to an open case, or refer it on',
  routes: [{ method: 'POST', path: '/reports/{reportId}/triage', auth: caseWorkers }],
  tables: { main: { access: 'readwrite', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS'] } },
  emits: [CaseOpened, ReportLinked, ReportReferred],
});

export const casesApi = declareFunction({
  name: 'CasesApi',
  entry: 'functions/cases/cases-api.ts',
  description: 'Cases and their timelines, what is due, closing, sharing and assigning a case',
  routes: [
    { method: 'GET', path: '/cases', auth: caseReaders },
    { method: 'GET', path: '/cases/due', auth: caseWorkers },
    { method: 'GET', path: '/cases/{caseId}', auth: caseReaders },
    { method: 'POST', path: '/cases/{caseId}/close', auth: caseWorkers },
    { method: 'POST', path: '/cases/{caseId}/share', auth: caseWorkers },
    { method: 'POST', path: '/cases/{caseId}/assign', auth: caseWorkers },
  ],
  tables: { main: { access: 'read', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS'] } },
  emits: [CaseClosed, CaseShared, CaseAssigned],
});

export const caseProjector = declareFunction({
  name: 'CaseProjector',
  entry: 'functions/cases/project-case-events.ts',
  description: 'Projects case and enforcement events onto case summaries, timelines and the reports they triage',
  subscription: { rule: 'CaseEventsToCaseProjector', contracts: [...casesContracts, ...officerActionContracts] },
  tables: { main: { access: 'readwrite', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS'] }, idempotency: 'readwrite' },
});

export const officerPages = declareFunction({
  name: 'OfficerPages',
  entry: 'functions/cases/pages.ts',
  description: 'Officer pages: the triage queue with photos and likely duplicates grouped, triaging a report (and its duplicates), the case list',
  routes: [
    { method: 'GET', path: '/officer/triage', auth: caseWorkers, page: true },
    { method: 'GET', path: '/officer/triage/{reportId}', auth: caseWorkers, page: true },
    { method: 'POST', path: '/officer/triage/{reportId}', auth: caseWorkers, page: true },
    { method: 'GET', path: '/officer/cases', auth: caseWorkers, page: true },
  ],
  // main: reports (and which photos they have), triage claims, cases. The photos themselves
  // are OfficerPhotos': no bucket here.
  tables: { main: { access: 'readwrite', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS'] } },
  emits: [CaseOpened, ReportLinked, ReportReferred],
});

/**
 * The photos on the triage and case pages: each page links a photo here, and this answers
 * with a short-lived presigned GET on the intake bucket, so the page functions need neither
 * the bucket nor the S3 client. The same roles as the pages that show photos.
 */
export const officerPhotos = declareFunction({
  name: 'OfficerPhotos',
  entry: 'functions/cases/photos.ts',
  description: "A report's photo for the officer pages: a redirect to a short-lived presigned GET on the intake bucket",
  routes: [{ method: 'GET', path: '/officer/photos/{reportId}/{n}', auth: caseWorkers, page: true }],
  // main: the report's photo list only; intake: the photos, read.
  tables: { main: { access: 'read', prefixes: ['REPORT'] } },
  buckets: { intake: 'read' },
});

export const caseReminders = declareFunction({
  name: 'CaseReminders',
  entry: 'functions/cases/reminders-job.ts',
  description: 'Daily: ABC reviews, passed CPW comply-by dates, expiring orders and missed contact targets; puts ReviewDue',
  schedules: [{ name: 'DailyCaseReminders', cron: 'cron(0 7 * * ? *)' }],
  tables: { main: { access: 'read', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS'] } },
  emits: [ReviewDue],
});

export const cases = declareCapability('cases', [triageApi, casesApi, caseProjector, officerPages, officerPhotos, caseReminders]);
