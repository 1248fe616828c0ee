import { FundingAllocated, FundingCommitted, FundingOverspent, FundingProfileSet, FundingSpendReversed, FundingSpent, FundingStreamOpened, FundingYearClosed } from '#events/funding';
import { declareCapability, declareFunction, type Role } from '#shared/wiring';

const readers: readonly Role[] = ['officer', 'finance', 'admin'];
const writers: readonly Role[] = ['finance', 'admin'];

export const fundingQueries = declareFunction({
  name: 'FundingQueries',
  entry: 'functions/funding/queries-api.ts',
  description: 'Funding reads: streams and years, and one ledger balance (JSON or CSV)',
  routes: [
    { method: 'GET', path: '/funding', auth: readers },
    { method: 'GET', path: '/funding/{stream}/{financialYear}', auth: readers },
  ],
  tables: { main: { access: 'read', prefixes: ['FUNDING', 'FUNDING-STREAMS'] } },
});

export const fundingCommands = declareFunction({
  name: 'FundingCommands',
  entry: 'functions/funding/commands-api.ts',
  description: 'Finance writes: allocations, commitments, spends and reversals, each emitted as its funding event',
  routes: [
    { method: 'POST', path: '/funding/{stream}/{financialYear}/allocations', auth: writers },
    { method: 'POST', path: '/funding/{stream}/{financialYear}/commitments', auth: writers },
    { method: 'POST', path: '/funding/{stream}/{financialYear}/spends', auth: writers },
    { method: 'POST', path: '/funding/{stream}/{financialYear}/spends/{eventId}/reversal', auth: writers },
  ],
  tables: { main: { access: 'read', prefixes: ['FUNDING', 'FUNDING-STREAMS'] } },
  emits: [FundingAllocated, FundingCommitted, FundingSpent, FundingSpendReversed],
});

export const fundingPages = declareFunction({
  name: 'FundingPages',
  entry: 'functions/funding/pages.ts',
  description: 'Finance pages: every stream and year, and one year with its balance table and spend chart',
  routes: [
    { method: 'GET', path: '/finance/funding', auth: readers, page: true },
    { method: 'GET', path: '/finance/funding/{stream}/{financialYear}', auth: readers, page: true },
  ],
  tables: { main: { access: 'read', prefixes: ['FUNDING', 'FUNDING-STREAMS'] } },
});

export const fundingSetup = declareFunction({
  name: 'FundingSetup',
  entry: 'functions/funding/setup-api.ts',
  description: 'Finance set-up: opens funding streams (streams are data) and records a year\'s grant profile',
  routes: [
    { method: 'POST', path: '/funding/streams', auth: writers },
    { method: 'POST', path: '/funding/{stream}/{financialYear}/profile', auth: writers },
  ],
  tables: { main: { access: 'readwrite', prefixes: ['FUNDING', 'FUNDING-STREAMS'] } },
  emits: [FundingStreamOpened, FundingProfileSet],
});

/** The finance pages' forms: each posts to its page route and emits what the JSON route would. */
export const fundingDesk = declareFunction({
  name: 'FundingDesk',
  entry: 'functions/funding/desk-pages.ts',
  description: 'Finance at the desk: forms to record money, reverse a spend, set a profile, open a stream, and import a CSV with a preview',
  routes: [
    { method: 'GET', path: '/finance/funding/{stream}/{financialYear}/record/{entry}', auth: writers, page: true },
    { method: 'POST', path: '/finance/funding/{stream}/{financialYear}/record/{entry}', auth: writers, page: true },
    { method: 'GET', path: '/finance/funding/{stream}/{financialYear}/spends/{eventId}/reversal', auth: writers, page: true },
    { method: 'POST', path: '/finance/funding/{stream}/{financialYear}/spends/{eventId}/reversal', auth: writers, page: true },
    { method: 'GET', path: '/finance/funding/{stream}/{financialYear}/profile', auth: writers, page: true },
    { method: 'POST', path: '/finance/funding/{stream}/{financialYear}/profile', auth: writers, page: true },
    { method: 'GET', path: '/finance/funding/streams/new', auth: writers, page: true },
    { method: 'POST', path: '/finance/funding/streams/new', auth: writers, page: true },
    { method: 'GET', path: '/finance/funding/import', auth: writers, page: true },
    { method: 'POST', path: '/finance/funding/import', auth: writers, page: true },
    { method: 'GET', path: '/finance/funding/import/{importId}', auth: writers, page: true },
    { method: 'POST', path: '/finance/funding/import/{importId}', auth: writers, page: true },
  ],
  tables: { main: { access: 'readwrite', prefixes: ['FUNDING', 'FUNDING-STREAMS', 'FUNDING-IMPORT'] } },
  // What the JSON routes of FundingCommands and FundingSetup emit: the desk is their form (finance and admin only).
  emits: [FundingAllocated, FundingCommitted, FundingSpent, FundingSpendReversed, FundingStreamOpened, FundingProfileSet],
  timeoutSeconds: 30,
});

export const fundingLedger = declareFunction({
  name: 'FundingLedger',
  entry: 'functions/funding/project-ledger.ts',
  description: 'Applies funding events to the stream-year ledger item (idempotent, order-independent); flags overspends; records each opened stream in the registry',
  subscription: { rule: 'FundingEventsToLedger', contracts: [FundingAllocated, FundingCommitted, FundingSpent, FundingSpendReversed, FundingStreamOpened] },
  tables: { main: { access: 'readwrite', prefixes: ['FUNDING', 'FUNDING-STREAMS'] }, idempotency: 'readwrite' },
  emits: [FundingOverspent],
});

export const fundingYearEnd = declareFunction({
  name: 'FundingYearEnd',
  entry: 'functions/funding/year-end.ts',
  description: 'On 1 April closes the year just ended for each stream and emits FundingYearClosed',
  schedules: [{ name: 'FundingYearEnd', cron: 'cron(5 0 1 4 ? *)' }],
  tables: { main: { access: 'readwrite', prefixes: ['FUNDING', 'FUNDING-STREAMS'] } },
  emits: [FundingYearClosed],
});

export const funding = declareCapability('funding', [fundingQueries, fundingCommands, fundingSetup, fundingPages, fundingDesk, fundingLedger, fundingYearEnd]);
