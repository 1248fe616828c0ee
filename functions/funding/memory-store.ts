/**
 * The ledger store in memory, with the same semantics as the DynamoDB one (insert if absent,
 * one atomic step per call). It is the model the domain's property tests run against; the
 * integration tests hold the DynamoDB store to the same results.
 */
import { applyEntry, emptyLedger, valueAt, hasKey, type Ledger } from './ledger.ts';
import type { LedgerStore } from './ledger-repository.ts';

export function memoryLedgerStore(): LedgerStore & { ledgers: Map<string, Ledger> } {
  const ledgers = new Map<string, Ledger>();
  const id = (stream: string, fy: string) => `${stream}#${fy}`;
  const read = (stream: string, fy: string) => ledgers.get(id(stream, fy)) ?? emptyLedger();
  const write = (stream: string, fy: string, ledger: Ledger) => {
    ledgers.set(id(stream, fy), structuredClone(ledger));
    return structuredClone(ledger);
  };
  return {
    ledgers,
    get: async (stream, fy) => (ledgers.has(id(stream, fy)) ? structuredClone(read(stream, fy)) : undefined),
    getLines: async (stream, fy, lineIds, reversedSpendIds) => {
      if (!ledgers.has(id(stream, fy))) return undefined;
      const ledger = read(stream, fy);
      const pick = <T>(map: Readonly<Record<string, T>>, ids: readonly string[]) =>
        Object.fromEntries(ids.filter((k) => hasKey(map, k)).map((k) => [k, map[k] as T]));
      return structuredClone({ lines: pick(ledger.lines, lineIds), reversals: pick(ledger.reversals, reversedSpendIds), overspends: {} });
    },
    apply: async (stream, fy, entry) => {
      const { ledger, applied } = applyEntry(read(stream, fy), entry);
      return { applied, ledger: write(stream, fy, ledger), bytesUsed: 0 };
    },
    check: async (stream, fy, spendEventId, flag) => {
      const ledger = read(stream, fy);
      const line = valueAt(ledger.lines, spendEventId);
      if (line?.type !== 'spend') throw new Error(`no spend ${spendEventId}`);
      return valueAt(write(stream, fy, {
        ...ledger,
        lines: { ...ledger.lines, [spendEventId]: { ...line, checked: true } },
        overspends: flag && !hasKey(ledger.overspends, spendEventId) ? { ...ledger.overspends, [spendEventId]: flag } : ledger.overspends,
      }).overspends, spendEventId);
    },
    markOverspendPublished: async (stream, fy, spendEventId) => {
      const ledger = read(stream, fy);
      const flag = valueAt(ledger.overspends, spendEventId);
      if (!flag) throw new Error(`no overspend flag for ${spendEventId}`);
      write(stream, fy, { ...ledger, overspends: { ...ledger.overspends, [spendEventId]: { ...flag, published: true } } });
    },
    claimClosure: async (stream, fy, closure) => {
      const ledger = read(stream, fy);
      return write(stream, fy, { ...ledger, closure: ledger.closure ?? closure }).closure ?? closure;
    },
    markClosurePublished: async (stream, fy) => {
      const ledger = read(stream, fy);
      if (!ledger.closure) throw new Error('no closure');
      write(stream, fy, { ...ledger, closure: { ...ledger.closure, published: true } });
    },
  };
}
