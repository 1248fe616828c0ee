import * as z from 'zod';
import { defineEvent } from './contract.ts';
import { entityId } from './envelope.ts';

/**
 * The categories a council files fly-tipping incidents in to Defra's WasteDataFlow, in the
 * order Defra publishes them (docs/wastedataflow.md gives the source). The codes are ours;
 * the labels are WasteDataFlow's words.
 */
export const FLY_TIPPING_SOURCE = 'safer-communities.fly-tipping';

export const landTypeLabels = {
  highway: 'Highway',
  'footpath-bridleway': 'Footpath / bridleway',
  'back-alleyway': 'Back alleyway',
  railway: 'Railway',
  'council-land': 'Council land',
  agricultural: 'Agricultural',
  'private-residential': 'Private / residential',
  'commercial-industrial': 'Commercial / industrial',
  'watercourse-bank': 'Watercourse / bank',
  other: 'Other (unidentified)',
} as const;

export const wasteTypeLabels = {
  'animal-carcass': 'Animal carcass',
  green: 'Green',
  'vehicle-parts': 'Vehicle parts',
  'white-goods': 'White goods',
  'other-electrical': 'Other electrical',
  tyres: 'Tyres',
  asbestos: 'Asbestos',
  clinical: 'Clinical',
  'construction-demolition-excavation': 'Construction / demolition / excavation',
  'black-bags-commercial': 'Black bags - commercial',
  'black-bags-household': 'Black bags - household',
  'chemical-drums-oil-fuel': 'Chemical drums, oil, fuel',
  'other-household': 'Other household',
  'other-commercial': 'Other commercial',
  other: 'Other (unidentified)',
} as const;

export const sizeLabels = {
  'single-black-bag': 'Single black bag',
  'single-item': 'Single item',
  'car-boot-or-less': 'Car boot or less',
  'small-van-load': 'Small van load',
  'transit-van-load': 'Transit van load',
  'tipper-lorry-load': 'Tipper lorry load',
  'significant-multi-loads': 'Significant / multi loads',
} as const;

export type LandType = keyof typeof landTypeLabels;
export type WasteType = keyof typeof wasteTypeLabels;
export type FlyTipSize = keyof typeof sizeLabels;

const codesOf = <K extends string>(labels: Record<K, string>) => Object.keys(labels) as [K, ...K[]];
export const landTypes = codesOf(landTypeLabels);
export const wasteTypes = codesOf(wasteTypeLabels);
export const flyTipSizes = codesOf(sizeLabels);

/**
 * What is known of one fly-tip in WasteDataFlow's terms; a field left out is not known (the
 * public may answer "I don't know"; an officer completes it at triage).
 */
export const flyTipDetailsSchema = z.object({
  landType: z.enum(landTypes, { error: 'choose a land type from the WasteDataFlow list' }).optional(),
  wasteType: z.enum(wasteTypes, { error: 'choose a waste type from the WasteDataFlow list' }).optional(),
  size: z.enum(flyTipSizes, { error: 'choose a size from the WasteDataFlow list' }).optional(),
});
export type FlyTipDetails = z.infer<typeof flyTipDetailsSchema>;

/** The `operationType` of an OperationConducted that WasteDataFlow counts as a vehicle seized. */
export const VEHICLE_SEIZURE = 'vehicle-seizure';

/**
 * An officer records (or corrects) a report's fly-tipping details. The latest record of a
 * report, by occurredAt then eventId, wins over earlier ones and over the public's answers.
 * It carries the report's own time and reference, so the incident's quarter is known whatever
 * order the events arrive in.
 */
export const FlyTipDetailsRecorded = defineEvent({
  source: FLY_TIPPING_SOURCE,
  detailType: 'FlyTipDetailsRecorded',
  fields: () => ({
    reportId: entityId,
    officerId: entityId,
    /** The report's occurredAt (when the fly-tip happened): decides the incident's quarter. */
    reportedAt: z.iso.datetime({ offset: true }),
    reference: z.string().min(1).max(32).optional(),
    details: flyTipDetailsSchema,
  }),
});

export const flyTippingContracts = [FlyTipDetailsRecorded] as const;
