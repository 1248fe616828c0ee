/**
 * Fixed penalty amounts are data, looked up by offence and date; no handler hard-codes one.
 *
 * Two tables, each a list of rows that take effect from a London date (the row in force on a
 * date is the latest one that took effect on or before it):
 * - the statutory band for each offence: the minimum and maximum a council may specify, the
 *   default that applies where it specifies none, and the least early-payment amount it may
 *   accept, with the law that sets them;
 * - the council's own tariff: its standard amount, optional tiers (different amounts for
 *   different circumstances of one offence, e.g. the size of a fly-tip), and the reduced
 *   amount it accepts if paid early.
 *
 * Amounts are integer pence. docs/enforcement.md lists each row's source and which figures are
 * still to be confirmed by the council's legal team.
 */
import type { fpnOffences } from '#events/enforcement';
import type { IsoDate } from '#shared/london-time';

export type FpnOffence = (typeof fpnOffences)[number];

export interface StatutoryBand {
  readonly offence: FpnOffence;
  readonly effectiveFrom: IsoDate;
  /** The least amount a council may specify; absent where the law sets only a ceiling. */
  readonly minPence?: number;
  /** The amount where the council specifies none; absent where the law sets none. */
  readonly defaultPence?: number;
  readonly maxPence: number;
  /** The least amount a council may accept for early payment, where the law sets one. */
  readonly earlyPaymentMinPence?: number;
  /** The provisions that set the figures. */
  readonly authority: string;
}

export interface TariffTier {
  /** A code recorded on the FPN (`tier`), e.g. `small-fly-tip`. */
  readonly code: string;
  readonly label: string;
  readonly amountPence: number;
  readonly earlyPaymentPence?: number;
}

export interface TariffEntry {
  readonly offence: FpnOffence;
  readonly effectiveFrom: IsoDate;
  /** The council's standard amount: what an FPN carries when no tier is named. */
  readonly amountPence: number;
  /** Payable instead if paid within the early-payment period printed on the notice. */
  readonly earlyPaymentPence?: number;
  readonly tiers?: readonly TariffTier[];
}

export interface FpnTariff {
  readonly bands: readonly StatutoryBand[];
  readonly entries: readonly TariffEntry[];
}

const EPA_2016 = 'Environmental Protection Act 1990 s.33ZA, inserted by the Unauthorised Deposit of Waste (Fixed Penalties) Regulations 2016 (SI 2016/334)';
const EOFP_2017 = 'Environmental Offences (Fixed Penalties) (England) Regulations 2017 (SI 2017/1050), reg. 5';
const EOFP_2023 = 'Environmental Offences (Fixed Penalties) (Amendment) (England) Regulations 2023 (SI 2023/770), in force 31 July 2023';

export const statutoryBands: readonly StatutoryBand[] = [
  { offence: 'fly-tipping', effectiveFrom: '2016-05-09', minPence: 15_000, defaultPence: 20_000, maxPence: 40_000, authority: EPA_2016 },
  { offence: 'fly-tipping', effectiveFrom: '2023-07-31', minPence: 15_000, defaultPence: 20_000, maxPence: 100_000, authority: `${EPA_2016}; maximum raised by ${EOFP_2023}` },
  { offence: 'littering', effectiveFrom: '2019-04-01', minPence: 6_500, defaultPence: 10_000, maxPence: 15_000, authority: `Environmental Protection Act 1990 ss.87, 88; ${EOFP_2017}` },
  { offence: 'littering', effectiveFrom: '2023-07-31', minPence: 6_500, defaultPence: 10_000, maxPence: 50_000, authority: `Environmental Protection Act 1990 ss.87, 88; ${EOFP_2023}` },
  { offence: 'graffiti', effectiveFrom: '2019-04-01', minPence: 6_500, defaultPence: 10_000, maxPence: 15_000, authority: `Anti-social Behaviour Act 2003 ss.43, 43A; ${EOFP_2017}` },
  { offence: 'graffiti', effectiveFrom: '2023-07-31', minPence: 6_500, defaultPence: 10_000, maxPence: 50_000, authority: `Anti-social Behaviour Act 2003 ss.43, 43A; ${EOFP_2023}` },
  { offence: 'fly-posting', effectiveFrom: '2019-04-01', minPence: 6_500, defaultPence: 10_000, maxPence: 15_000, authority: `Anti-social Behaviour Act 2003 ss.43, 43A; ${EOFP_2017}` },
  { offence: 'fly-posting', effectiveFrom: '2023-07-31', minPence: 6_500, defaultPence: 10_000, maxPence: 50_000, authority: `Anti-social Behaviour Act 2003 ss.43, 43A; ${EOFP_2023}` },
  { offence: 'household-waste-duty-of-care', effectiveFrom: '2019-01-07', maxPence: 40_000, authority: 'Environmental Protection Act 1990 s.34ZA, in force 7 January 2019' },
  { offence: 'household-waste-duty-of-care', effectiveFrom: '2023-07-31', maxPence: 60_000, authority: `Environmental Protection Act 1990 s.34ZA; ${EOFP_2023}` },
  { offence: 'cpn-breach', effectiveFrom: '2014-10-20', maxPence: 10_000, authority: 'Anti-social Behaviour, Crime and Policing Act 2014 s.52 (not more than £100)' },
  { offence: 'pspo-breach', effectiveFrom: '2014-10-20', maxPence: 10_000, authority: 'Anti-social Behaviour, Crime and Policing Act 2014 s.68 (not more than £100)' },
  { offence: 'abandoned-vehicle', effectiveFrom: '2006-03-16', defaultPence: 20_000, maxPence: 20_000, authority: 'Refuse Disposal (Amenity) Act 1978 ss.2, 2A (s.2A inserted by the Clean Neighbourhoods and Environment Act 2005 s.10)' },
  { offence: 'nuisance-parking-vehicles-for-sale', effectiveFrom: '2006-03-16', defaultPence: 10_000, maxPence: 10_000, authority: 'Clean Neighbourhoods and Environment Act 2005 ss.3, 6, 9' },
  { offence: 'nuisance-parking-vehicle-repairs', effectiveFrom: '2006-03-16', defaultPence: 10_000, maxPence: 10_000, authority: 'Clean Neighbourhoods and Environment Act 2005 ss.4, 6, 9' },
];

