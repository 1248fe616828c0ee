import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordBody, streamBody } from '../../functions/funding/desk-model.ts';
import { dateFromParts } from '../../web/forms.ts';
import { effectOf, ledgerExportCsv } from '../../functions/funding/ledger-export.ts';
import { applyEntry, balanceOf, emptyLedger, entryFor, linesOf, type LedgerEvent } from '../../functions/funding/ledger.ts';
import { memoryProfileStore } from '../../functions/funding/profile-store.ts';
import {
  outturnOf,
  percentText,
  quarterOf,
  quarterRows,
  quarterSpan,
  spendByQuarter,
  tenthsOfPercent,
  yearStateOf,
} from '../../functions/funding/quarters.ts';
import { openStream, profileFrom, setProfile } from '../../functions/funding/setup.ts';
import { lookupLedger, memoryStreamRegistry } from '../../functions/funding/stream-registry.ts';
import { ledgerView } from '../../functions/funding/views.ts';
import { csp, testStreams } from '../support/funding-streams.ts';

const base = { schemaVersion: 1, actor: { kind: 'officer' as const }, stream: 'CSP', financialYear: '2024-25' };
const spend = (eventId: string, amountPence: number, occurredAt: string): LedgerEvent => ({
  detailType: 'FundingSpent',
  detail: { ...base, eventId, occurredAt, project: 'CCTV', amountPence, reference: `INV-${eventId}` },
});

describe('unit: funding quarters (Q1 = April to June, London dates)', () => {
  it('spans the quarters of a financial year', () => {
    expect([1, 2, 3, 4].map((q) => quarterSpan('2024-25', q as 1 | 2 | 3 | 4))).toEqual([
      { from: '2024-04-01', to: '2024-06-30' },
      { from: '2024-07-01', to: '2024-09-30' },
      { from: '2024-10-01', to: '2024-12-31' },
      { from: '2025-01-01', to: '2025-03-31' },
    ]);
  });

  it('puts an instant in the quarter of its London date, including across midnight in summer time', () => {
    expect(quarterOf('2024-25', '2024-06-30T23:30:00Z')).toBe(2); // 00:30 on 1 July in London
    expect(quarterOf('2024-25', '2024-06-30T22:59:59Z')).toBe(1);
    expect(quarterOf('2024-25', '2025-03-31T23:30:00+01:00')).toBe(4);
    expect(quarterOf('2024-25', '2025-03-31T23:30:00Z')).toBeUndefined(); // 00:30 on 1 April 2025, BST
    expect(quarterOf('2024-25', '2024-03-31T22:59:59Z')).toBeUndefined();
    expect(quarterOf('2024-25', '2024-12-31T23:59:59Z')).toBe(3); // GMT in winter
  });

  it('counts spends by quarter, leaves reversed spends out, and keeps spends dated outside the year apart', () => {
    let ledger = emptyLedger();
    for (const e of [
      spend('a', 1_000, '2024-05-01T10:00:00+01:00'),
      spend('b', 2_000, '2024-08-01T10:00:00+01:00'),
      spend('c', 4_000, '2024-08-02T10:00:00+01:00'),
      spend('d', 8_000, '2025-02-01T10:00:00Z'),
      spend('e', 16_000, '2025-04-02T10:00:00+01:00'),
    ]) ledger = applyEntry(ledger, entryFor(e)).ledger;
    ledger = applyEntry(ledger, entryFor({ detailType: 'FundingSpendReversed', detail: { ...base, eventId: 'r', occurredAt: '2024-09-01T10:00:00+01:00', spendEventId: 'c', reason: 'wrong' } })).ledger;
    const spent = spendByQuarter('2024-25', linesOf(ledger));
    expect(spent).toEqual({ spentPence: [1_000, 2_000, 0, 8_000], outsideYearPence: 16_000 });
    const rows = quarterRows('2024-25', spent, [1_500, 1_500, 1_500, 1_500]);
    expect(rows.map((r) => [r.profilePence, r.spentPence, r.differencePence, r.cumulativeProfilePence, r.cumulativeSpentPence])).toEqual([
      [1_500, 1_000, -500, 1_500, 1_000],
      [1_500, 2_000, 500, 3_000, 3_000],
      [1_500, 0, -1_500, 4_500, 3_000],
      [1_500, 8_000, 6_500, 6_000, 11_000],
    ]);
    expect(quarterRows('2024-25', spent).every((r) => r.profilePence === undefined && r.differencePence === undefined)).toBe(true);
  });

  it('for any spends and reversals: the quarters and the outside-year amount add up to the year spent', () => {
    const instant = fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2025-06-30T00:00:00Z') }).map((t) => new Date(t).toISOString());
    fc.assert(
      fc.property(fc.array(fc.record({ amount: fc.integer({ min: 1, max: 10_000_000 }), at: instant, reversed: fc.boolean() }), { maxLength: 30 }), (items) => {
        let ledger = emptyLedger();
        items.forEach((s, i) => {
          ledger = applyEntry(ledger, entryFor(spend(`s${i}`, s.amount, s.at))).ledger;
          if (s.reversed) ledger = applyEntry(ledger, entryFor({ detailType: 'FundingSpendReversed', detail: { ...base, eventId: `r${i}`, occurredAt: s.at, spendEventId: `s${i}`, reason: 'x' } })).ledger;
        });
        const q = spendByQuarter('2024-25', linesOf(ledger));
        expect(q.spentPence.reduce((a, b) => a + b, 0) + q.outsideYearPence).toBe(balanceOf(ledger).spentPence);
      }),
    );
  });
});

