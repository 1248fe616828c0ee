import * as z from 'zod';
import { officerActionContracts } from '#events/catalog';
import { computedFields } from '../enforcement/record-action.ts';
import { FundingAllocated, FundingCommitted, FundingProfileSet, FundingSpendReversed, FundingSpent, FundingStreamOpened } from '#events/funding';
import type { EventContract } from '#events/contract';
import { flyTipDetailsSchema } from '#events/fly-tipping';
import { HousingStockRecorded } from '#events/tenancy';
import { assignInput, closeInput, shareInput } from '../cases/case-commands.ts';
import { triageInput } from '../cases/triage.ts';
import { discIncidentV1 } from '../disc/incident.ts';
import { reportInputSchema } from '../intake/report-input.ts';
import { annualReportQuery } from '../kpis/annual-report.ts';
import { exportListQuery, listQuery } from '../kpis/export-list.ts';
import { kpiRangeInput } from '../kpis/range.ts';

/** What a caller sends to record an event: its detail without the fields the service fills in. */
function commandBody(contract: EventContract, alsoOmit: readonly string[] = []) {
  const detail = contract.detail as unknown as z.ZodObject;
  const shape = (detail.shape ?? {}) as Record<string, z.ZodType>;
  const omitted = new Set(['eventId', 'schemaVersion', 'actor', ...alsoOmit]);
  const kept = Object.fromEntries(Object.entries(shape).filter(([k]) => !omitted.has(k)));
  return z.object({ ...kept, occurredAt: z.iso.datetime({ offset: true }).optional() });
}

const fundingPath = ['stream', 'financialYear'];

/** Opening a stream: FundingStreamOpened's fields, the stream named `code` as contract.md has it. */
const { stream: streamCode, ...streamFields } = commandBody(FundingStreamOpened).omit({ occurredAt: true }).shape as Record<string, z.ZodType>;
const openStreamBody = z.object({ code: streamCode as z.ZodType, ...streamFields });
/** A grant profile: four whole numbers of pence, or four amounts in pounds as text. */
const profileBody = z.union([
  commandBody(FundingProfileSet, fundingPath).omit({ occurredAt: true }),
  z.object({ q1: z.string(), q2: z.string(), q3: z.string(), q4: z.string() }),
]);

/**
 * The JSON body of each route that takes one, by route key. A test checks every key is a
 * route in the topology, so this cannot list a route that does not exist.
 */
export const requestBodies: Record<string, z.ZodType> = {
  'POST /reports': reportInputSchema,
  'POST /reports/{reportId}/triage': triageInput,
  'POST /cases/{caseId}/close': closeInput,
  'POST /cases/{caseId}/share': shareInput,
  'POST /cases/{caseId}/assign': assignInput,
  'POST /cases/{caseId}/actions': z.union(
    officerActionContracts.map((c) => commandBody(c, ['caseId', ...(computedFields[c.detailType] ?? [])]).extend({ detailType: z.literal(c.detailType) })),
  ),
  'POST /actions': z.union(officerActionContracts.map((c) => commandBody(c, computedFields[c.detailType] ?? []).extend({ detailType: z.literal(c.detailType) }))),
  'POST /integrations/disc/incidents': discIncidentV1,
  'POST /funding/{stream}/{financialYear}/allocations': commandBody(FundingAllocated, fundingPath),
  'POST /funding/{stream}/{financialYear}/commitments': commandBody(FundingCommitted, fundingPath),
  'POST /funding/{stream}/{financialYear}/spends': commandBody(FundingSpent, fundingPath),
  'POST /funding/{stream}/{financialYear}/spends/{eventId}/reversal': commandBody(FundingSpendReversed, [...fundingPath, 'spendEventId']),
  'POST /funding/streams': openStreamBody,
  'POST /funding/{stream}/{financialYear}/profile': profileBody,
  'POST /reports/{reportId}/fly-tip': flyTipDetailsSchema.strict(),
  'POST /kpis/exports': kpiRangeInput,
  // The count of homes and the date counted; the service stamps when and by whom (an Idempotency-Key header makes a retry one fact).
  'POST /housing-stock': commandBody(HousingStockRecorded).omit({ occurredAt: true }),
};

/**
 * The query parameters of each route that reads any, by route key (the same zod schemas, or
 * ones that say what the handler's own checks accept). A test checks every key is a route.
 */
export const requestQueries: Record<string, z.ZodObject> = {
  'GET /kpis': kpiRangeInput,
  'GET /kpis/exports': exportListQuery,
  'GET /officer/kpis/annual': annualReportQuery,
  'GET /officer/kpis/exports': exportListQuery,
  'GET /housing-stock': listQuery('counts of homes'),
  'GET /officer/kpis/housing-stock': listQuery('counts of homes'),
};

/**
 * POST routes that answer 201 when they record something new (and 200 for a repeat of the same
 * Idempotency-Key) rather than 202: what they record is stored before they answer.
 */
export const createdBy: ReadonlySet<string> = new Set(['POST /housing-stock']);

/** GET routes that answer 302 to the thing asked for (a presigned GET of a file), not 200, and 404 when there is none. */
const exportFile = "Found: Location is a presigned GET of the export's file, valid for 60 seconds (never cached)";
export const redirectedBy: ReadonlyMap<string, string> = new Map([
  ['GET /kpis/exports/{exportId}/{format}', exportFile],
  ['GET /officer/kpis/exports/{exportId}/{format}', exportFile],
]);
