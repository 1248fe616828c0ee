import type { DetailInput } from '#events/contract';
import type { FundingYearClosed } from '#events/funding';
import { financialYearOf, financialYearSpan, londonDateOf } from '#shared/london-time';
import { derivedEventId } from './ids.ts';
import { balanceOf, emptyLedger, type Closure } from './ledger.ts';
import type { LedgerStore } from './ledger-repository.ts';
import { yearsOf, type FundingStreamConfig } from './streams.ts';

export interface CloseDeps {
  store: Pick<LedgerStore, 'get' | 'claimClosure' | 'markClosurePublished'>;
  publish: (detail: DetailInput<typeof FundingYearClosed>) => Promise<void>;
  councilId: string;
  now: () => Date;
}

/** The year a run at `at` closes: the one that ended the day before (1 April closes the year to 31 March). */
export function yearToClose(at: Date): string {
  return financialYearOf(londonDateOf(new Date(at.getTime() - 24 * 3600 * 1000)));
}

/** The last second of a financial year in London (31 March is always in British Summer Time). */
const yearEnd = (fy: string) => `${financialYearSpan(fy).to}T23:59:59+01:00`;

/**
 * Closes one stream's year:
 * 1. an already published closure is left alone (a second run emits nothing);
 * 2. otherwise the remaining balance is worked out and stored as the closure, unless a closure
 *    is already stored (a run that failed after storing it publishes the figure it stored);
 * 3. FundingYearClosed is published with an eventId derived from council, stream and year, then
 *    the closure is marked published.
 */
export async function closeYear(stream: string, financialYear: string, deps: CloseDeps): Promise<{ closure: Closure; published: boolean }> {
  const ledger = (await deps.store.get(stream, financialYear)) ?? emptyLedger();
  if (ledger.closure?.published) return { closure: ledger.closure, published: false };
  const proposed: Closure = {
    eventId: derivedEventId('FundingYearClosed', deps.councilId, stream, financialYear),
    remainingPence: balanceOf(ledger).remainingPence,
    closedAt: deps.now().toISOString(),
    published: false,
  };
  const closure = await deps.store.claimClosure(stream, financialYear, proposed);
  if (closure.published) return { closure, published: false };
  await deps.publish({
    eventId: closure.eventId,
    occurredAt: yearEnd(financialYear),
    actor: { kind: 'system', id: 'funding-year-end' },
    stream,
    financialYear,
    remainingPence: closure.remainingPence,
  });
  await deps.store.markClosurePublished(stream, financialYear);
  return { closure: { ...closure, published: true }, published: true };
}

/** The streams that were running in a year (SS5 is not closed for a year after it ended). */
export function streamsRunningIn(financialYear: string, at: Date, streams: readonly FundingStreamConfig[]) {
  return streams.filter((s) => yearsOf(s, at).includes(financialYear));
}
