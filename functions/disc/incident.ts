import * as z from 'zod';
import { EARLIEST_OCCURRED_AT, FUTURE_TOLERANCE_MS } from '#events/envelope';
import type { Category } from '#events/intake';

/**
 * Our inbound format for DISC incidents, version 1 (docs/integrations/disc.md). DISC has no
 * public API specification, so this is the contract the scheme's DISC webhook is set up to
 * send. Unknown fields are dropped (DISC may add some); known ones are checked strictly.
 */

/** Incident types we take, and the category each becomes. Anything else is refused. */
export const incidentCategories = {
  theft: 'retail.theft',
  'attempted-theft': 'retail.theft',
  'making-off-without-payment': 'retail.theft',
  'verbal-abuse': 'retail.abuse',
  'threatening-behaviour': 'retail.abuse',
  'physical-assault': 'retail.abuse',
} as const satisfies Record<string, Category>;
export type IncidentType = keyof typeof incidentCategories;
export const incidentTypes = Object.keys(incidentCategories) as [IncidentType, ...IncidentType[]];

export const incidentTypeLabels: Record<IncidentType, string> = {
  theft: 'theft',
  'attempted-theft': 'attempted theft',
  'making-off-without-payment': 'making off without payment',
  'verbal-abuse': 'verbal abuse of staff',
  'threatening-behaviour': 'threatening behaviour towards staff',
  'physical-assault': 'physical assault on staff',
};

const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

const subjectSchema = z
  .object({
    /** DISC's own id for a person profile: the steadiest way to recognise someone again. */
    discSubjectId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'discSubjectId is 1 to 64 letters, digits, dots, colons, underscores or hyphens')
      .optional(),
    name: z.string().trim().min(2, 'a subject name has at least 2 characters').max(200).optional(),
  })
  .refine((s) => s.discSubjectId !== undefined || s.name !== undefined, {
    message: 'each subject needs a discSubjectId or a name',
  });
export type DiscSubject = z.infer<typeof subjectSchema>;

export const discIncidentV1 = z.object({
  schemaVersion: z.literal(1, 'schemaVersion must be 1 (the only version this endpoint reads)'),
  incidentId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'incidentId is 1 to 64 letters, digits, dots, colons, underscores or hyphens'),
  incidentType: z.enum(incidentTypes, {
    error: `incidentType must be one of: ${incidentTypes.join(', ')} (other DISC incident types are not sent to the council)`,
  }),
  occurredAt: z.iso
    .datetime({ offset: true, message: 'occurredAt is an ISO 8601 date-time with an offset, like 2024-05-14T16:20:00+01:00' })
    // The bounds every event's occurredAt keeps (events/envelope.ts), refused here with a reason rather than by the bus.
    .refine((v) => Date.parse(v) >= Date.parse(EARLIEST_OCCURRED_AT), 'occurredAt must be in the year 2000 or later')
    .refine((v) => Date.parse(v) <= Date.now() + FUTURE_TOLERANCE_MS, 'occurredAt must not be in the future'),
  premises: z
    .object({
      name: z.string().trim().min(1, 'give the premises name').max(200),
      address: z.string().trim().min(1).max(290).optional(),
      postcode: z.string().trim().regex(UK_POSTCODE, 'postcode must be a UK postcode, like LE13 1GH').optional(),
      lat: z.number().min(-90).max(90).optional(),
      lng: z.number().min(-180).max(180).optional(),
    })
    .refine((p) => (p.lat === undefined) === (p.lng === undefined), { message: 'give both lat and lng, or neither' }),
  description: z.string().trim().min(1, 'describe what happened').max(3800, 'the description must be 3,800 characters or fewer'),
  subjects: z.array(subjectSchema).max(20, 'at most 20 subjects per incident').default([]),
  hateMotivated: z.boolean().default(false),
});
export type DiscIncident = z.infer<typeof discIncidentV1>;
