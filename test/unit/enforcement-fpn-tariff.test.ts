import { describe, expect, it } from 'vitest';
import { fpnOffences } from '#events/enforcement';
import { addDays } from '#shared/london-time';
import { amountOptions, councilTariff, defaultTariff, outsideBand, statutoryBandOn, statutoryBands, tariffOn } from '../../functions/enforcement/fpn-tariff.ts';
import { fpnAmountFor } from '../../functions/enforcement/ladder.ts';

/** Every date on which some row takes effect, and the day before it: where the answer can change. */
const boundaries = [...new Set([...statutoryBands, ...councilTariff].flatMap((r) => [r.effectiveFrom, addDays(r.effectiveFrom, -1)]))].sort();

describe('unit: FPN tariff data', () => {
  it('keeps every amount the council sets (standard and tiers) within the statutory band on every date the rows change', () => {
    for (const offence of fpnOffences) {
      for (const date of boundaries) {
        const options = amountOptions(defaultTariff, offence, date);
        if (options.length === 0) continue;
        const band = statutoryBandOn(defaultTariff, offence, date);
        expect(band, `${offence} on ${date} has an amount but no statutory band`).toBeDefined();
        for (const option of options) {
          expect(outsideBand(band!, option), `${offence} ${option.tier ?? option.label} on ${date}`).toBeUndefined();
          expect(Number.isInteger(option.amountPence)).toBe(true);
        }
      }
    }
  });

  it('has a band and an amount for every offence it lists when the current tariff is read', () => {
    for (const offence of fpnOffences) {
      expect(statutoryBandOn(defaultTariff, offence, '2025-01-01'), offence).toBeDefined();
      expect(tariffOn(defaultTariff, offence, '2025-01-01'), offence).toBeDefined();
    }
  });

  it('gives each band a maximum, and a default within its minimum and maximum where it has one', () => {
    for (const band of statutoryBands) {
      expect(band.maxPence).toBeGreaterThan(0);
      if (band.defaultPence !== undefined) {
        expect(band.defaultPence).toBeLessThanOrEqual(band.maxPence);
        expect(band.defaultPence).toBeGreaterThanOrEqual(band.minPence ?? 0);
      }
      expect(band.authority.length).toBeGreaterThan(10);
    }
  });

  it.each([
    ['fly-tipping', 100_000],
    ['littering', 50_000],
    ['graffiti', 50_000],
    ['fly-posting', 50_000],
    ['household-waste-duty-of-care', 60_000],
  ])('raises the statutory maximum for %s on 31 July 2023 to %i pence (SI 2023/770)', (offence, max) => {
    expect(statutoryBandOn(defaultTariff, offence, '2023-07-31')).toMatchObject({ maxPence: max, authority: expect.stringContaining('SI 2023/770') });
    expect(statutoryBandOn(defaultTariff, offence, '2023-07-30')?.maxPence).toBeLessThan(max);
  });

  it('keeps the fly-tipping minimum (£150) and default (£200) of SI 2016/334 across the 2023 change', () => {
    for (const date of ['2016-05-09', '2023-07-30', '2023-07-31', '2025-01-01']) {
      expect(statutoryBandOn(defaultTariff, 'fly-tipping', date)).toMatchObject({ minPence: 15_000, defaultPence: 20_000 });
    }
    expect(statutoryBandOn(defaultTariff, 'fly-tipping', '2016-05-08')).toBeUndefined();
  });

  it('has bands for abandoned vehicles and nuisance parking with the Acts that create them', () => {
    expect(statutoryBandOn(defaultTariff, 'abandoned-vehicle', '2024-05-01')?.authority).toMatch(/Refuse Disposal \(Amenity\) Act 1978/);
    expect(statutoryBandOn(defaultTariff, 'nuisance-parking-vehicles-for-sale', '2024-05-01')?.authority).toMatch(/Clean Neighbourhoods and Environment Act 2005 ss\.3, 6, 9/);
    expect(statutoryBandOn(defaultTariff, 'nuisance-parking-vehicle-repairs', '2024-05-01')?.authority).toMatch(/Clean Neighbourhoods and Environment Act 2005 ss\.4, 6, 9/);
  });

  it('keeps the council amounts unchanged between July 2023 and the April 2024 change', () => {
    expect(tariffOn(defaultTariff, 'fly-tipping', '2023-08-01')?.amountPence).toBe(40_000);
    expect(tariffOn(defaultTariff, 'fly-tipping', '2024-03-31')?.amountPence).toBe(40_000);
    expect(tariffOn(defaultTariff, 'fly-tipping', '2024-04-01')?.amountPence).toBe(100_000);
    expect(tariffOn(defaultTariff, 'household-waste-duty-of-care', '2024-04-01')).toMatchObject({ amountPence: 60_000, earlyPaymentPence: 40_000 });
  });

  it('gives the amount and the early-payment amount when asked for an offence on a date', () => {
    expect(fpnAmountFor('littering', '2024-05-01', {})).toMatchObject({ amountPence: 50_000, earlyPaymentPence: 25_000 });
    expect(fpnAmountFor('cpn-breach', '2024-05-01', {})).toMatchObject({ amountPence: 10_000, earlyPaymentPence: 7_500 });
    expect(fpnAmountFor('fly-tipping', '2024-05-01', { tier: 'small-fly-tip' })).toMatchObject({ amountPence: 50_000, earlyPaymentPence: 30_000 });
  });

  it('falls back to the statutory default where the council has set no amount, and to none where the law sets no default', () => {
    const tariff = { bands: statutoryBands, entries: [] };
    expect(fpnAmountFor('fly-tipping', '2024-05-01', {}, tariff)).toMatchObject({ amountPence: 20_000, label: 'statutory default' });
    expect(() => fpnAmountFor('cpn-breach', '2024-05-01', {}, tariff)).toThrow(expect.objectContaining({ code: 'fpn-no-tariff' }));
  });

  it('refuses a tariff amount below the statutory minimum', () => {
    const tariff = { bands: statutoryBands, entries: [{ offence: 'fly-tipping' as const, effectiveFrom: '2024-01-01', amountPence: 10_000 }] };
    expect(() => fpnAmountFor('fly-tipping', '2024-05-01', {}, tariff)).toThrow(expect.objectContaining({ code: 'fpn-below-statutory-minimum' }));
  });
});
