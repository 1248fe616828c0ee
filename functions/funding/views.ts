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

/** One line of the balance table as the council reports it (domain.md). */
export interface ReportLine {
  readonly line: string;
  readonly project?: string;
  readonly pence: number;
  /** A total (spent, remaining), shown in bold. */
  readonly total?: boolean;
}

/**
 * The balance table as the council reports it (domain.md): allocation and award, any recall or
 * adjustment, spend by project, total spent and remaining; then what is committed, which is
 * shown, not subtracted. The CSV, the finance pages' readers and the annual report use it.
 */
export function reportLines(view: LedgerView): ReportLine[] {
  const lines: ReportLine[] = [
    { line: 'Provisional allocation', pence: view.allocatedPence },
    { line: 'Award from the underspend pot', pence: view.awardedPence },
  ];
  if (view.recalledPence !== 0) lines.push({ line: 'Recalled', pence: view.recalledPence });
  if (view.adjustedPence !== 0) lines.push({ line: 'Adjustments', pence: view.adjustedPence });
  for (const p of view.projects) if (p.spentPence !== 0) lines.push({ line: 'Spent', project: p.project, pence: p.spentPence });
  lines.push({ line: 'Total spent', pence: view.spentPence, total: true });
  lines.push({ line: 'Remaining', pence: view.remainingPence, total: true });
  for (const p of view.projects) if (p.committedPence !== 0) lines.push({ line: 'Committed', project: p.project, pence: p.committedPence });
  lines.push({ line: 'Total committed (not subtracted)', pence: view.committedPence });
  return lines;
}

/** The balance table as CSV, one row per line; amounts in pounds with two decimals. */
export function ledgerCsv(view: LedgerView): string {
  // Project names are typed by people; the labels and amounts are ours.
  const rows = reportLines(view).map((l): [string, string, string] => [l.line, formulaSafe(l.project ?? ''), penceToDecimal(l.pence)]);
  return spreadsheetCsv([['Line', 'Project', 'Amount (£)'], ...rows]);
}

/**
 * A stream and year's ledger view (one GetItem): the balance and lines that
 * `GET /funding/{stream}/{financialYear}` answers, without the quarters and outturn the funding
 * route and pages add (`buildReadYearReport`). The KPI annual report reads it so.
 */
export function buildReadLedgerView(store: { get(stream: string, financialYear: string): Promise<Ledger | undefined> }) {
  return async (stream: FundingStreamConfig, financialYear: string): Promise<LedgerView> => ledgerView(stream, financialYear, await store.get(stream.code, financialYear));
}
