import { balanceOf, emptyLedger } from './ledger.ts';
import type { LedgerStore } from './ledger-repository.ts';
import { fundingStreams, yearsOf } from './streams.ts';

/** Every configured stream with its years and each year's headline figures (one GetItem per year: a handful). */
export async function fundingOverview(store: Pick<LedgerStore, 'get'>, now: Date = new Date()) {
  return Promise.all(
    fundingStreams.map(async (s) => ({
      stream: s.code,
      name: s.name,
      description: s.description,
      startsOn: s.startsOn,
      ...(s.endsOn ? { endsOn: s.endsOn } : {}),
      financialYears: await Promise.all(
        yearsOf(s, now).map(async (financialYear) => {
          const ledger = (await store.get(s.code, financialYear)) ?? emptyLedger();
          const { remainingPence, spentPence, overspent } = balanceOf(ledger);
          return { financialYear, href: `/funding/${s.code}/${financialYear}`, remainingPence, spentPence, overspent, closed: ledger.closure !== undefined };
        }),
      ),
    })),
  );
}
