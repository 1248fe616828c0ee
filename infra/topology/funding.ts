import { FundingAllocated, FundingCommitted, FundingSpendReversed, FundingSpent } from '#events/funding';
import { onEvents, type FunctionSpec, type Role } from './types.ts';

const readers: readonly Role[] = ['officer', 'finance', 'admin'];
const writers: readonly Role[] = ['finance', 'admin'];
const ledger = '/funding/{stream}/{financialYear}';

export const fundingFunctions: readonly FunctionSpec[] = [
  {
    name: 'FundingQueries',
    entry: 'functions/funding/queries-api.ts',
    description: 'Funding reads: streams and years, and one ledger balance (JSON or CSV)',
    triggers: [
      { kind: 'http', method: 'GET', path: '/funding', auth: readers },
      { kind: 'http', method: 'GET', path: ledger, auth: readers },
    ],
    tables: { main: 'read' },
  },
  {
    name: 'FundingCommands',
    entry: 'functions/funding/commands-api.ts',
    description: 'Finance writes: allocations, commitments, spends and reversals, each emitted as its funding event',
    triggers: [
      { kind: 'http', method: 'POST', path: `${ledger}/allocations`, auth: writers },
      { kind: 'http', method: 'POST', path: `${ledger}/commitments`, auth: writers },
      { kind: 'http', method: 'POST', path: `${ledger}/spends`, auth: writers },
      { kind: 'http', method: 'POST', path: `${ledger}/spends/{eventId}/reversal`, auth: writers },
    ],
    tables: { main: 'read' },
    putsEvents: true,
  },
  {
    name: 'FundingPages',
    entry: 'functions/funding/pages.ts',
    description: 'Finance pages: every stream and year, and one year with its balance table and spend chart',
    triggers: [
      { kind: 'http', method: 'GET', path: '/finance/funding', auth: readers },
      { kind: 'http', method: 'GET', path: '/finance/funding/{stream}/{financialYear}', auth: readers },
    ],
    tables: { main: 'read' },
  },
  {
    name: 'FundingLedger',
    entry: 'functions/funding/project-ledger.ts',
    description: 'Applies funding events to the stream-year ledger item (idempotent, order-independent); flags overspends',
    triggers: [onEvents('FundingEventsToLedger', [FundingAllocated, FundingCommitted, FundingSpent, FundingSpendReversed])],
    tables: { main: 'readwrite', idempotency: 'readwrite' },
    putsEvents: true,
  },
  {
    name: 'FundingYearEnd',
    entry: 'functions/funding/year-end.ts',
    description: 'On 1 April closes the year just ended for each stream and emits FundingYearClosed',
    triggers: [{ kind: 'schedule', name: 'FundingYearEnd', cron: 'cron(5 0 1 4 ? *)' }],
    tables: { main: 'readwrite' },
    putsEvents: true,
  },
];
