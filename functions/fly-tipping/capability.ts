import { CaseOpened, ReportLinked } from '#events/cases';
import { enforcementContracts } from '#events/enforcement';
import { FlyTipDetailsRecorded } from '#events/fly-tipping';
import { ReportReceived } from '#events/intake';
import { declareCapability, declareFunction, type Role } from '#shared/wiring';

/** Who records fly-tipping details and files the return. */
export const wdfStaff: readonly Role[] = ['officer', 'admin'];

export const flyTipProjector = declareFunction({
  name: 'FlyTipProjector',
  entry: 'functions/fly-tipping/project-fly-tips.ts',
  description: 'Keeps fly-tipping incidents (reporter and officer details), the reports of each case and the actions WasteDataFlow counts',
  subscription: {
    rule: 'FlyTipEventsToProjector',
    contracts: [ReportReceived, FlyTipDetailsRecorded, CaseOpened, ReportLinked, ...enforcementContracts],
  },
  tables: { main: { access: 'readwrite', prefixes: ['FLYTIP'] }, idempotency: 'readwrite' },
});

export const flyTipApi = declareFunction({
  name: 'FlyTipApi',
  entry: 'functions/fly-tipping/fly-tip-api.ts',
  description: "An officer records or corrects a report's WasteDataFlow details; the quarterly fly-tipping return as CSV or JSON",
  routes: [
    { method: 'GET', path: '/reports/{reportId}/fly-tip', auth: wdfStaff },
    { method: 'POST', path: '/reports/{reportId}/fly-tip', auth: wdfStaff },
    { method: 'GET', path: '/fly-tipping/returns', auth: wdfStaff },
  ],
  tables: { main: { access: 'read', prefixes: ['FLYTIP', 'REPORT', 'REPORTS'] } },
  emits: [FlyTipDetailsRecorded],
});

export const flyTipping = declareCapability('fly-tipping', [flyTipProjector, flyTipApi]);
