import { ReportReceived } from '#events/intake';
import { onEvents, type FunctionSpec } from './types.ts';

export const intakeFunctions: readonly FunctionSpec[] = [
  {
    name: 'ReportIntake',
    entry: 'functions/intake/receive-report.ts',
    description: 'Public report form and its pages: validates a report, puts ReportReceived, takes photos',
    triggers: [
      { kind: 'http', method: 'GET', path: '/', auth: 'public' },
      { kind: 'http', method: 'POST', path: '/reports', auth: 'public' },
      { kind: 'http', method: 'GET', path: '/confirmation/{token}', auth: 'public' },
      { kind: 'http', method: 'GET', path: '/confirmation/{token}/photos', auth: 'public' },
      { kind: 'http', method: 'GET', path: '/accessibility', auth: 'public' },
    ],
    // main: rate-limit counters, submissions and photo lists; intake: presigned photo
    // uploads, read back to check them and copied to their report's prefix.
    tables: { main: 'readwrite' },
    buckets: { intake: 'readwrite' },
    putsEvents: true,
  },
  {
    name: 'StaticAssets',
    entry: 'web/assets-function.ts',
    description: 'CSS, JavaScript and icons of the web pages, with long cache lifetimes',
    triggers: [{ kind: 'http', method: 'GET', path: '/assets/{proxy+}', auth: 'public' }],
    memoryMb: 256,
  },
  {
    name: 'ReportProjector',
    entry: 'functions/intake/project-report.ts',
    description: 'Stores each received report in the read model (idempotent on eventId)',
    triggers: [onEvents('ReportReceivedToProjector', [ReportReceived])],
    tables: { main: 'readwrite', idempotency: 'readwrite' },
  },
  {
    name: 'ReportsApi',
    entry: 'functions/intake/reports-api.ts',
    description: 'Officer reads: the triage queue and one report',
    triggers: [
      { kind: 'http', method: 'GET', path: '/reports', auth: ['officer', 'tenancy', 'admin'] },
      { kind: 'http', method: 'GET', path: '/reports/{reportId}', auth: ['officer', 'tenancy', 'admin'] },
    ],
    tables: { main: 'read' },
  },
];
