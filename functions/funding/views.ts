/** What readers see of a ledger: the contract's balance shape, its lines, and a CSV for spreadsheets. */
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

/**
 * A cell a spreadsheet will not run: text beginning `=`, `+`, `-`, `@` (or a tab or carriage
 * return, which some spreadsheets strip first) gets a leading apostrophe. Amounts are written
 * by us as plain numbers and are left alone so they stay numbers.
 */
export function safeCell(value: string): string {
  const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replaceAll('"', '""')}"` : neutral;
}

const amountCell = (pence: number) => penceToDecimal(pence);

/**
 * The balance table as the council reports it (domain.md), one row per line; amounts in
 * pounds with two decimals. UTF-8 with a byte-order mark and CRLF so Excel opens it as is.
 */
export function ledgerCsv(view: LedgerView): string {
  const rows: [string, string, string][] = [['Line', 'Project', 'Amount (£)']];
  const add = (line: string, project: string, pence: number) => rows.push([line, project, amountCell(pence)]);
  add('Provisional allocation', '', view.allocatedPence);
  add('Award from the underspend pot', '', view.awardedPence);
  if (view.recalledPence !== 0) add('Recalled', '', view.recalledPence);
  if (view.adjustedPence !== 0) add('Adjustments', '', view.adjustedPence);
  for (const p of view.projects) if (p.spentPence !== 0) add('Spent', p.project, p.spentPence);
  add('Total spent', '', view.spentPence);
  add('Remaining', '', view.remainingPence);
  for (const p of view.projects) if (p.committedPence !== 0) add('Committed', p.project, p.committedPence);
  add('Total committed (not subtracted)', '', view.committedPence);
  const body = rows.map(([line, project, amount], i) => [safeCell(line), safeCell(project), i === 0 ? safeCell(amount) : amount].join(','));
  return `\uFEFF${body.join('\r\n')}\r\n`;
}
