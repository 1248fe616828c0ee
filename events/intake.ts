import * as z from 'zod';
import { defineEvent } from './contract.ts';
import { flyTipDetailsSchema } from './fly-tipping.ts';

export const INTAKE_SOURCE = 'safer-communities.intake';

export const channels = ['webform', 'disc', 'open311', 'officer', 'police', 'housing', 'farm-watch'] as const;

/** The category list (contract.md). Labels are what the public and officers read. */
export const categoryLabels = {
  'asb.rowdy': 'Rowdy or inconsiderate behaviour',
  'asb.neighbour': 'Nuisance neighbours',
  'asb.noise': 'Nuisance noise',
  'asb.animal': 'Animal issues',
  'asb.fighting': 'Shouting, swearing or fighting',
  'enviro.fly-tipping': 'Fly-tipping',
  'enviro.littering': 'Littering',
  'enviro.abandoned-vehicle': 'Abandoned vehicle',
  'enviro.fly-posting': 'Fly-posting',
  'enviro.graffiti': 'Graffiti',
  'enviro.dog-fouling': 'Dog fouling',
  'enviro.waste-on-land': 'Waste on land',
  'enviro.commercial-waste': 'Commercial waste',
  'enviro.duty-of-care': 'Householder duty of care',
  'enviro.unsightly-property': 'Unsightly property',
  'retail.theft': 'Shop theft',
  'retail.abuse': 'Abuse of shop staff',
  'other.referral': 'Something else (we will pass it to the right service)',
} as const;
export type Category = keyof typeof categoryLabels;
export const categories = Object.keys(categoryLabels) as [Category, ...Category[]];
export const categorySchema = z.enum(categories);

export const locationSchema = z
  .object({
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    postcode: z.string().trim().min(2).max(10).optional(),
    text: z.string().trim().min(1).max(500).optional(),
  })
  .refine((l) => l.postcode !== undefined || l.text !== undefined || (l.lat !== undefined && l.lng !== undefined), {
    message: 'give a postcode, a description of the place, or a map point (lat and lng)',
  });

export const reporterSchema = z.discriminatedUnion('anonymous', [
  z.object({ anonymous: z.literal(true) }),
  z.object({ anonymous: z.literal(false), contactRef: z.string().min(1).max(128) }),
]);

export const ReportReceived = defineEvent({
  source: INTAKE_SOURCE,
  detailType: 'ReportReceived',
  fields: () => ({
    reportId: z.string().min(1).max(64),
    channel: z.enum(channels),
    category: categorySchema,
    description: z.string().trim().min(1).max(4000),
    location: locationSchema,
    hateMotivated: z.boolean(),
    reporter: reporterSchema,
    /** People named in the report (DISC subjects), as opaque refs: never names. */
    subjectRefs: z.array(z.string().min(1).max(128)).max(20).optional(),
    /** Human-friendly reference shown to the reporter. */
    reference: z.string().min(1).max(32).optional(),
    /**
     * For `enviro.fly-tipping`: what the reporter could tell of it in WasteDataFlow's terms
     * (events/fly-tipping.ts). Added without a new schema version: it is optional.
     */
    flyTip: flyTipDetailsSchema.optional(),
    /**
     * The reporter did not know exactly when it happened: `occurredAt` is the date they gave at
     * noon (London), the middle of the part of the day they chose, or a point in the rough
     * period they chose (docs/report-form.md, "When it happened"). Optional: absent means exact.
     */
    occurredAtApproximate: z.boolean().optional(),
    /**
     * The same reporter reported before within the ASB Case Review window, and was told of
     * their right to ask for a review (2025 statutory guidance); the acknowledgement repeats it.
     */
    caseReviewNotice: z.boolean().optional(),
  }),
});

export const intakeContracts = [ReportReceived] as const;
