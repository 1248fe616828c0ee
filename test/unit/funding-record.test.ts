import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DetailInput } from '#events/contract';
import type { FundingOverspent, FundingYearClosed } from '#events/funding';
import { closeYear, streamsRunningIn, yearToClose } from '../../functions/funding/close.ts';
import { balanceOf, overspentEventId, type LedgerEvent } from '../../functions/funding/ledger.ts';
import { memoryLedgerStore } from '../../functions/funding/memory-store.ts';
import { memoryStreamRegistry, recordStreamOpened } from '../../functions/funding/stream-registry.ts';
import { testStreams } from '../support/funding-streams.ts';
import { recordFundingEvent } from '../../functions/funding/record.ts';

const base = { occurredAt: '2024-06-01T10:00:00+01:00', schemaVersion: 1, actor: { kind: 'officer' as const }, stream: 'CSP', financialYear: '2024-25' };
const allocation = (eventId: string, amountPence: number): LedgerEvent => ({
  detailType: 'FundingAllocated',
  detail: { ...base, eventId, kind: 'provisional', amountPence, reference: 'letter' },
});
const spend = (eventId: string, amountPence: number): LedgerEvent => ({
  detailType: 'FundingSpent',
  detail: { ...base, eventId, project: 'CCTV', amountPence, reference: `inv ${eventId}` },
});
const reversal = (eventId: string, spendEventId: string): LedgerEvent => ({
  detailType: 'FundingSpendReversed',
  detail: { ...base, eventId, spendEventId, reason: 'wrong cost centre' },
});

function harness(failPublishTimes = 0) {
  const store = memoryLedgerStore();
  const streams = memoryStreamRegistry(testStreams);
  const published: DetailInput<typeof FundingOverspent>[] = [];
  let failures = failPublishTimes;
  const deps = {
    store,
    streams,
    now: () => new Date('2024-06-02T09:00:00Z'),
    publishOverspent: async (d: DetailInput<typeof FundingOverspent>) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('bus unavailable');
      }
      published.push(d);
    },
  };
  return { store, streams, published, record: (e: LedgerEvent) => recordFundingEvent(e, deps) };
}