describe('unit: forecast outturn and % spent, in whole numbers', () => {
  it("gives the reported CSP year's outturn: spent + committed against what was available", () => {
    const o = outturnOf({ allocatedPence: 3_133_575, awardedPence: 479_607, recalledPence: 0, adjustedPence: 0, spentPence: 3_361_900, committedPence: 240_000 });
    expect(o).toEqual({
      availablePence: 3_613_182,
      spentPence: 3_361_900,
      committedPence: 240_000,
      forecastOutturnPence: 3_601_900,
      forecastRemainingPence: 11_282,
      spentTenthsOfPercent: 930, // 93.045…% → 93.0%
      outturnTenthsOfPercent: 997, // 99.687…% → 99.7%
    });
    expect(percentText(930)).toBe('93.0%');
    expect(percentText(1234)).toBe('123.4%');
    expect(percentText(-5)).toBe('−0.5%');
  });

  it('subtracts a recall and adds an adjustment, and leaves the percentage out when nothing is available', () => {
    expect(outturnOf({ allocatedPence: 100, awardedPence: 0, recalledPence: 30, adjustedPence: -10, spentPence: 60, committedPence: 0 })).toMatchObject({ availablePence: 60, spentTenthsOfPercent: 1000 });
    const none = outturnOf({ allocatedPence: 0, awardedPence: 0, recalledPence: 0, adjustedPence: 0, spentPence: 500, committedPence: 0 });
    expect(none.spentTenthsOfPercent).toBeUndefined();
    expect(none.forecastRemainingPence).toBe(-500);
  });

  it('rounds half up in whole numbers, exactly, for amounts up to the £1bn bound', () => {
    expect(tenthsOfPercent(1, 2_000)).toBe(1); // 0.05% → 0.1%
    expect(tenthsOfPercent(1, 2_001)).toBe(0);
    expect(tenthsOfPercent(1, 3)).toBe(333);
    expect(tenthsOfPercent(2, 3)).toBe(667);
    expect(tenthsOfPercent(5, 0)).toBeUndefined();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), fc.integer({ min: 1, max: 100_000_000_000 }), (part, whole) => {
        const t = tenthsOfPercent(part, whole) ?? NaN;
        // t is the nearest whole number to part × 1000 / whole, ties up: |t × whole − part × 1000| ≤ whole / 2.
        const error = BigInt(t) * BigInt(whole) - BigInt(part) * 1000n;
        expect(2n * (error < 0n ? -error : error) <= BigInt(whole)).toBe(true);
        expect(-2n * error < BigInt(whole) || error === 0n).toBe(true);
      }),
    );
  });
});

