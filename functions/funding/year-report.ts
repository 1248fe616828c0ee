/**
 * One stream-year as finance reads it: the ledger view (balance and lines), where the year
 * stands, spend by quarter against the grant profile, and the forecast outturn.
 */
import { londonDateOf } from '#shared/london-time';
import type { Ledger } from './ledger.ts';
import type { LedgerStore } from './ledger-repository.ts';
import { outturnOf, quarterRows, spendByQuarter, yearStateOf, type Outturn, type QuarterAmounts, type QuarterRow, type YearState } from './quarters.ts';
import type { ProfileStore, StoredProfile } from './setup.ts';
import type { FundingStreamConfig } from './streams.ts';
import { ledgerView, type LedgerView } from './views.ts';

export interface YearReport extends LedgerView {
  readonly state: YearState;
  /** The grant profile, Q1 first, when finance has recorded one. */
  readonly profile?: { readonly quarterPence: QuarterAmounts; readonly setAt: string };
  readonly quarters: readonly QuarterRow[];
  /** Spends dated outside the year, counted in spentPence but in no quarter. */
  readonly spentOutsideYearPence: number;
  readonly outturn: Outturn;
}

export function yearReport(stream: FundingStreamConfig, financialYear: string, ledger: Ledger | undefined, profile: StoredProfile | undefined, now: Date): YearReport {
  const view = ledgerView(stream, financialYear, ledger);
  const spend = spendByQuarter(financialYear, view.lines);
  return {
    ...view,
    state: yearStateOf(financialYear, londonDateOf(now), view.closed !== undefined),
    ...(profile ? { profile: { quarterPence: profile.quarterPence, setAt: profile.setAt } } : {}),
    quarters: quarterRows(financialYear, spend, profile?.quarterPence),
    spentOutsideYearPence: spend.outsideYearPence,
    outturn: outturnOf(view),
  };
}

/**
 * A stream-year as `GET /funding/{stream}/{financialYear}` answers it (one GetItem for the
 * ledger, one for the profile, side by side): the funding route and the finance year page both
 * read it so. (The KPI annual report reads the ledger view alone: `buildReadLedgerView`.)
 */
export function buildReadYearReport(stores: { ledgers: Pick<LedgerStore, 'get'>; profiles: Pick<ProfileStore, 'get'> }) {
  return async (stream: FundingStreamConfig, financialYear: string, now: Date): Promise<YearReport> => {
    const [ledger, profile] = await Promise.all([stores.ledgers.get(stream.code, financialYear), stores.profiles.get(stream.code, financialYear)]);
    return yearReport(stream, financialYear, ledger, profile, now);
  };
}
