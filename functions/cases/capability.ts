import { casesContracts } from '#events/cases';
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
  tables: { main: 'readwrite' },
  putsEvents: true,
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
  tables: { main: 'read' },
  putsEvents: true,
});

export const caseProjector = declareFunction({
  name: 'CaseProjector',
  entry: 'functions/cases/project-case-events.ts',
  description: 'Projects case and enforcement events onto case summaries, timelines and the reports they triage',
  subscription: { rule: 'CaseEventsToCaseProjector', contracts: [...casesContracts, ...officerActionContracts] },
  tables: { main: 'readwrite', idempotency: 'readwrite' },
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
  // main: reports, triage claims, cases; intake: the reports' photos (short-lived links).
  tables: { main: 'readwrite' },
  buckets: { intake: 'read' },
  putsEvents: true,
});

export const caseReminders = declareFunction({
  name: 'CaseReminders',
  entry: 'functions/cases/reminders-job.ts',
  description: 'Daily: ABC reviews, passed CPW comply-by dates, expiring orders and missed contact targets; puts ReviewDue',
  schedules: [{ name: 'DailyCaseReminders', cron: 'cron(0 7 * * ? *)' }],
  tables: { main: 'read' },
  putsEvents: true,
});

export const cases = declareCapability('cases', [triageApi, casesApi, caseProjector, officerPages, caseReminders]);
