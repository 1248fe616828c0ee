import { ReportReceived } from '#events/intake';
import { declareCapability, declareFunction } from '#shared/wiring';
import { caseWorkers } from '../cases/capability.ts';

/**
 * The officer's home page and search. A capability of its own because it reads cases, the
 * case reviews and the KPIs, and case-reviews already depends on cases: the arrows stay one-way.
 */
export const officerHome = declareFunction({
  name: 'OfficerHome',
  entry: 'functions/officer-home/pages.ts',
  description: "The officer's home page (my cases, reminders, first contacts overdue, case reviews due, KPI tiles) and search by reference, subject or postcode",
  routes: [
    { method: 'GET', path: '/officer', auth: caseWorkers, page: true },
    { method: 'GET', path: '/officer/search', auth: caseWorkers, page: true },
  ],
  // main: cases, reports, case reviews, the KPI counters, the subject and search indexes.
  tables: { main: 'read' },
});

export const searchIndexer = declareFunction({
  name: 'SearchIndexer',
  entry: 'functions/officer-home/index-reports.ts',
  description: "Indexes each received report for the officer's search: by reference, postcode (and its outward code) and the subjects it names",
  subscription: { rule: 'ReportReceivedToSearchIndex', contracts: [ReportReceived] },
  tables: { main: 'readwrite', idempotency: 'readwrite' },
});

export const officerHomeCapability = declareCapability('officer-home', [officerHome, searchIndexer]);
