/**
 * Retention applied to the rebuilt tables as the live nightly job applied it. The archive keeps
 * events for 7 years, longer than a report is kept (6) or its text (2): a rebuild makes records the
 * nightly job has since removed, or their text in the archive's redacted form. So, after the
 * rebuild, the same sweep (functions/privacy/retention-sweep.ts) runs on the rebuilt table as of
 * the instant the live job last ran (its schedule's last time, unless told), until nothing is due.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { privacyRetention } from '../../functions/privacy/capability.ts';
import { buildRetentionSweep } from '../../functions/privacy/retention-sweep.ts';
import { cronMatches, parseCron } from '../local/cron.ts';
import { SCHEDULE_TIME_ZONE } from '../local/scheduler.ts';

const MINUTE = 60_000;

/** The last minute at or before `now` when `cron` fires in Europe/London (within the week before). */
export function lastScheduledRun(cron: string, now: Date, timeZone = SCHEDULE_TIME_ZONE): Date {
  const schedule = parseCron(cron);
  const start = Math.floor(now.getTime() / MINUTE) * MINUTE;
  for (let at = start; at > start - 7 * 24 * 60 * MINUTE; at -= MINUTE) if (cronMatches(schedule, new Date(at), timeZone)) return new Date(at);
  throw new Error(`${cron} did not fire in the week before ${now.toISOString()}`);
}

/** When the live retention job last ran, by its schedule. */
export const lastRetentionRun = (now = new Date()) => lastScheduledRun((privacyRetention.schedules?.[0] as { cron: string }).cron, now);

export interface RetentionApplied {
  readonly asOf: string;
  readonly textRemoved: number;
  readonly deleted: number;
}

/** Sweeps `table` as of `asOf`, run after run, until a run finds nothing due. */
export async function applyRetention(documents: DynamoDBDocumentClient, table: string, asOf: Date): Promise<RetentionApplied> {
  const sweep = buildRetentionSweep(documents, table);
  let textRemoved = 0;
  let deleted = 0;
  for (;;) {
    const run = await sweep(asOf);
    const done = run.textRemoved.report + run.textRemoved['case-review'] + run.deleted.report + run.deleted['case-review'];
    if (done === 0) return { asOf: asOf.toISOString(), textRemoved, deleted };
    textRemoved += run.textRemoved.report + run.textRemoved['case-review'];
    deleted += run.deleted.report + run.deleted['case-review'];
  }
}
