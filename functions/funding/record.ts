import type { DetailInput } from '#events/contract';
import type { FundingOverspent } from '#events/funding';
import { ConflictingEventError, RefusedEventError } from '#shared/event-errors';
import { entryFor, overspendAfter, valueAt, type Ledger, type LedgerEntry, type LedgerEvent } from './ledger.ts';
import type { LedgerStore } from './ledger-repository.ts';
import { lookupLedger, type StreamRegistry } from './stream-registry.ts';

export interface RecordDeps {
  store: Pick<LedgerStore, 'apply' | 'check' | 'markOverspendPublished'>;
  publishOverspent: (detail: DetailInput<typeof FundingOverspent>) => Promise<void>;
  /** The open streams (the registry): an event for a stream nobody opened is refused. */
  streams: Pick<StreamRegistry, 'find' | 'list'>;
  now?: () => Date;
}

/** The ledger's line for an entry already there differs from the entry (ignoring the ledger's own `checked` mark). */
function differs(entry: LedgerEntry, ledger: Ledger, eventId: string): boolean {
  if (entry.map === 'reversals') {
    const stored = valueAt(ledger.reversals, entry.key);
    // Another reversal of the same spend is a second event (it changes nothing); the same eventId must match.
    return stored !== undefined && stored.eventId === eventId && JSON.stringify(stored) !== JSON.stringify(entry.value);
  }
  const stored = valueAt(ledger.lines, entry.key);
  if (stored === undefined) return false;
  const comparable = (line: object) => JSON.stringify(Object.entries(line).filter(([k]) => k !== 'checked').sort(([a], [b]) => (a < b ? -1 : 1)));
  return comparable(stored) !== comparable(entry.value);
}

/**
 * One funding event into its ledger:
 * 1. the line is inserted if absent (a duplicate changes nothing);
 * 2. a spend not yet judged is judged on the ledger as it stands, and flagged if the year is
 *    now overdrawn — in one write, so a retry finds the verdict rather than judging again;
 * 3. a flag not yet on the bus is published (its eventId comes from the spend's), then marked.
 * A retry after a failure at any step resumes from the step that failed; a duplicate delivery
 * of a finished spend publishes nothing.
 */
export async function recordFundingEvent(event: LedgerEvent, deps: RecordDeps): Promise<{ applied: boolean; overspent: boolean; bytesUsed: number }> {
  const { stream, financialYear, eventId } = event.detail;
  const known = await lookupLedger(deps.streams, stream, financialYear, (deps.now ?? (() => new Date()))());
  if (!known.ok || known.stream.code !== stream) {
    throw new RefusedEventError(`${event.detailType} ${eventId} is not for a ledger this council keeps: ${known.ok ? `the stream is written ${known.stream.code}, not ${stream}` : known.message}`);
  }
  const entry = entryFor(event);
  const { applied, ledger, bytesUsed } = await deps.store.apply(stream, financialYear, entry);
  // Past the consumer's idempotency window a repeat reaches the ledger itself: the same content changes nothing; other content is flagged.
  if (!applied && differs(entry, ledger, eventId)) {
    throw new ConflictingEventError(`${event.detailType} ${eventId} has the same eventId as a line already in ${stream} ${financialYear} but different content: it is not applied`);
  }
  if (event.detailType !== 'FundingSpent') return { applied, overspent: false, bytesUsed };

  const spendEventId = event.detail.eventId;
  const line = valueAt(ledger.lines, spendEventId);
  let flag = valueAt(ledger.overspends, spendEventId);
  if (line?.type === 'spend' && line.checked !== true) {
    const verdict = overspendAfter(ledger, spendEventId);
    flag = await deps.store.check(stream, financialYear, spendEventId, verdict && { ...verdict, published: false });
  }
  if (flag && !flag.published) {
    await deps.publishOverspent({
      eventId: flag.eventId,
      occurredAt: flag.occurredAt,
      actor: { kind: 'system', id: 'funding-ledger' },
      stream,
      financialYear,
      remainingPence: flag.remainingPence,
      causedBy: spendEventId,
    });
    await deps.store.markOverspendPublished(stream, financialYear, spendEventId);
  }
  return { applied, overspent: flag !== undefined, bytesUsed };
}
