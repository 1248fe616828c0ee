import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPounds, parsePounds, penceToDecimal } from '../../functions/funding/money.ts';
import { findLedger, yearsOf } from '../../functions/funding/streams.ts';
import { csp as cspStream, ss5 as ss5Stream, testStreams } from '../support/funding-streams.ts';

describe('unit: funding money at the edge', () => {
  it.each([
    ['31,335.75', 3133575],
    ['£1,234.56', 123456],
    ['0.10', 10],
    ['999,999,999.99', 99999999999],
    ['£4,796.07', 479607],
    ['1,320.00', 132000],
    ['1320', 132000],
    ['0.5', 50],
    ['10837.0', 1083700],
    ['  £ 6,000.00 ', 600000],
    ['1,000,000.01', 100000001],
  ])('reads %s as %i pence', (text, pence) => {
    expect(parsePounds(text)).toEqual({ ok: true, pence });
  });

  it.each([
    ['12.345', 'more than two decimal places'],
    ['1,32.00', 'not an amount'],
    ['12,3456', 'not an amount'],
    ['1e3', 'not an amount'],
    ['', 'not an amount'],
    ['£', 'not an amount'],
    ['-5.00', 'negative'],
    ['0x10', 'not an amount'],
    ['10,000,000,000.01', 'larger than'],
  ])('refuses %s with a reason', (text, reason) => {
    const parsed = parsePounds(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(reason);
  });

  it('reads a negative amount only where it is allowed', () => {
    expect(parsePounds('-250.50', { allowNegative: true })).toEqual({ ok: true, pence: -25050 });
    expect(parsePounds('£-250.50', { allowNegative: true })).toEqual({ ok: true, pence: -25050 });
  });

  it('formats pence as pounds and reads them back exactly, for any amount', () => {
    expect(formatPounds(251282)).toBe('£2,512.82');
    expect(formatPounds(-125000)).toBe('−£1,250.00');
    expect(formatPounds(5)).toBe('£0.05');
    expect(penceToDecimal(-5)).toBe('-0.05');
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }), (pence) => {
        expect(parsePounds(penceToDecimal(pence), { allowNegative: true })).toEqual({ ok: true, pence: pence === 0 ? 0 : pence });
        expect(parsePounds(formatPounds(Math.abs(pence)))).toEqual({ ok: true, pence: Math.abs(pence) });
      }),
    );
  });
});

describe('unit: funding streams and financial years', () => {
  it('tracks the national fund year by year over its span and an annual stream to next year', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(yearsOf(ss5Stream, now)).toEqual(['2023-24', '2024-25']);
    expect(yearsOf(cspStream, now).at(-1)).toBe('2027-28');
    expect(yearsOf(cspStream, now)[0]).toBe('2020-21');
  });

  it('refuses an unknown stream, a malformed year and a year outside the stream, each with a reason', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(findLedger('csp', '2024-25', now, testStreams)).toMatchObject({ ok: true, stream: { code: 'CSP' }, financialYear: '2024-25' });
    expect(findLedger('XYZ', '2024-25', now, testStreams)).toMatchObject({ ok: false, problem: 'unknown-stream', message: expect.stringContaining('CSP, SS5') });
    for (const bad of ['2024-26', '2024', '24-25', '2024-2025', '2024/25']) {
      expect(findLedger('CSP', bad, now, testStreams)).toMatchObject({ ok: false, problem: 'malformed-year' });
    }
    expect(findLedger('SS5', '2025-26', now, testStreams)).toMatchObject({ ok: false, problem: 'year-outside-stream', message: 'SS5 covers 2023-24 to 2024-25; 2025-26 is outside it' });
    expect(findLedger('CSP', '2030-31', now, testStreams)).toMatchObject({ ok: false, problem: 'year-outside-stream' });
    expect(findLedger('CSP', '2024-25', now, [])).toMatchObject({ ok: false, problem: 'unknown-stream', message: expect.stringContaining('no stream has been opened yet') });
  });
});
