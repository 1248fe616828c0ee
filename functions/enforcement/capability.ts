import { CaseAssigned, CaseClosed, CaseShared } from '#events/cases';
import { ClosureNoticeExtended, ClosureNoticeServed, CpnAppealDetermined, CpnAppealLodged, FixedPenaltyIssued, NoticeServed, WarningIssued, officerActionContracts } from '#events/enforcement';
import { declareCapability, declareFunction } from '#shared/wiring';
import { caseWorkers } from '../cases/capability.ts';

export const actionsApi = declareFunction({
  name: 'ActionsApi',
  entry: 'functions/enforcement/actions-api.ts',
  description: 'Records an officer action, on a case or not, after checking the rules of the incremental approach',
  routes: [
    { method: 'POST', path: '/cases/{caseId}/actions', auth: caseWorkers },
    { method: 'POST', path: '/actions', auth: ['officer', 'admin'] },
  ],
  tables: { main: { access: 'read', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS', 'SUBJECT'] } },
  emits: [...officerActionContracts],
});

/**
 * The case page lives here, not in cases: its "what can be done next" panel is read from the
 * ladder rules, and enforcement depends on cases, never the reverse.
 */
export const casePage = declareFunction({
  name: 'CasePage',
  entry: 'functions/enforcement/case-page.ts',
  description: 'The case page: reports with photos, what can be done next, the timeline; records an action, closes, shares or assigns the case',
  routes: [
    { method: 'GET', path: '/officer/cases/{caseId}', auth: caseWorkers, page: true },
    { method: 'POST', path: '/officer/cases/{caseId}/actions', auth: caseWorkers, page: true },
    { method: 'POST', path: '/officer/cases/{caseId}/close', auth: caseWorkers, page: true },
    { method: 'POST', path: '/officer/cases/{caseId}/share', auth: caseWorkers, page: true },
    { method: 'POST', path: '/officer/cases/{caseId}/assign', auth: caseWorkers, page: true },
  ],
  // main: the case, its reports and which photos they have, the subject index. The photos
  // themselves are OfficerPhotos' (functions/cases/capability.ts): no bucket here.
  tables: { main: { access: 'read', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS', 'SUBJECT'] } },
  emits: [...officerActionContracts, CaseClosed, CaseShared, CaseAssigned],
});

/** The actions the subject rules read (functions/enforcement/ladder.ts), indexed by their subject. */
export const subjectIndexedContracts = [WarningIssued, NoticeServed, FixedPenaltyIssued, CpnAppealLodged, CpnAppealDetermined, ClosureNoticeServed, ClosureNoticeExtended] as const;

export const subjectIndexer = declareFunction({
  name: 'SubjectIndexer',
  entry: 'functions/enforcement/index-subject-actions.ts',
  description: 'Keeps the subject index: warnings, notices, penalties, appeals and closure notices by the person, body or premises they concern, across cases',
  subscription: { rule: 'EnforcementToSubjectIndex', contracts: subjectIndexedContracts },
  tables: { main: { access: 'readwrite', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'SUBJECT'] }, idempotency: 'readwrite' },
});

export const enforcement = declareCapability('enforcement', [actionsApi, casePage, subjectIndexer]);
