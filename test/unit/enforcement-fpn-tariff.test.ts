import { describe, expect, it } from 'vitest';
import { fpnOffences } from '#events/enforcement';
import { addDays } from '#shared/london-time';
import { councilTariff, defaultTariff, statutoryMaxima, statutoryMaximumOn, tariffOn } from '../../functions/enforcement/fpn-tariff.ts';
import { fpnAmount } from '../../functions/enforcement/ladder.ts';

/** Every date on which some row takes effect, and the day before it: where the answer can change. */
const boundaries = [...new Set([...statutoryMaxima, ...councilTariff].flatMap((r) => [r.effectiveFrom, addDays(r.effectiveFrom, -1)]))].sort();

describe('unit: FPN tariff data', () => {
  it('never charges more than the statutory maximum on any date when the rows change', () => {
    for (const offence of fpnOffences) {
      for (const date of boundaries) {
        const entry = tariffOn(defaultTariff, offence, date);
        if (!entry) continue;
        const max = statutoryMaximumOn(defaultTariff, offence, date);
        expect(max, `${offence} on ${date} has a tariff but no statutory maximum`).toBeDefined();
        expect(entry.amountPence, `${offence} on ${date}`).toBeLessThanOrEqual(max?.maxPence ?? 0);
        expect(entry.earlyPaymentPence).toBeLessThan(entry.amountPence);
        expect(Number.isInteger(entry.amountPence) && Number.isInteger(entry.earlyPaymentPence)).toBe(true);
      }
    }
  });

  it('has an amount for every offence it lists when the current tariff is read', () => {
    for (const offence of fpnOffences) expect(tariffOn(defaultTariff, offence, '2025-01-01'), offence).toBeDefined();
  });

  it.each([
    ['fly-tipping', 100_000],
    ['littering', 50_000],
    ['graffiti', 50_000],
    ['fly-posting', 50_000],
    ['household-waste-duty-of-care', 60_000],
  ])('raises the statutory maximum for %s on 31 July 2023 to %i pence', (offence, max) => {
    expect(statutoryMaximumOn(defaultTariff, offence, '2023-07-31')?.maxPence).toBe(max);
    expect(statutoryMaximumOn(defaultTariff, offence, '2023-07-30')?.maxPence).toBeLessThan(max);
  });

  it('keeps the council amounts unchanged between July 2023 and the April 2024 change', () => {
    expect(tariffOn(defaultTariff, 'fly-tipping', '2023-08-01')?.amountPence).toBe(40_000);
    expect(tariffOn(defaultTariff, 'fly-tipping', '2024-03-31')?.amountPence).toBe(40_000);
    expect(tariffOn(defaultTariff, 'fly-tipping', '2024-04-01')?.amountPence).toBe(100_000);
    expect(tariffOn(defaultTariff, 'household-waste-duty-of-care', '2024-04-01')).toMatchObject({ amountPence: 60_000, earlyPaymentPence: 40_000 });
  });

  it('gives the amount and the early-payment amount when asked for an offence on a date', () => {
    expect(fpnAmount('littering', '2024-05-01')).toMatchObject({ amountPence: 50_000, earlyPaymentPence: 25_000 });
    expect(fpnAmount('cpn-breach', '2024-05-01')).toMatchObject({ amountPence: 10_000, earlyPaymentPence: 7_500 });
  });
});