/**
 * The council's tariff. The 2019 amounts stayed in force after the July 2023 maxima until the
 * council adopted higher amounts on 1 April 2024, with tiers for fly-tipping by size.
 */
export const councilTariff: readonly TariffEntry[] = [
  { offence: 'fly-tipping', effectiveFrom: '2019-04-01', amountPence: 40_000, earlyPaymentPence: 25_000 },
  { offence: 'littering', effectiveFrom: '2019-04-01', amountPence: 15_000, earlyPaymentPence: 10_000 },
  { offence: 'graffiti', effectiveFrom: '2019-04-01', amountPence: 15_000, earlyPaymentPence: 10_000 },
  { offence: 'fly-posting', effectiveFrom: '2019-04-01', amountPence: 15_000, earlyPaymentPence: 10_000 },
  { offence: 'household-waste-duty-of-care', effectiveFrom: '2019-04-01', amountPence: 40_000, earlyPaymentPence: 25_000 },
  { offence: 'cpn-breach', effectiveFrom: '2019-04-01', amountPence: 10_000, earlyPaymentPence: 7_500 },
  { offence: 'pspo-breach', effectiveFrom: '2019-04-01', amountPence: 10_000, earlyPaymentPence: 7_500 },
  { offence: 'abandoned-vehicle', effectiveFrom: '2019-04-01', amountPence: 20_000, earlyPaymentPence: 15_000 },
  { offence: 'nuisance-parking-vehicles-for-sale', effectiveFrom: '2019-04-01', amountPence: 10_000 },
  { offence: 'nuisance-parking-vehicle-repairs', effectiveFrom: '2019-04-01', amountPence: 10_000 },
  {
    offence: 'fly-tipping',
    effectiveFrom: '2024-04-01',
    amountPence: 100_000,
    earlyPaymentPence: 60_000,
    tiers: [
      { code: 'small-fly-tip', label: 'Up to four bags of waste', amountPence: 50_000, earlyPaymentPence: 30_000 },
      { code: 'medium-fly-tip', label: 'Up to a car-boot load', amountPence: 70_000, earlyPaymentPence: 42_000 },
      { code: 'large-fly-tip', label: 'A van load or more', amountPence: 100_000, earlyPaymentPence: 60_000 },
    ],
  },
  { offence: 'littering', effectiveFrom: '2024-04-01', amountPence: 50_000, earlyPaymentPence: 25_000 },
  { offence: 'graffiti', effectiveFrom: '2024-04-01', amountPence: 50_000, earlyPaymentPence: 25_000 },
  { offence: 'fly-posting', effectiveFrom: '2024-04-01', amountPence: 50_000, earlyPaymentPence: 25_000 },
  { offence: 'household-waste-duty-of-care', effectiveFrom: '2024-04-01', amountPence: 60_000, earlyPaymentPence: 40_000 },
];

export const defaultTariff: FpnTariff = { bands: statutoryBands, entries: councilTariff };

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
export const statutoryBandOn = (tariff: FpnTariff, offence: string, on: IsoDate) => inForce(tariff.bands, offence, on);

/** One amount an FPN may carry on a date: the standard amount or a tier, with its early-payment amount. */
export interface FpnAmountOption {
  readonly tier?: string;
  readonly label: string;
  readonly amountPence: number;
  readonly earlyPaymentPence?: number;
}

/**
 * The amounts an FPN for an offence may carry on a date: the council's standard amount and its
 * tiers; where the council has set none, the statutory default. Empty when there is neither.
 */
export function amountOptions(tariff: FpnTariff, offence: string, on: IsoDate): FpnAmountOption[] {
  const entry = tariffOn(tariff, offence, on);
  if (entry) {
    return [
      { label: 'standard amount', amountPence: entry.amountPence, ...(entry.earlyPaymentPence !== undefined ? { earlyPaymentPence: entry.earlyPaymentPence } : {}) },
      ...(entry.tiers ?? []).map((t) => ({ tier: t.code, label: t.label, amountPence: t.amountPence, ...(t.earlyPaymentPence !== undefined ? { earlyPaymentPence: t.earlyPaymentPence } : {}) })),
    ];
  }
  const band = statutoryBandOn(tariff, offence, on);
  return band?.defaultPence !== undefined ? [{ label: 'statutory default', amountPence: band.defaultPence }] : [];
}

/** What is wrong with an amount against the band in force, or undefined when it is within it. */
export function outsideBand(band: StatutoryBand, option: FpnAmountOption): 'below-minimum' | 'above-maximum' | 'early-payment-too-low' | 'early-payment-not-less' | undefined {
  if (option.amountPence > band.maxPence) return 'above-maximum';
  if (band.minPence !== undefined && option.amountPence < band.minPence) return 'below-minimum';
  if (option.earlyPaymentPence !== undefined) {
    if (option.earlyPaymentPence >= option.amountPence) return 'early-payment-not-less';
    if (band.earlyPaymentMinPence !== undefined && option.earlyPaymentPence < band.earlyPaymentMinPence) return 'early-payment-too-low';
  }
  return undefined;
}
