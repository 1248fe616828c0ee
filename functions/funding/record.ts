import type { DetailInput } from '#events/contract';
import type { FundingOverspent } from '#events/funding';
import { entryFor, overspendAfter, type LedgerEvent } from './ledger.ts';
import type { LedgerStore } from './ledger-repository.ts';

export interface RecordDeps {
  store: Pick<LedgerStore, 'apply' | 'check' | 'markOverspendPublished'>;
  publishOverspent: (detail: DetailInput<typeof FundingOverspent>) => Promise<void>;
}

/**
 * One funding event into its ledger:
 * 1. the line is inserted if absent (a duplicate changes nothing);
 * 2. a spend not yet judged is judged on the ledger as it stands, and flagged if the year is
 *    now overdrawn — in one write, so a retry finds the verdict rather than judging again;
 * 3. a flag not yet on the bus is published (its eventId comes from the spend's), then marked.
 * A retry after a failure at any step resumes from the step that failed; a duplicate delivery
 * of a finished spend publishes nothing.
 */
export async function recordFundingEvent(event: LedgerEvent, deps: RecordDeps): Promise<{ applied: boolean; overspent: boolean; bytesUsed: number }> {
  const { stream, financialYear } = event.detail;
  const entry = entryFor(event);
  const { applied, ledger, bytesUsed } = await deps.store.apply(stream, financialYear, entry);
  if (event.detailType !== 'FundingSpent') return { applied, overspent: false, bytesUsed };

  const spendEventId = event.detail.eventId;
  const line = ledger.lines[spendEventId];
  let flag = ledger.overspends[spendEventId];
  if (line?.type === 'spend' && line.checked !== true) {
    const verdict = overspendAfter(ledger, spendEventId);
    flag = await deps.store.check(stream, financialYear, spendEventId, verdict && { ...verdict, published: false });
  }
  if (flag && !flag.published) {
    await deps.publishOverspent({
      eventId: flag.eventId,
      occurredAt: flag.occurredAt,
      actor: { kind: 'system', id: 'funding-ledger' },
      stream,
      financialYear,
      remainingPence: flag.remainingPence,
      causedBy: spendEventId,
    });
    await deps.store.markOverspendPublished(stream, financialYear, spendEventId);
  }
  return { applied, overspent: flag !== undefined, bytesUsed };
}
