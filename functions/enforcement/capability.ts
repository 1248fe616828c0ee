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

export const actionForm = declareFunction({
  name: 'ActionForm',
  entry: 'functions/enforcement/action-page.ts',
  description: "The case page's action form: records the action, or shows the case page again with what to correct",
  routes: [{ method: 'POST', path: '/officer/cases/{caseId}/actions', auth: caseWorkers, page: true }],
  tables: { main: { access: 'read', prefixes: ['CASE', 'CASES', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS', 'SUBJECT'] } },
  emits: [...officerActionContracts],
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

export const enforcement = declareCapability('enforcement', [actionsApi, actionForm, subjectIndexer]);
