import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DetailOf } from '#events/contract';
import type { FundingAllocated, FundingSpent } from '#events/funding';
import { applyEntry, balanceOf, emptyLedger, entryBytes, entryFor, linesOf, overspendAfter, type Ledger, type LedgerEvent } from '../../functions/funding/ledger.ts';

const base = { occurredAt: '2024-06-01T10:00:00+01:00', schemaVersion: 1, actor: { kind: 'officer' as const }, stream: 'CSP', financialYear: '2024-25' };
const allocated = (eventId: string, kind: DetailOf<typeof FundingAllocated>['kind'], amountPence: number): LedgerEvent => ({
  detailType: 'FundingAllocated',
  detail: { ...base, eventId, kind, amountPence, reference: `ref ${eventId}` },
});
const spent = (eventId: string, project: string, amountPence: number, occurredAt = base.occurredAt): LedgerEvent => ({
  detailType: 'FundingSpent',
  detail: { ...base, occurredAt, eventId, project, amountPence, reference: `ref ${eventId}` } satisfies DetailOf<typeof FundingSpent>,
});
const committed = (eventId: string, project: string, amountPence: number): LedgerEvent => ({
  detailType: 'FundingCommitted',
  detail: { ...base, eventId, project, amountPence },
});
const reversed = (eventId: string, spendEventId: string): LedgerEvent => ({
  detailType: 'FundingSpendReversed',
  detail: { ...base, eventId, spendEventId, reason: 'posted twice' },
});

const replay = (events: readonly LedgerEvent[], start: Ledger = emptyLedger()) =>
  events.reduce((ledger, e) => applyEntry(ledger, entryFor(e)).ledger, start);

/** The council's reported year (domain.md "CSP funding"). */
const reportYear: LedgerEvent[] = [
  allocated('a1', 'provisional', 3133575),
  allocated('a2', 'underspend-award', 479607),
  spent('s1', 'Safer Communities and Partnership Officer post (part funding)', 1546200),
  spent('s2', 'DISC app subscription, one more year', 132000),
  spent('s3', 'Response Fund (skate-park graffiti event, anti-climb spikes)', 600000),
  spent('s4', 'CCTV contract transition and police live-viewing upgrade', 1083700),
];

