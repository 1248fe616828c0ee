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
  tables: { main: 'read' },
  putsEvents: true,
});

export const actionForm = declareFunction({
  name: 'ActionForm',
  entry: 'functions/enforcement/action-page.ts',
  description: "The case page's action form: records the action, or shows the case page again with what to correct",
  routes: [{ method: 'POST', path: '/officer/cases/{caseId}/actions', auth: caseWorkers, page: true }],
  tables: { main: 'read' },
  putsEvents: true,
});

export const enforcement = declareCapability('enforcement', [actionsApi, actionForm]);
