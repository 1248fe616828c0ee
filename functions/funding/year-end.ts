import * as z from 'zod';
import { financialYear as financialYearSchema } from '#events/envelope';
import { FundingYearClosed } from '#events/funding';
import { documents } from '#shared/clients';
import { councilId, setting } from '#shared/config';
import { scheduledJob } from '#shared/job';
import { logger } from '#shared/powertools';
import { events } from '#shared/publisher';
import { closeYear, streamsRunningIn, yearToClose, type CloseDeps } from './close.ts';
import { fundingYearEnd } from './capability.ts';
import { buildLedgerStore } from './ledger-repository.ts';
import { buildStreamRegistry } from './stream-registry.ts';

const deps: CloseDeps = {
  store: buildLedgerStore(documents, setting('table')),
  publish: (detail) => events().publishOne(FundingYearClosed, detail),
  councilId,
  now: () => new Date(),
};
const registry = buildStreamRegistry(documents, setting('table'));

/** Besides the scheduler's time, `financialYear` lets an operator close a given year by hand. */
const byHand = z.object({ financialYear: financialYearSchema.optional() });

/** Year end (1 April, 00:05 London): closes the year just ended for every stream running in it. */
export const handler = scheduledJob(fundingYearEnd, async ({ at, input }) => {
  const financialYear = byHand.parse(input).financialYear ?? yearToClose(at);
  const closed = [];
  for (const stream of streamsRunningIn(financialYear, at, await registry.list())) {
    const { closure, published } = await closeYear(stream.code, financialYear, deps);
    closed.push({ stream: stream.code, remainingPence: closure.remainingPence, published });
  }
  logger.info('funding year end', { financialYear, streams: closed.length, published: closed.filter((c) => c.published).length });
  return { financialYear, closed };
});
