import * as z from 'zod';
import { ConfigurationError } from './config.ts';

/**
 * The ASB Case Review's local rules (docs/case-reviews.md, "Settings"): every number is a
 * setting, read from the environment, with the statutory guidance's defaults. Here, not in
 * functions/case-reviews/, because intake also needs the six months (it tells a person who
 * reports again within them about their right to a review).
 */
const count = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);
// `@__PURE__`: a function that never reads the settings (the confirmation page, which only
// words the right to a review) leaves the schema out of its bundle.
const onOff = /* @__PURE__ */ z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .default('on')
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const schema = /* @__PURE__ */ z.object({
  /** How many qualifying complaints meet the threshold: set locally, never more than 3 (the 2014 Act, s.104). */
  qualifyingComplaints: count(3, 1, 3),
  /** The application must come within this many months of each complaint. */
  withinMonths: count(6, 1, 24),
  /** Each complaint must be made within this many months of its incident. */
  complaintWithinMonths: count(1, 1, 12),
  /** The local hate-incident route: a victim of a hate incident may apply after fewer complaints. */
  hateRoute: onOff,
  /** Qualifying complaints needed on the hate route. */
  hateIncidents: count(1, 1, 3),
  /** The applicant is told whether the threshold is met within this many working days of applying. */
  tellWithinWorkingDays: count(10, 1, 60),
  /** The review is held within this many working days of the threshold being met. */
  holdWithinWorkingDays: count(25, 1, 120),
});

export type CaseReviewSettings = z.infer<typeof schema>;

export const caseReviewSettingVariables: Record<keyof CaseReviewSettings, string> = {
  qualifyingComplaints: 'CASE_REVIEW_QUALIFYING_COMPLAINTS',
  withinMonths: 'CASE_REVIEW_WITHIN_MONTHS',
  complaintWithinMonths: 'CASE_REVIEW_COMPLAINT_WITHIN_MONTHS',
  hateRoute: 'CASE_REVIEW_HATE_ROUTE',
  hateIncidents: 'CASE_REVIEW_HATE_INCIDENTS',
  tellWithinWorkingDays: 'CASE_REVIEW_TELL_WITHIN_WORKING_DAYS',
  holdWithinWorkingDays: 'CASE_REVIEW_HOLD_WITHIN_WORKING_DAYS',
};

/** The settings from an environment; a value out of bounds (a threshold of 4) is refused by name. */
export function caseReviewSettings(env: NodeJS.ProcessEnv = process.env): CaseReviewSettings {
  const raw = Object.fromEntries(
    Object.entries(caseReviewSettingVariables).flatMap(([key, variable]) => {
      const value = env[variable];
      return value === undefined || value.trim() === '' ? [] : [[key, value.trim().toLowerCase()]];
    }),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '') as keyof CaseReviewSettings;
    throw new ConfigurationError(`${caseReviewSettingVariables[key] ?? 'a case review setting'} is not valid: ${issue?.message ?? 'unknown problem'}`);
  }
  return parsed.data;
}
