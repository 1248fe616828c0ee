import { ReportReceived } from '#events/intake';
import { declareCapability, declareFunction } from '#shared/wiring';

export const reportIntake = declareFunction({
  name: 'ReportIntake',
  entry: 'functions/intake/receive-report.ts',
  description: 'Public report form and its pages: validates a report, puts ReportReceived',
  routes: [
    { method: 'GET', path: '/', auth: 'public', page: true },
    // A form post answers with pages; a JSON post with JSON (the stack follows the request).
    { method: 'POST', path: '/reports', auth: 'public', page: true },
    { method: 'GET', path: '/accessibility', auth: 'public', page: true },
    { method: 'GET', path: '/privacy', auth: 'public', page: true },
  ],
  // main: rate-limit counters, the contact vault and the submissions the confirmation page reads.
  tables: { main: 'readwrite' },
  putsEvents: true,
});

export const reportConfirmation = declareFunction({
  name: 'ReportConfirmation',
  entry: 'functions/intake/confirmation.ts',
  description: 'The page after a report is sent, and its photo uploads (presigned S3 POSTs, checked when S3 sends the browser back)',
  routes: [
    { method: 'GET', path: '/confirmation/{token}', auth: 'public', page: true },
    { method: 'GET', path: '/confirmation/{token}/photos', auth: 'public', page: true },
  ],
  // main: submissions and photo lists; intake: presigned photo uploads, read back to check
  // them and copied to their report's prefix.
  tables: { main: 'readwrite' },
  buckets: { intake: 'readwrite' },
});

export const reportProjector = declareFunction({
  name: 'ReportProjector',
  entry: 'functions/intake/project-report.ts',
  description: 'Stores each received report in the read model (idempotent on eventId)',
  subscription: { rule: 'ReportReceivedToProjector', contracts: [ReportReceived] },
  tables: { main: 'readwrite', idempotency: 'readwrite' },
});

export const reportsApi = declareFunction({
  name: 'ReportsApi',
  entry: 'functions/intake/reports-api.ts',
  description: 'Officer reads: the triage queue and one report',
  routes: [
    { method: 'GET', path: '/reports', auth: ['officer', 'tenancy', 'admin'] },
    { method: 'GET', path: '/reports/{reportId}', auth: ['officer', 'tenancy', 'admin'] },
  ],
  tables: { main: 'read' },
});

export const intake = declareCapability('intake', [reportIntake, reportConfirmation, reportProjector, reportsApi]);
