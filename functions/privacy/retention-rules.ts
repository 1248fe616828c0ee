import { retention } from '#shared/retention';

/**
 * Which data classes the nightly job enforces, and which DynamoDB's TTL or S3 lifecycle does
 * (docs/privacy.md). TTL deletes a whole item at a time stamped when it is written; the job
 * handles what TTL cannot: free text removed from an item that is kept longer (a report's
 * description after 2 years, the report itself after 6), and read models written without a TTL
 * (reports, case reviews), whose age is read from their own dates.
 */
export type SweptClass = 'report' | 'case-review';

export const periods: Readonly<Record<SweptClass, { textDays: number; recordDays: number }>> = {
  report: { textDays: retention.publicTextDays, recordDays: retention.reportDays },
  'case-review': { textDays: retention.publicTextDays, recordDays: retention.caseReviewDays },
};

export type RetentionStep = 'keep' | 'redact-text' | 'delete';

const DAY_MS = 86_400_000;

/**
 * What to do with one record of a class, dated `from` (when it happened or was received), now:
 * delete once its record period is over, remove its free text once the text's period is over
 * (unless done already), else keep. A date that does not parse is kept (and logged by the job).
 */
export function retentionStep(cls: SweptClass, from: string, now: Date, textRemoved: boolean): RetentionStep {
  const at = Date.parse(from);
  if (Number.isNaN(at)) return 'keep';
  const age = now.getTime() - at;
  const { textDays, recordDays } = periods[cls];
  if (age >= recordDays * DAY_MS) return 'delete';
  if (age >= textDays * DAY_MS && !textRemoved) return 'redact-text';
  return 'keep';
}

/** The latest instant a record of the class can be dated and still have its text due for removal: the job reads older ones only. */
export const textCutoff = (cls: SweptClass, now: Date): string => new Date(now.getTime() - periods[cls].textDays * DAY_MS).toISOString();

/** What stands in for free text removed by retention or erasure: still a string, so the item still reads. */
export const REMOVED_TEXT = '[removed: personal data past its retention period or erased]';
