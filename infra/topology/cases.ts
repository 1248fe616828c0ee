import { casesContracts } from '#events/cases';
import { enforcementContracts } from '#events/enforcement';
import { onEvents, type FunctionSpec, type Role } from './types.ts';

/** Council staff who work cases; Tenancy Services only on their own (checked in the handlers). */
const caseWorkers: readonly Role[] = ['officer', 'tenancy', 'admin'];
/** Everyone who may see some case: partners see only those shared with their organisation. */
const caseReaders: readonly Role[] = ['officer', 'tenancy', 'partner', 'admin'];

export const casesFunctions: readonly FunctionSpec[] = [
  {
    name: 'TriageApi',
    entry: 'functions/cases/triage-api.ts',
    description: 'Triage: open a case for a report, link it to an open case, or refer it on',
    triggers: [{ kind: 'http', method: 'POST', path: '/reports/{reportId}/triage', auth: caseWorkers }],
    tables: { main: 'readwrite' },
    putsEvents: true,
  },
  {
    name: 'CasesApi',
    entry: 'functions/cases/cases-api.ts',
    description: 'Cases and their timelines, what is due, closing and sharing a case',
    triggers: [
      { kind: 'http', method: 'GET', path: '/cases', auth: caseReaders },
      { kind: 'http', method: 'GET', path: '/cases/due', auth: caseWorkers },
      { kind: 'http', method: 'GET', path: '/cases/{caseId}', auth: caseReaders },
      { kind: 'http', method: 'POST', path: '/cases/{caseId}/close', auth: caseWorkers },
      { kind: 'http', method: 'POST', path: '/cases/{caseId}/share', auth: caseWorkers },
    ],
    tables: { main: 'read' },
    putsEvents: true,
  },
  {
    name: 'ActionsApi',
    entry: 'functions/enforcement/actions-api.ts',
    description: 'Records an officer action, on a case or not, after checking the rules of the incremental approach',
    triggers: [
      { kind: 'http', method: 'POST', path: '/cases/{caseId}/actions', auth: caseWorkers },
      { kind: 'http', method: 'POST', path: '/actions', auth: ['officer', 'admin'] },
    ],
    tables: { main: 'read' },
    putsEvents: true,
  },
  {
    name: 'CaseProjector',
    entry: 'functions/cases/project-case-events.ts',
    description: 'Projects case and enforcement events onto case summaries, timelines and the reports they triage',
    triggers: [onEvents('CaseEventsToCaseProjector', [...casesContracts, ...enforcementContracts])],
    tables: { main: 'readwrite', idempotency: 'readwrite' },
  },
  {
    name: 'OfficerPages',
    entry: 'functions/cases/pages.ts',
    description: 'Officer pages: the triage queue, the case list, a case with its timeline and the action form',
    triggers: [
      { kind: 'http', method: 'GET', path: '/officer/triage', auth: caseWorkers },
      { kind: 'http', method: 'GET', path: '/officer/triage/{reportId}', auth: caseWorkers },
      { kind: 'http', method: 'POST', path: '/officer/triage/{reportId}', auth: caseWorkers },
      { kind: 'http', method: 'GET', path: '/officer/cases', auth: caseWorkers },
      { kind: 'http', method: 'GET', path: '/officer/cases/{caseId}', auth: caseWorkers },
      { kind: 'http', method: 'POST', path: '/officer/cases/{caseId}/actions', auth: caseWorkers },
    ],
    tables: { main: 'readwrite' },
    putsEvents: true,
  },
  {
    name: 'CaseReminders',
    entry: 'functions/cases/reminders-job.ts',
    description: 'Daily: ABC reviews, passed CPW comply-by dates, expiring orders and missed contact targets; puts ReviewDue',
    triggers: [{ kind: 'schedule', name: 'DailyCaseReminders', cron: 'cron(0 7 * * ? *)' }],
    tables: { main: 'read' },
    putsEvents: true,
  },
];
