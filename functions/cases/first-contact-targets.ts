/**
 * Tenancy Services' first-contact targets, in England and Wales working days after the day
 * the case is opened. "First contact" is contact with the complainant.
 *
 * C's target is the service standard in the council's report (contact within 5 working days).
 * The report gives none for A and B: they are the council's policy, so they are settings,
 * read once from the environment with defaults:
 * - `SC_FIRST_CONTACT_DAYS_A` (default 1), `SC_FIRST_CONTACT_DAYS_B` (default 3): whole working
 *   days, 0 (the day the case is opened) to 20.
 * The targets in force when a case is opened are the ones it is measured against.
 */
import * as z from 'zod';
import type { riskCategories } from '#events/cases';
import { londonDateOf, type IsoDate } from '#shared/london-time';
import { addWorkingDays } from '#shared/working-days';

export type RiskCategory = (typeof riskCategories)[number];
export type FirstContactTargets = Readonly<Record<RiskCategory, number>>;

/** The report's service standard for category C. */
export const CATEGORY_C_WORKING_DAYS = 5;
export const firstContactSettingNames = { A: 'SC_FIRST_CONTACT_DAYS_A', B: 'SC_FIRST_CONTACT_DAYS_B' } as const;
export const defaultFirstContactDays = { A: 1, B: 3 } as const;

const days = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a whole number of working days` })
    .int(`${name} must be a whole number of working days`)
    .min(0, `${name} cannot be negative`)
    .max(20, `${name} is at most 20 working days`);

/** The targets from settings (environment variables); a bad value stops the function with a message naming it. */
export function firstContactTargetsFrom(env: Record<string, string | undefined>): FirstContactTargets {
  const read = (risk: 'A' | 'B') => {
    const name = firstContactSettingNames[risk];
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? defaultFirstContactDays[risk] : days(name).parse(raw.trim());
  };
  return { A: read('A'), B: read('B'), C: CATEGORY_C_WORKING_DAYS };
}

export const firstContactTargets: FirstContactTargets = firstContactTargetsFrom(process.env);

/** The last London date on which first contact is on time. */
export function firstContactDueBy(openedAt: string, risk: RiskCategory, targets: FirstContactTargets = firstContactTargets): IsoDate {
  return addWorkingDays(londonDateOf(openedAt), targets[risk]);
}
