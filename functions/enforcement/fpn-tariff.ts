/**
 * Fixed penalty amounts are data, looked up by offence and date; no handler hard-codes one.
 * Two tables: the statutory maximum for each offence (what the law allows on a date) and the
 * council's own tariff (what it charges from a date, with the reduced amount for early payment).
 * Amounts are integer pence; dates are London dates on which the row takes effect.
 */
import type { fpnOffences } from '#events/enforcement';
import type { IsoDate } from '#shared/london-time';

export type FpnOffence = (typeof fpnOffences)[number];

export interface StatutoryMaximum {
  readonly offence: FpnOffence;
  readonly effectiveFrom: IsoDate;
  readonly maxPence: number;
  readonly authority: string;
}

export interface TariffEntry {
  readonly offence: FpnOffence;
  readonly effectiveFrom: IsoDate;
  readonly amountPence: number;
  /** Payable instead if paid within the early-payment period printed on the notice. */
  readonly earlyPaymentPence: number;
}

export interface FpnTariff {
  readonly maxima: readonly StatutoryMaximum[];
  readonly entries: readonly TariffEntry[];
}

const EPA_2023 = 'Environmental Protection (Miscellaneous Amendments) (England) Regulations 2023, in force 31 July 2023';

export const statutoryMaxima: readonly StatutoryMaximum[] = [
  { offence: 'fly-tipping', effectiveFrom: '2016-05-09', maxPence: 40_000, authority: 'EPA 1990 s.33ZA; Unauthorised Deposit of Waste (Fixed Penalties) Regulations 2016' },
  { offence: 'fly-tipping', effectiveFrom: '2023-07-31', maxPence: 100_000, authority: EPA_2023 },
  { offence: 'littering', effectiveFrom: '2018-04-01', maxPence: 15_000, authority: 'EPA 1990 s.88; Environmental Offences (Fixed Penalties) (England) Regulations 2017' },
  { offence: 'littering', effectiveFrom: '2023-07-31', maxPence: 50_000, authority: EPA_2023 },
  { offence: 'graffiti', effectiveFrom: '2018-04-01', maxPence: 15_000, authority: 'Anti-social Behaviour Act 2003 s.43; Environmental Offences (Fixed Penalties) (England) Regulations 2017' },
  { offence: 'graffiti', effectiveFrom: '2023-07-31', maxPence: 50_000, authority: EPA_2023 },
  { offence: 'fly-posting', effectiveFrom: '2018-04-01', maxPence: 15_000, authority: 'Anti-social Behaviour Act 2003 s.43; Environmental Offences (Fixed Penalties) (England) Regulations 2017' },
  { offence: 'fly-posting', effectiveFrom: '2023-07-31', maxPence: 50_000, authority: EPA_2023 },
  { offence: 'household-waste-duty-of-care', effectiveFrom: '2019-01-07', maxPence: 40_000, authority: 'EPA 1990 s.34ZA, in force 7 January 2019' },
  { offence: 'household-waste-duty-of-care', effectiveFrom: '2023-07-31', maxPence: 60_000, authority: EPA_2023 },
  { offence: 'cpn-breach', effectiveFrom: '2014-10-20', maxPence: 10_000, authority: 'Anti-social Behaviour, Crime and Policing Act 2014 s.52' },
  { offence: 'pspo-breach', effectiveFrom: '2014-10-20', maxPence: 10_000, authority: 'Anti-social Behaviour, Crime and Policing Act 2014 s.68' },
];

/**
 * The council's tariff. The 2019 amounts stayed in force after the July 2023 maxima until the
 * council adopted the government's higher amounts on 1 April 2024.
 */
export const councilTariff: readonly TariffEntry[] = [
  { offence: 'fly-tipping', effectiveFrom: '2019-04-01', amountPence: 40_000, earlyPaymentPence: 25_000 },
  { offence: 'littering', effectiveFrom: '2019-04-01', amountPence: 15_000, earlyPaymentPence: 10_000 },
  { offence: 'graffiti', effectiveFrom: '2019-04-01', amountPence: 15_000, earlyPaymentPence: 10_000 },
  { offence: 'fly-posting', effectiveFrom: '2019-04-01', amountPence: 15_000, earlyPaymentPence: 10_000 },
  { offence: 'household-waste-duty-of-care', effectiveFrom: '2019-04-01', amountPence: 40_000, earlyPaymentPence: 25_000 },
  { offence: 'cpn-breach', effectiveFrom: '2019-04-01', amountPence: 10_000, earlyPaymentPence: 7_500 },
  { offence: 'pspo-breach', effectiveFrom: '2019-04-01', amountPence: 10_000, earlyPaymentPence: 7_500 },
  { offence: 'fly-tipping', effectiveFrom: '2024-04-01', amountPence: 100_000, earlyPaymentPence: 60_000 },
  { offence: 'littering', effectiveFrom: '2024-04-01', amountPence: 50_000, earlyPaymentPence: 25_000 },
  { offence: 'graffiti', effectiveFrom: '2024-04-01', amountPence: 50_000, earlyPaymentPence: 25_000 },
  { offence: 'fly-posting', effectiveFrom: '2024-04-01', amountPence: 50_000, earlyPaymentPence: 25_000 },
  { offence: 'household-waste-duty-of-care', effectiveFrom: '2024-04-01', amountPence: 60_000, earlyPaymentPence: 40_000 },
];

export const defaultTariff: FpnTariff = { maxima: statutoryMaxima, entries: councilTariff };

/** The row in force for an offence on a date: the latest one that took effect on or before it. */
function inForce<T extends { offence: string; effectiveFrom: IsoDate }>(rows: readonly T[], offence: string, on: IsoDate): T | undefined {
  let found: T | undefined;
  for (const row of rows) {
    if (row.offence !== offence || row.effectiveFrom > on) continue;
    if (!found || row.effectiveFrom > found.effectiveFrom) found = row;
  }
  return found;
}

export const tariffOn = (tariff: FpnTariff, offence: string, on: IsoDate) => inForce(tariff.entries, offence, on);
export const statutoryMaximumOn = (tariff: FpnTariff, offence: string, on: IsoDate) => inForce(tariff.maxima, offence, on);
