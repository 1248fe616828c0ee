import { ReportReceived } from '#events/intake';
import { onEvents, type FunctionSpec } from './types.ts';

export const intakeFunctions: readonly FunctionSpec[] = [
  {
    name: 'ReportIntake',
    entry: 'functions/intake/receive-report.ts',
    description: 'Public report form: validates a report and puts ReportReceived',
    triggers: [{ kind: 'http', method: 'POST', path: '/reports', auth: 'public' }],
    tables: { main: 'write' },
    putsEvents: true,
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
