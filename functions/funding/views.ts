/** What readers see of a ledger: the contract's balance shape, its lines, and a CSV for spreadsheets. */
import { formulaSafe, spreadsheetCsv } from '#shared/csv';
import { balanceOf, emptyLedger, linesOf, type Balance, type Ledger, type LedgerLineView } from './ledger.ts';
import { penceToDecimal } from './money.ts';
import type { FundingStreamConfig } from './streams.ts';

export interface LedgerView extends Balance {
  readonly stream: string;
  readonly streamName: string;
  readonly financialYear: string;
  readonly lines: readonly LedgerLineView[];
  readonly closed?: { readonly remainingPence: number; readonly closedAt: string; readonly eventId: string };
}

export function ledgerView(stream: FundingStreamConfig, financialYear: string, ledger: Ledger = emptyLedger()): LedgerView {
  const balance = balanceOf(ledger);
  return {
    stream: stream.code,
    streamName: stream.name,
    financialYear,
    allocatedPence: balance.allocatedPence,
    awardedPence: balance.awardedPence,
    recalledPence: balance.recalledPence,
    adjustedPence: balance.adjustedPence,
    spentPence: balance.spentPence,
    committedPence: balance.committedPence,
    remainingPence: balance.remainingPence,
    overspent: balance.overspent,
    projects: balance.projects,
    lines: linesOf(ledger),
    ...(ledger.closure
      ? { closed: { remainingPence: ledger.closure.remainingPence, closedAt: ledger.closure.closedAt, eventId: ledger.closure.eventId } }
      : {}),
  };
}

const amountCell = (pence: number) => penceToDecimal(pence);

/**
 * The balance table as the council reports it (domain.md), one row per line; amounts in
 * pounds with two decimals.
 */
export function ledgerCsv(view: LedgerView): string {
  const rows: [string, string, string][] = [['Line', 'Project', 'Amount (£)']];
  // Project names are typed by people; the labels and amounts are ours.
  const add = (line: string, project: string, pence: number) => rows.push([line, formulaSafe(project), amountCell(pence)]);
  add('Provisional allocation', '', view.allocatedPence);
  add('Award from the underspend pot', '', view.awardedPence);
  if (view.recalledPence !== 0) add('Recalled', '', view.recalledPence);
  if (view.adjustedPence !== 0) add('Adjustments', '', view.adjustedPence);
  for (const p of view.projects) if (p.spentPence !== 0) add('Spent', p.project, p.spentPence);
  add('Total spent', '', view.spentPence);
  add('Remaining', '', view.remainingPence);
  for (const p of view.projects) if (p.committedPence !== 0) add('Committed', p.project, p.committedPence);
  add('Total committed (not subtracted)', '', view.committedPence);
  return spreadsheetCsv(rows);
}