describe('unit: year states', () => {
  it('tells open, ended but not closed, closed, and a year not started yet apart (London dates)', () => {
    expect(yearStateOf('2024-25', '2024-03-31', false)).toBe('not-started');
    expect(yearStateOf('2024-25', '2024-04-01', false)).toBe('open');
    expect(yearStateOf('2024-25', '2025-03-31', false)).toBe('open');
    expect(yearStateOf('2024-25', '2025-04-01', false)).toBe('ended');
    expect(yearStateOf('2024-25', '2025-04-01', true)).toBe('closed');
  });
});

describe('unit: the full ledger export', () => {
  it('has a line per fact whose effects sum to the remaining balance, for any order of facts', () => {
    const kinds = ['provisional', 'underspend-award', 'recall', 'adjustment'] as const;
    const fact = fc.oneof(
      fc.record({ t: fc.constant('allocation' as const), kind: fc.constantFrom(...kinds), amount: fc.integer({ min: 1, max: 1_000_000 }) }),
      fc.record({ t: fc.constant('commitment' as const), amount: fc.integer({ min: 1, max: 1_000_000 }) }),
      fc.record({ t: fc.constant('spend' as const), amount: fc.integer({ min: 1, max: 1_000_000 }), reversed: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 25 }), (facts) => {
        let ledger = emptyLedger();
        facts.forEach((f, i) => {
          const at = `2024-${String((i % 9) + 4).padStart(2, '0')}-10T10:00:00+01:00`;
          const event: LedgerEvent =
            f.t === 'allocation'
              ? { detailType: 'FundingAllocated', detail: { ...base, eventId: `e${i}`, occurredAt: at, kind: f.kind, amountPence: f.amount, reference: '=SUM(A1)' } }
              : f.t === 'commitment'
                ? { detailType: 'FundingCommitted', detail: { ...base, eventId: `e${i}`, occurredAt: at, project: 'p', amountPence: f.amount } }
                : spend(`e${i}`, f.amount, at);
          ledger = applyEntry(ledger, entryFor(event)).ledger;
          if (f.t === 'spend' && f.reversed) ledger = applyEntry(ledger, entryFor({ detailType: 'FundingSpendReversed', detail: { ...base, eventId: `r${i}`, occurredAt: at, spendEventId: `e${i}`, reason: 'x' } })).ledger;
        });
        const view = ledgerView(csp, '2024-25', ledger);
        const byId = new Map(view.lines.filter((l) => l.type !== 'reversal').map((l) => [l.eventId, l]));
        expect(view.lines.reduce((sum, l) => sum + effectOf(l, byId), 0)).toBe(view.remainingPence);
        const csv = ledgerExportCsv(view);
        expect(csv.split('\r\n').filter(Boolean)).toHaveLength(view.lines.length + 1);
        if (facts.some((f) => f.t === 'allocation')) expect(csv).toContain(",'=SUM(A1),");
      }),
    );
  });
});

