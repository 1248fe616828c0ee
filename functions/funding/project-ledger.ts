import { FundingOverspent } from '#events/funding';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { logger } from '#shared/powertools';
import { events } from '#shared/publisher';
import { fundingLedger } from './capability.ts';
import { buildLedgerStore, LEDGER_BYTE_BUDGET } from './ledger-repository.ts';
import { recordFundingEvent } from './record.ts';
import { buildStreamRegistry, recordStreamOpened } from './stream-registry.ts';

const store = buildLedgerStore(documents, setting('table'));
const streams = buildStreamRegistry(documents, setting('table'));

export const handler = eventConsumer(
  fundingLedger,
  async (event) => {
    if (event.detailType === 'FundingStreamOpened') {
      // The registry is written by POST /funding/streams before the event is put; this makes it
      // again from the event alone (a rebuild from the archive, another deployment's events).
      const { conflicting } = await recordStreamOpened(streams, event.detail);
      if (conflicting) logger.warn('a stream with this code was already open with another definition: the first opening stands', { stream: event.detail.stream, eventId: event.detail.eventId });
      return;
    }
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
  // record.ts resumes a retry from the step that failed and a repeat changes nothing (the line is
  // inserted if absent, the spend judged once, the overspend flag published under an eventId
  // derived from the spend's, then marked); the stream registry's claim is first-wins.
  { idempotency: 'own-writes' },
);
