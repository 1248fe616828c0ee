import { londonDateOf } from '#shared/london-time';
import { balanceOf, emptyLedger } from './ledger.ts';
import type { LedgerStore } from './ledger-repository.ts';
import { yearStateOf } from './quarters.ts';
import { yearsOf, type FundingStreamConfig } from './streams.ts';

/**
 * Every open stream with its years and each year's headline figures (one GetItem per year: a
 * handful). `lineCount` is how many facts the year holds (lines and reversals): a year with
 * none is empty, and the pages leave it out of their tables.
 */
export async function fundingOverview(store: Pick<LedgerStore, 'get'>, streams: readonly FundingStreamConfig[], now: Date = new Date()) {
  const today = londonDateOf(now);
  return Promise.all(
    streams.map(async (s) => ({
      stream: s.code,
      name: s.name,
      description: s.description,
      startsOn: s.startsOn,
      ...(s.endsOn ? { endsOn: s.endsOn } : {}),
      financialYears: await Promise.all(
        yearsOf(s, now).map(async (financialYear) => {
          const ledger = (await store.get(s.code, financialYear)) ?? emptyLedger();
          const { remainingPence, spentPence, committedPence, overspent } = balanceOf(ledger);
          const closed = ledger.closure !== undefined;
          return {
            financialYear,
            href: `/funding/${s.code}/${financialYear}`,
            remainingPence,
            spentPence,
            committedPence,
            overspent,
            closed,
            state: yearStateOf(financialYear, today, closed),
            lineCount: Object.keys(ledger.lines).length + Object.keys(ledger.reversals).length,
          };
        }),
      ),
    })),
  );
}
