/**
 * What an uploaded import would do, for finance to check before confirming: each row as it
 * will be recorded, and for each stream-year the remaining balance now and after the import
 * (the planned lines applied to the ledger as it stands, with the ledger's own rules: a row
 * already recorded changes nothing).
 */
import { applyEntry, balanceOf, emptyLedger, entryFor, type Ledger, type LedgerEvent } from './ledger.ts';
import type { LedgerStore } from './ledger-repository.ts';
import { formatPounds } from './money.ts';
import { dayOf } from './page-model.ts';
import type { PlannedRow } from './import-rows.ts';
import type { PendingImport } from './pending-imports.ts';

const typeText: Record<PlannedRow['kind'], string> = { allocation: 'Allocation', commitment: 'Commitment', spend: 'Spend' };
const kindText: Record<string, string> = { provisional: 'Provisional allocation', 'underspend-award': 'Award from the underspend pot', recall: 'Recall', adjustment: 'Adjustment' };

const eventOf = (row: PlannedRow): LedgerEvent => ({ detailType: row.command.contract.detailType, detail: row.command.detail }) as unknown as LedgerEvent;

export async function importPreview(pending: PendingImport, rows: readonly PlannedRow[], store: Pick<LedgerStore, 'get'>) {
  const groups = new Map<string, { stream: string; financialYear: string; rows: PlannedRow[] }>();
  for (const r of rows) {
    const key = `${r.stream}\u001f${r.financialYear}`;
    const group = groups.get(key) ?? { stream: r.stream, financialYear: r.financialYear, rows: [] };
    group.rows.push(r);
    groups.set(key, group);
  }
  const recorded = new Set<string>();
  const ledgers = await Promise.all(
    [...groups.values()].map(async (g) => {
      const before: Ledger = (await store.get(g.stream, g.financialYear)) ?? emptyLedger();
      let after = before;
      for (const r of g.rows) {
        const { ledger, applied } = applyEntry(after, entryFor(eventOf(r)));
        if (!applied) recorded.add(r.command.detail.eventId);
        after = ledger;
      }
      const now = balanceOf(before);
      const then = balanceOf(after);
      return {
        stream: g.stream,
        financialYear: g.financialYear,
        href: `/finance/funding/${g.stream}/${g.financialYear}`,
        rows: g.rows.length,
        remainingNow: formatPounds(now.remainingPence),
        remainingAfter: formatPounds(then.remainingPence),
        overspentAfter: then.overspent,
      };
    }),
  );
  const rowCells = [...rows]
    .sort((a, b) => a.row - b.row)
    .map((r) => {
      const d = r.command.detail as { kind?: string; project?: string; reference?: string; occurredAt: string };
      return [
        { text: String(r.row) },
        { text: typeText[r.kind] },
        { text: `${r.stream} ${r.financialYear}` },
        { text: r.kind === 'allocation' ? (kindText[d.kind ?? ''] ?? '') : (d.project ?? '') },
        { text: d.reference ?? '' },
        { text: dayOf(d.occurredAt) },
        { text: formatPounds(r.amountPence), format: 'numeric' },
        { text: recorded.has(r.command.detail.eventId) ? 'Already recorded' : 'New' },
      ];
    });
  return {
    importId: pending.importId,
    fileName: pending.fileName,
    uploadedOn: dayOf(pending.plannedAt),
    rowCount: rows.length,
    newCount: rows.length - recorded.size,
    ledgers,
    rowCells,
    outcome: pending.outcome ? { ...pending.outcome, confirmedOn: dayOf(pending.outcome.confirmedAt) } : undefined,
  };
}