describe('unit: the finance forms and set-up', () => {
  it('reads pounds typed on a form exactly, with no floating point', () => {
    const body = (amount: string) => recordBody('spend', { project: 'p', reference: 'r', amount }, '2024-25').body.amount;
    expect(body('£1,234.56')).toBe('£1,234.56'); // passed on as text; the command parses it (funding-money.test.ts)
    expect(() => recordBody('spend', { project: 'p', reference: 'r', amount: ' ' }, '2024-25')).toThrow('the spend could not be recorded');
    expect(recordBody('spend', { project: 'p', reference: 'r', amount: '1', 'date-day': '31', 'date-month': '3', 'date-year': '2025', formToken: 't' }, '2024-25')).toEqual({
      body: { amount: '1', project: 'p', reference: 'r', occurredAt: '2025-03-31T12:00:00+01:00' },
      idempotencyKey: 't',
    });
  });

  it('reads a date from its three boxes, or says what is missing', () => {
    expect(dateFromParts({}, 'd', 'the date')).toEqual({});
    expect(dateFromParts({ 'd-day': '1', 'd-month': '4', 'd-year': '2025' }, 'd', 'the date')).toEqual({ date: '2025-04-01' });
    expect(dateFromParts({ 'd-day': '29', 'd-month': '2', 'd-year': '2025' }, 'd', 'the date').problem).toContain('real date');
    expect(dateFromParts({ 'd-day': '1', 'd-year': '2025' }, 'd', 'the date').problem).toContain('must include a day, month and year');
  });

  it('checks every field of the stream form at once', () => {
    try {
      streamBody({ code: 'bad code', name: '', description: 'd', 'startsOn-day': '40', 'startsOn-month': '1', 'startsOn-year': '2025' });
      expect.unreachable();
    } catch (error) {
      expect((error as { details: { path: string }[] }).details.map((d) => d.path).sort()).toEqual(['code', 'name', 'startsOn']);
    }
  });

  it('takes a profile as four whole numbers of pence or four amounts in pounds, zero allowed', () => {
    expect(profileFrom({ quarterPence: [0, 1, 2, 3] })).toEqual([0, 1, 2, 3]);
    expect(profileFrom({ q1: '£8,000.00', q2: '0', q3: '9,000', q4: '0.01' })).toEqual([800_000, 0, 900_000, 1]);
    expect(() => profileFrom({ quarterPence: [1.5, 1, 2, 3] })).toThrow('the profile could not be recorded');
    expect(() => profileFrom({ q1: '1', q2: '-1', q3: '', q4: '1.234' })).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'q2' }), expect.objectContaining({ path: 'q3' }), expect.objectContaining({ path: 'q4' })] }));
  });

  it('keeps the latest profile whatever order two arrive in, and publishes a retried one once', async () => {
    const profiles = memoryProfileStore();
    const published: unknown[] = [];
    const deps = (at: string, key?: string) => ({ profiles, publish: async (d: unknown) => void published.push(d), councilId: 'c', actor: { kind: 'officer' as const }, now: new Date(at), ...(key ? { idempotencyKey: key } : {}) });
    const target = { stream: 'CSP', financialYear: '2024-25' };
    await setProfile(target, { quarterPence: [2, 2, 2, 2] }, deps('2024-05-02T10:00:00Z', 'later'));
    await setProfile(target, { quarterPence: [1, 1, 1, 1] }, deps('2024-05-01T10:00:00Z', 'earlier'));
    expect((await profiles.get('CSP', '2024-25'))?.quarterPence).toEqual([2, 2, 2, 2]);
    expect(await setProfile(target, { quarterPence: [2, 2, 2, 2] }, deps('2024-05-03T10:00:00Z', 'later'))).toMatchObject({ alreadyRecorded: true });
    await expect(setProfile(target, { quarterPence: [3, 3, 3, 3] }, deps('2024-05-03T10:00:00Z', 'later'))).rejects.toThrow('different profile');
    expect(published).toHaveLength(2);
  });

  it('opens a stream once; the registry is the read that refuses a stream nobody opened', async () => {
    const registry = memoryStreamRegistry(testStreams);
    const published: unknown[] = [];
    const deps = { registry, publish: async (d: unknown) => void published.push(d), councilId: 'c', actor: { kind: 'officer' as const }, now: new Date('2025-09-01T10:00:00Z') };
    const ss6 = { code: 'SS6', name: 'Round 6', description: 'Two years', startsOn: '2025-10-01', endsOn: '2027-03-31' };
    expect(await lookupLedger(registry, 'ss6', '2025-26', deps.now)).toMatchObject({ ok: false, problem: 'unknown-stream', message: expect.stringContaining('the streams are CSP, SS5') });
    const first = await openStream(ss6, deps);
    expect(await openStream(ss6, deps)).toEqual({ ...first, alreadyOpen: true });
    await expect(openStream({ ...ss6, name: 'Other' }, deps)).rejects.toThrow('already open');
    await expect(openStream({ ...ss6, code: 'streams' }, deps)).rejects.toThrow('could not be opened');
    expect(published).toEqual([expect.objectContaining({ eventId: first.eventId, stream: 'SS6', name: 'Round 6', endsOn: '2027-03-31' })]);
    expect(await lookupLedger(registry, 'ss6', '2025-26', deps.now)).toMatchObject({ ok: true, stream: { code: 'SS6' } });
    expect(await lookupLedger(registry, 'SS6', '2027-28', deps.now)).toMatchObject({ ok: false, problem: 'year-outside-stream' });
    expect(await lookupLedger(registry, 'x'.repeat(2000), '2025-26', deps.now)).toMatchObject({ ok: false, problem: 'unknown-stream' });
  });
});