describe('unit: funding ledger', () => {
  it('reproduces the reported year to the penny when its lines are applied', () => {
    const balance = balanceOf(replay(reportYear));
    expect(balance).toMatchObject({
      allocatedPence: 3133575,
      awardedPence: 479607,
      recalledPence: 0,
      adjustedPence: 0,
      spentPence: 3361900,
      committedPence: 0,
      remainingPence: 251282,
      overspent: false,
    });
    expect(balance.projects).toHaveLength(4);
    expect(balance.projects.find((p) => p.project.startsWith('CCTV'))).toEqual({
      project: 'CCTV contract transition and police live-viewing upgrade',
      spentPence: 1083700,
      committedPence: 0,
    });
  });

  it('subtracts a recall, adds a signed adjustment and shows commitments without subtracting them', () => {
    const balance = balanceOf(
      replay([allocated('p', 'provisional', 20_000_000), allocated('r', 'recall', 7_000_000), allocated('adj', 'adjustment', -1_050), committed('c', 'CCTV', 500_000), spent('s', 'CCTV', 100_000)]),
    );
    expect(balance).toMatchObject({ recalledPence: 7_000_000, adjustedPence: -1_050, committedPence: 500_000, spentPence: 100_000, remainingPence: 12_898_950 });
    expect(balance.projects).toEqual([{ project: 'CCTV', spentPence: 100_000, committedPence: 500_000 }]);
  });

  it('changes nothing when an event is applied a second time', () => {
    const once = replay(reportYear);
    for (const e of reportYear) expect(applyEntry(once, entryFor(e)).applied).toBe(false);
    expect(replay(reportYear, once)).toEqual(once);
  });

  it('restores the balance when a spend is reversed, and a second reversal changes nothing more', () => {
    const before = balanceOf(replay(reportYear)).remainingPence;
    const afterOne = replay([...reportYear, reversed('r1', 's2')]);
    expect(balanceOf(afterOne).remainingPence).toBe(before + 132000);
    const second = applyEntry(afterOne, entryFor(reversed('r2', 's2')));
    expect(second.applied).toBe(false);
    expect(balanceOf(second.ledger).remainingPence).toBe(before + 132000);
  });

  it('nets a reversal out when it arrives before its spend', () => {
    const early = replay([allocated('a', 'provisional', 10_000), reversed('r', 's'), spent('s', 'x', 4_000)]);
    expect(balanceOf(early)).toMatchObject({ spentPence: 0, remainingPence: 10_000 });
    expect(linesOf(early).find((l) => l.eventId === 's')).toMatchObject({ reversedBy: 'r' });
  });

  it('gives the same ledger and balance for any order and any duplicates of the same events', () => {
    const event = fc.oneof(
      fc.record({ id: fc.constantFrom('a1', 'a2', 'a3'), kind: fc.constantFrom('provisional', 'underspend-award', 'recall', 'adjustment'), pence: fc.integer({ min: 1, max: 5_000_000 }) }).map(
        (a) => allocated(a.id, a.kind as 'provisional', a.kind === 'adjustment' ? -a.pence : a.pence),
      ),
      fc.record({ id: fc.constantFrom('s1', 's2', 's3', 's4', 's5'), project: fc.constantFrom('CCTV', 'DISC', 'Response Fund'), pence: fc.integer({ min: 1, max: 2_000_000 }) }).map((s) =>
        spent(s.id, s.project, s.pence),
      ),
      fc.record({ id: fc.constantFrom('c1', 'c2'), pence: fc.integer({ min: 1, max: 2_000_000 }) }).map((c) => committed(c.id, 'CCTV', c.pence)),
      fc.constantFrom('s1', 's3', 's5').map((s) => reversed(`rev-${s}`, s)),
    );
    // One fact per eventId (a redelivery carries the same detail): the first generated wins.
    const facts = fc.array(event, { maxLength: 40 }).map((es) => [...new Map(es.map((e) => [e.detail.eventId, e])).values()]);
    fc.assert(
      fc.property(
        facts.chain((es) =>
          fc.tuple(
            fc.constant(es),
            fc.shuffledSubarray([...es, ...es, ...es], { minLength: es.length * 3, maxLength: es.length * 3 }),
          ),
        ),
        ([es, redelivered]) => {
          const inOrder = replay(es);
          const shuffled = replay(redelivered);
          expect(shuffled).toEqual(inOrder);
          const b = balanceOf(shuffled);
          // The balance is always the sum of its lines.
          const lines = linesOf(shuffled);
          const sum = (type: string, pred: (l: (typeof lines)[number]) => boolean = () => true) =>
            lines.filter((l) => l.type === type && pred(l)).reduce((t, l) => t + ('amountPence' in l ? l.amountPence : 0), 0);
          expect(b.spentPence).toBe(sum('spend', (l) => !('reversedBy' in l)));
          expect(b.committedPence).toBe(sum('commitment'));
          expect(b.allocatedPence + b.awardedPence - b.recalledPence + b.adjustedPence).toBe(
            lines.reduce((t, l) => (l.type === 'allocation' ? t + (l.kind === 'recall' ? -l.amountPence : l.amountPence) : t), 0),
          );
          expect(b.remainingPence).toBe(b.allocatedPence + b.awardedPence - b.recalledPence + b.adjustedPence - b.spentPence);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('flags a spend that leaves the year overdrawn, with the balance after it', () => {
    const ledger = replay([allocated('a', 'provisional', 100_000), spent('s1', 'x', 60_000), spent('s2', 'y', 65_000)]);
    expect(overspendAfter(ledger, 's2')).toMatchObject({ remainingPence: -25_000, occurredAt: base.occurredAt });
    expect(overspendAfter(ledger, 's2')?.eventId).toMatch(/^[0-9a-f]{8}-/);
    expect(overspendAfter(replay([allocated('a', 'provisional', 100_000), spent('s1', 'x', 60_000)]), 's1')).toBeUndefined();
    expect(overspendAfter(replay([reversed('r', 's2')], ledger), 's2')).toBeUndefined();
  });

  it('budgets more bytes for a long line than for a short one', () => {
    expect(entryBytes(entryFor(spent('s', 'x'.repeat(200), 1)))).toBeGreaterThan(entryBytes(entryFor(spent('s', 'x', 1))) + 190);
  });

  it('counts and lists spends whose eventIds name Object.prototype members, and reverses them', () => {
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];
    const ledger = replay([allocated('a', 'provisional', 100_000), ...names.map((n, i) => spent(n, 'x', 1_000 * (i + 1)))]);
    expect(balanceOf(ledger)).toMatchObject({ spentPence: 15_000, remainingPence: 85_000 });
    expect(linesOf(ledger).map((l) => l.eventId).sort()).toEqual(['a', ...names].sort());
    expect(linesOf(ledger).find((l) => l.eventId === 'constructor')).not.toHaveProperty('reversedBy');
    const after = replay([reversed('r1', 'constructor')], ledger);
    expect(balanceOf(after)).toMatchObject({ spentPence: 14_000 });
    expect(linesOf(after).find((l) => l.eventId === 'r1')).toMatchObject({ matched: true });
    expect(linesOf(replay([reversed('r2', 'toString')])).find((l) => l.eventId === 'r2')).toMatchObject({ matched: false });
    expect(overspendAfter(replay([spent('constructor', 'x', 1)]), 'constructor')).toMatchObject({ remainingPence: -1 });
  });

  it('reads the same balance from a ledger stored as plain objects (as the SDK gives them back)', () => {
    const stored: Ledger = { lines: JSON.parse(JSON.stringify({ constructor: entryFor(spent('constructor', 'x', 700)).value })) as Ledger['lines'], reversals: {}, overspends: {} };
    expect(balanceOf(stored).spentPence).toBe(700);
    expect(applyEntry(emptyLedger(), entryFor(spent('toString', 'x', 5))).applied).toBe(true);
  });
});
