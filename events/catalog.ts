import { casesContracts } from './cases.ts';
import { caseReviewContracts } from './case-review.ts';
import type { EventContract } from './contract.ts';
import { enforcementContracts, officerActionContracts, statutoryContracts } from './enforcement.ts';
import { flyTippingContracts } from './fly-tipping.ts';
import { fundingContracts } from './funding.ts';
import { intakeContracts } from './intake.ts';
import { KpiExportReady, KpiExportRequested } from './kpi.ts';
import { remindersContracts } from './reminders.ts';
import { HousingStockRecorded } from './tenancy.ts';

export { enforcementContracts, officerActionContracts };

/** Every event contract in contract.md, and those added since (remindersContracts: see events/reminders.ts; flyTippingContracts: events/fly-tipping.ts). */
export const catalog = [
  ...intakeContracts,
  ...casesContracts,
  ...enforcementContracts,
  ...statutoryContracts,
  ...caseReviewContracts,
  ...fundingContracts,
  HousingStockRecorded,
  KpiExportReady,
  KpiExportRequested,
  ...remindersContracts,
  ...flyTippingContracts,
] as const;

export type CatalogContract = (typeof catalog)[number];
export type CatalogSource = CatalogContract['source'];
export type CatalogDetailType = CatalogContract['detailType'];
/** Every officer action (the enforcement source): contract.md's list and the statutory steps added since. */
export type EnforcementContract = (typeof officerActionContracts)[number];
export type EnforcementDetailType = EnforcementContract['detailType'];

export const contractKey = (source: string, detailType: string): string => `${source}/${detailType}`;

const bySourceAndType: ReadonlyMap<string, CatalogContract> = new Map(catalog.map((c) => [contractKey(c.source, c.detailType), c]));
const enforcementByType: ReadonlyMap<string, EnforcementContract> = new Map(officerActionContracts.map((c) => [c.detailType, c]));

/** The contract for an event's `source` and `detail-type`, or undefined if the catalog has none. */
export function contractFor<S extends string, D extends string>(
  source: S,
  detailType: D,
): Extract<CatalogContract, { source: S; detailType: D }> | undefined {
  return bySourceAndType.get(contractKey(source, detailType)) as Extract<CatalogContract, { source: S; detailType: D }> | undefined;
}

/** The enforcement contract for a detail-type (the officer actions API names only the detail-type). */
export function enforcementContractFor(detailType: string): EnforcementContract | undefined {
  return enforcementByType.get(detailType);
}

export const catalogSources: readonly CatalogSource[] = [...new Set(catalog.map((c) => c.source))];

// Compile-time check that every catalog entry is a well-formed contract.
catalog satisfies readonly EventContract[];
