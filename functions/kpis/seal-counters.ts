import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { scheduledJob } from '#shared/job';
import { logger } from '#shared/powertools';
import { addDays, londonDateOf } from '#shared/london-time';
import { kpiCounterSealer } from './capability.ts';
import { buildCounterStore } from './counter-store.ts';
import { parseRange } from './range.ts';

const store = buildCounterStore(documents, setting('table'));

/** Days this recent keep their ids on the day item: nearly every event arrives within them. */
const SETTLE_DAYS = 2;
/** How far back a nightly run looks for late events to seal. */
const LOOK_BACK_DAYS = 62;

/**
 * Nightly: seals the day counters from LOOK_BACK_DAYS to SETTLE_DAYS ago (London). An operator
 * may pass `{ from, to }` to seal any range, e.g. after a rebuild from the archive.
 */
export const handler = scheduledJob(kpiCounterSealer, async ({ at, input }) => {
  const today = londonDateOf(at);
  const range =
    input.from !== undefined || input.to !== undefined
      ? parseRange(input)
      : { from: addDays(today, -LOOK_BACK_DAYS), to: addDays(today, -SETTLE_DAYS) };
  const outcome = await store.seal(range);
  logger.info('KPI day counters sealed', { ...range, ...outcome });
  return { ...range, ...outcome };
});
