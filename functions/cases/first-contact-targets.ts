/**
 * Tenancy Services' first-contact targets, in England and Wales working days after the day
 * the case is opened. C is the service standard (contact within 5 working days); A and B are
 * the service's own choice and live here as data.
 */
import type { riskCategories } from '#events/cases';
import { londonDateOf, type IsoDate } from '#shared/london-time';
import { addWorkingDays } from '#shared/working-days';

export type RiskCategory = (typeof riskCategories)[number];

export const firstContactTargets: Readonly<Record<RiskCategory, number>> = { A: 1, B: 3, C: 5 };

/** The last London date on which first contact is on time. */
export function firstContactDueBy(openedAt: string, risk: RiskCategory, targets: Readonly<Record<RiskCategory, number>> = firstContactTargets): IsoDate {
  return addWorkingDays(londonDateOf(openedAt), targets[risk]);
}
