import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { categorySchema, locationSchema } from '#events/intake';

/** What the public sends to POST /reports as JSON (contract.md). */
export const contactSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email('enter an email address in the correct format, like name@example.com').max(254).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{7,20}$/, 'enter a telephone number, like 01632 960 001 or +44 7700 900 982')
      .optional(),
    consentToContact: z.boolean(),
  })
  .refine((c) => !c.consentToContact || c.email !== undefined || c.phone !== undefined, {
    message: 'to be contacted, give an email address or a telephone number',
    path: ['email'],
  });

export const reportInputSchema = z.object({
  category: categorySchema,
  description: z
    .string()
    .trim()
    .min(1, 'describe what happened')
    .max(4000, 'the description must be 4,000 characters or fewer'),
  occurredAt: z.iso.datetime({ offset: true, message: 'give the date and time it happened, like 2024-05-14T21:30:00+01:00' }),
  location: locationSchema,
  hateMotivated: z.boolean(),
  contact: contactSchema.optional(),
});
export type ReportInput = z.infer<typeof reportInputSchema>;
export type ContactInput = z.infer<typeof contactSchema>;

const formBoolean = (v: unknown) => (v === 'yes' || v === 'true' || v === 'on' ? true : v === 'no' || v === 'false' ? false : v);
const formNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v === '' ? undefined : v);
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * Form fields (the no-JavaScript path) in the JSON input's shape, so both are validated by
 * the same schema. Field names are the form's: location-postcode, contact-email, …
 */
export function fromFormFields(fields: Record<string, string | string[]>): unknown {
  const one = (name: string): string | undefined => {
    const v = fields[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const wantsContact = formBoolean(one('consentToContact'));
  const contactGiven = ['contact-name', 'contact-email', 'contact-phone'].some((f) => blankToUndefined(one(f)) !== undefined);
  return {
    category: blankToUndefined(one('category')),
    description: one('description'),
    occurredAt: blankToUndefined(one('occurredAt')),
    location: {
      postcode: blankToUndefined(one('location-postcode')),
      text: blankToUndefined(one('location-text')),
      lat: formNumber(one('location-lat')),
      lng: formNumber(one('location-lng')),
    },
    hateMotivated: formBoolean(one('hateMotivated')),
    contact:
      wantsContact === true || contactGiven
        ? {
            name: blankToUndefined(one('contact-name')),
            email: blankToUndefined(one('contact-email')),
            phone: blankToUndefined(one('contact-phone')),
            consentToContact: wantsContact === true,
          }
        : undefined,
  };
}

/** Crockford base32 without I, L, O, U: easy to read out over the phone. */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newReference(random: (n: number) => Buffer = randomBytes): string {
  const chars = [...random(8)].map((b) => REFERENCE_ALPHABET[b % 32]).join('');
  return `SC-${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
}

export const newId = () => randomUUID();
