import { FundingOverspent } from '#events/funding';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { logger } from '#shared/powertools';
import { events } from '#shared/publisher';
import { fundingLedger } from './capability.ts';
import { buildLedgerStore, LEDGER_BYTE_BUDGET } from './ledger-repository.ts';
import { recordFundingEvent } from './record.ts';
import { buildStreamRegistry } from './stream-registry.ts';

const store = buildLedgerStore(documents, setting('table'));
const streams = buildStreamRegistry(documents, setting('table'));

export const handler = eventConsumer(
  fundingLedger,
  async (event) => {
    const { detail } = event;
    const { bytesUsed } = await recordFundingEvent(event, {
      store,
      streams,
      publishOverspent: (overspent) => events().publishOne(FundingOverspent, overspent),
    });
    // Long before the ledger refuses lines (docs/funding.md, "Size"), say so where operators look.
    if (bytesUsed > LEDGER_BYTE_BUDGET * 0.8) {
      logger.warn('funding ledger over 80% full', { stream: detail.stream, financialYear: detail.financialYear, bytesUsed, budget: LEDGER_BYTE_BUDGET });
    }
  },
);
