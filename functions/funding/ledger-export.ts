/**
 * The whole ledger of a stream-year as a spreadsheet: every line with its date, type,
 * project, reference, amount and what it did to the balance, so finance can reconcile it
 * against the council's ledger. The balance-table CSV is views.ts (`ledgerCsv`).
 */
import { formulaSafe, spreadsheetCsv } from '#shared/csv';
import { londonDateOf } from '#shared/london-time';
import type { LedgerLineView } from './ledger.ts';
import { penceToDecimal } from './money.ts';
import type { LedgerView } from './views.ts';

export const ledgerExportColumns = [
  'Date',
  'Recorded at',
  'Line',
  'Kind',
  'Project',
  'Reference',
  'Amount (£)',
  'Effect on remaining (£)',
  'Status',
  'Reason',
  'Event ID',
  'Reverses spend',
] as const;

const kindText: Record<string, string> = {
  provisional: 'Provisional allocation',
  'underspend-award': 'Award from the underspend pot',
  recall: 'Recall',
  adjustment: 'Adjustment',
};

/**
 * What a line did to the remaining balance, in pence: an allocation, award or adjustment adds,
 * a recall and a spend subtract, a commitment changes nothing (shown, not subtracted), and a
 * reversal gives back its spend once the spend is in the ledger. The column sums to the remaining balance.
 */
export function effectOf(line: LedgerLineView, lines: ReadonlyMap<string, LedgerLineView>): number {
  switch (line.type) {
    case 'allocation':
      return line.kind === 'recall' ? -line.amountPence : line.amountPence;
    case 'commitment':
      return 0;
    case 'spend':
      return -line.amountPence;
    case 'reversal': {
      const spend = lines.get(line.spendEventId);
      return spend?.type === 'spend' ? spend.amountPence : 0;
    }
  }
}

export function ledgerExportCsv(view: LedgerView): string {
  const byId = new Map(view.lines.filter((l) => l.type !== 'reversal').map((l) => [l.eventId, l]));
  const rows: string[][] = [[...ledgerExportColumns]];
  for (const line of view.lines) {
    const common = { date: londonDateOf(line.occurredAt), at: line.occurredAt, effect: penceToDecimal(effectOf(line, byId)), id: line.eventId };
    // Text typed by people is made formula-safe; our labels, dates and amounts are left as they are.
    switch (line.type) {
      case 'allocation':
        rows.push([common.date, common.at, 'Allocation', kindText[line.kind] ?? line.kind, '', formulaSafe(line.reference), penceToDecimal(line.amountPence), common.effect, '', '', common.id, '']);
        break;
      case 'commitment':
        rows.push([common.date, common.at, 'Commitment', '', formulaSafe(line.project), formulaSafe(line.reference ?? ''), penceToDecimal(line.amountPence), common.effect, 'Shown, not subtracted', '', common.id, '']);
        break;
      case 'spend':
        rows.push([common.date, common.at, 'Spend', '', formulaSafe(line.project), formulaSafe(line.reference), penceToDecimal(line.amountPence), common.effect, line.reversedBy ? `Reversed by ${line.reversedBy}` : '', '', common.id, '']);
        break;
      case 'reversal':
        rows.push([common.date, common.at, 'Reversal', '', '', '', '', common.effect, line.matched ? '' : 'Spend not yet recorded', formulaSafe(line.reason), common.id, line.spendEventId]);
        break;
    }
  }
  return spreadsheetCsv(rows);
}