describe('unit: recording funding events', () => {
  it('emits FundingOverspent once, with the balance and the spend that caused it, when the spend is delivered twice', async () => {
    const h = harness();
    await h.record(allocation('a', 100_000));
    await h.record(spend('s1', 80_000));
    expect(await h.record(spend('s2', 30_000))).toMatchObject({ applied: true, overspent: true });
    expect(await h.record(spend('s2', 30_000))).toMatchObject({ applied: false, overspent: true });
    expect(h.published).toEqual([
      expect.objectContaining({ eventId: overspentEventId('s2'), causedBy: 's2', remainingPence: -10_000, stream: 'CSP', financialYear: '2024-25', occurredAt: base.occurredAt, actor: { kind: 'system', id: 'funding-ledger' } }),
    ]);
  });

  it('flags every spend made while the year is overdrawn, not only the first', async () => {
    const h = harness();
    await h.record(allocation('a', 10_000));
    await h.record(spend('s1', 15_000));
    await h.record(spend('s2', 1_000));
    expect(h.published.map((p) => [p.causedBy, p.remainingPence])).toEqual([
      ['s1', -5_000],
      ['s2', -6_000],
    ]);
  });

  it('publishes the stored flag on the retry when publishing failed the first time', async () => {
    const h = harness(1);
    await h.record(allocation('a', 1_000));
    await expect(h.record(spend('s', 5_000))).rejects.toThrow('bus unavailable');
    await h.record(allocation('late', 100_000)); // the balance recovers before the retry
    await h.record(spend('s', 5_000));
    expect(h.published).toHaveLength(1);
    expect(h.published[0]).toMatchObject({ causedBy: 's', remainingPence: -4_000 });
    await h.record(spend('s', 5_000));
    expect(h.published).toHaveLength(1);
  });

  it('does not flag a spend whose reversal arrived first', async () => {
    const h = harness();
    await h.record(allocation('a', 1_000));
    await h.record(reversal('r', 's'));
    await h.record(spend('s', 5_000));
    expect(h.published).toEqual([]);
    expect(balanceOf((await h.store.get('CSP', '2024-25'))!).remainingPence).toBe(1_000);
  });

  it('refuses, before any write, an event for a stream nobody opened, a year outside the stream or a code not as opened; applies it once the stream is open', async () => {
    const h = harness();
    const allocationIn = (stream: string, financialYear: string, eventId: string): LedgerEvent => ({
      detailType: 'FundingAllocated',
      detail: { ...base, stream, financialYear, eventId, kind: 'provisional', amountPence: 5_000, reference: 'letter' },
    });
    const ss6 = (eventId: string) => allocationIn('SS6', '2024-25', eventId);
    await expect(h.record(ss6('x1'))).rejects.toThrow(/not for a ledger this council keeps: there is no funding stream "SS6"; the streams are CSP, SS5/);
    await expect(h.record(allocationIn('SS5', '2026-27', 'x2'))).rejects.toThrow(/SS5 covers 2023-24 to 2024-25; 2026-27 is outside it/);
    const lowerCase = allocationIn('csp', '2024-25', 'x3');
    await expect(h.record(lowerCase)).rejects.toThrow(/the stream is written CSP, not csp/);
    expect(h.store.ledgers.size).toBe(0);

    await h.streams.claim({ code: 'SS6', name: 'Safer Streets round 6', description: 'Home Office', startsOn: '2024-04-01', eventId: 'opened-SS6', openedAt: '2024-04-01T09:00:00Z', published: true });
    expect(await h.record(ss6('x1'))).toMatchObject({ applied: true });
    expect([...h.store.ledgers.keys()]).toHaveLength(1);
  });

  it('ends with the same balance and one flag per flagged spend for any delivery order with duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 0, max: 300_000 }),
        fc.infiniteStream(fc.nat()),
        async (amounts, allocated, randoms) => {
          const events = [allocation('a', allocated || 1), ...amounts.map((p, i) => spend(`s${i}`, p))];
          const deliveries = [...events, ...events.filter((_, i) => i % 2 === 0)];
          const it = randoms[Symbol.iterator]();
          for (let i = deliveries.length - 1; i > 0; i--) {
            const j = (it.next().value as number) % (i + 1);
            [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
          }
          const h = harness();
          for (const e of deliveries) await h.record(e);
          const ledger = (await h.store.get('CSP', '2024-25'))!;
          const expected = (allocated || 1) - amounts.reduce((t, p) => t + p, 0);
          expect(balanceOf(ledger).remainingPence).toBe(expected);
          const causes = h.published.map((p) => p.causedBy);
          expect(new Set(causes).size).toBe(causes.length);
          expect(causes.sort()).toEqual(Object.keys(ledger.overspends).sort());
          if (expected < 0) expect(causes.length).toBeGreaterThan(0);
          else if (causes.length > 0) expect(h.published.every((p) => p.remainingPence < 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('unit: a FundingStreamOpened event into the registry', () => {
  const opening = { eventId: 'open-ss6', occurredAt: '2025-09-20T10:00:00.000Z', stream: 'SS6', name: 'Safer Streets Fund (round 6)', description: 'Round 6', startsOn: '2025-10-01', endsOn: '2027-03-31' };

  it('opens the stream as the API stores it, so a ledger event for it is then taken', async () => {
    const registry = memoryStreamRegistry();
    const store = memoryLedgerStore();
    const event: LedgerEvent = { detailType: 'FundingAllocated', detail: { ...base, stream: 'SS6', financialYear: '2025-26', eventId: 'a1', kind: 'provisional', amountPence: 100, reference: 'grant' } };
    await expect(recordFundingEvent(event, { store, streams: registry, publishOverspent: async () => undefined })).rejects.toThrow(/no funding stream "SS6"/);
    expect(await recordStreamOpened(registry, opening)).toEqual({ claimed: true, conflicting: false });
    expect(await registry.find('ss6')).toEqual({ code: 'SS6', name: opening.name, description: 'Round 6', startsOn: '2025-10-01', endsOn: '2027-03-31', eventId: 'open-ss6', openedAt: opening.occurredAt, published: true });
    expect((await recordFundingEvent(event, { store, streams: registry, publishOverspent: async () => undefined })).applied).toBe(true);
  });

  it('leaves a stream already open as it is: the same opening again changes nothing, another definition is reported and not applied', async () => {
    const registry = memoryStreamRegistry();
    await recordStreamOpened(registry, opening);
    expect(await recordStreamOpened(registry, opening)).toEqual({ claimed: false, conflicting: false });
    expect(await recordStreamOpened(registry, { ...opening, eventId: 'open-ss6-again', name: 'Another fund' })).toEqual({ claimed: false, conflicting: true });
    expect(await registry.find('SS6')).toMatchObject({ name: opening.name, eventId: 'open-ss6' });
  });
});

describe('unit: funding year end', () => {
  it('closes the year that ended the day before a run on 1 April, in London time', () => {
    expect(yearToClose(new Date('2025-03-31T23:05:00Z'))).toBe('2024-25');
    expect(yearToClose(new Date('2025-04-01T00:05:00+01:00'))).toBe('2024-25');
    expect(yearToClose(new Date('2026-04-01T00:05:00+01:00'))).toBe('2025-26');
  });

  it('closes only the streams that ran in the year', () => {
    const at = new Date('2025-04-01T00:05:00+01:00');
    expect(streamsRunningIn('2024-25', at, testStreams).map((s) => s.code)).toEqual(['CSP', 'SS5']);
    expect(streamsRunningIn('2025-26', new Date('2026-04-01T00:05:00+01:00'), testStreams).map((s) => s.code)).toEqual(['CSP']);
  });

  it('emits FundingYearClosed once with the remaining balance, however often it runs', async () => {
    const h = harness();
    await h.record(allocation('a', 3133575));
    await h.record(spend('s', 2_882_293));
    const published: DetailInput<typeof FundingYearClosed>[] = [];
    const deps = { store: h.store, councilId: 'default', now: () => new Date('2025-04-01T00:05:00+01:00'), publish: async (d: DetailInput<typeof FundingYearClosed>) => void published.push(d) };
    expect((await closeYear('CSP', '2024-25', deps)).published).toBe(true);
    expect((await closeYear('CSP', '2024-25', deps)).published).toBe(false);
    expect(published).toEqual([
      expect.objectContaining({ stream: 'CSP', financialYear: '2024-25', remainingPence: 251282, occurredAt: '2025-03-31T23:59:59+01:00' }),
    ]);
  });

  it('publishes the figure it stored when a run failed after storing it', async () => {
    const h = harness();
    await h.record(allocation('a', 1_000));
    let fail = true;
    const published: DetailInput<typeof FundingYearClosed>[] = [];
    const deps = {
      store: h.store,
      councilId: 'default',
      now: () => new Date(),
      publish: async (d: DetailInput<typeof FundingYearClosed>) => {
        if (fail) throw new Error('bus unavailable');
        published.push(d);
      },
    };
    await expect(closeYear('CSP', '2024-25', deps)).rejects.toThrow();
    fail = false;
    await h.record(spend('late', 400)); // a late spend does not change the closed figure
    await closeYear('CSP', '2024-25', deps);
    expect(published.map((p) => p.remainingPence)).toEqual([1_000]);
  });
});
