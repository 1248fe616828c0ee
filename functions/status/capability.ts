import { CaseClosed, CaseOpened, ReportLinked, ReportReferred } from '#events/cases';
import { officerActionContracts } from '#events/enforcement';
import { ReportReceived } from '#events/intake';
import { declareCapability, declareFunction } from '#shared/wiring';

/**
 * The public's view of a report's progress (docs/status.md): a projection keyed by reference,
 * the page that shows it, and the messages to reporters who asked to hear.
 */
export const statusProjector = declareFunction({
  name: 'StatusProjector',
  entry: 'functions/status/project.ts',
  description: 'Keeps each report’s public progress by reference (received, its case opened or joined, referred, actions by kind, closed) and tells reporters who agreed to be contacted',
  subscription: { rule: 'ReportProgressToStatus', contracts: [ReportReceived, CaseOpened, ReportLinked, ReportReferred, CaseClosed, ...officerActionContracts] },
  // main: the progress items, the contact vault (read) and the message claims.
  tables: { main: 'readwrite', idempotency: 'readwrite' },
  // The acknowledgements and updates go out through GOV.UK Notify on AWS (functions/notifications).
  secrets: ['notify'],
  // A case closed with many reports sends a message to each of their reporters.
  timeoutSeconds: 30,
});

export const statusPage = declareFunction({
  name: 'StatusPage',
  entry: 'functions/status/status-page.ts',
  description: 'A report’s progress by its reference, for anyone who holds it: HTML, or JSON for Accept: application/json; no personal data',
  routes: [
    { method: 'GET', path: '/status', auth: 'public', page: true },
    { method: 'GET', path: '/status/{reference}', auth: 'public', page: true },
  ],
  tables: { main: 'read' },
});

export const status = declareCapability('status', [statusProjector, statusPage]);
