import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { scheduledJob } from '#shared/job';
import { logger } from '#shared/powertools';
import { privacyRetention } from './capability.ts';
import { buildRetentionSweep } from './retention-sweep.ts';

const sweep = buildRetentionSweep(documents, setting('table'));

/** Nightly: what outlived its class's period goes (an operator may pass `{ scheduledTime }` to sweep as of another instant). */
export const handler = scheduledJob(privacyRetention, async ({ at }) => {
  const outcome = await sweep(at);
  logger.info('Retention sweep done', { ...outcome });
  return outcome;
});
