/**
 * What an application looks like (contract.md, `POST /case-reviews`), as JSON and as the
 * no-JavaScript form's fields, both checked by one schema.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { complaintRecipients } from '#events/case-review';
import type { ErrorDetail } from '#shared/errors';
import { isIsoDate, isRealDate, londonDateOf } from '#shared/london-time';
import { contactSchema, formValue, type FormFields } from '../intake/report-input.ts';

/** Complaint slots on the form (JSON takes up to 10). */
export const FORM_COMPLAINTS = 5;
export const MAX_COMPLAINTS = 10;

const pastDate = (what: string) =>
  z
    .string({ error: `enter the date ${what}` })
    .refine(isIsoDate, `enter the date ${what} as a real date, like 2025-03-27`)
    .refine((d) => d <= londonDateOf(new Date()), `the date ${what} must be today or in the past`);

export const complaintSchema = z
  .object({
    reportedTo: z.enum(complaintRecipients, { error: 'select who you reported it to: the council, the police or a housing provider' }),
    incidentOn: pastDate('it happened'),
    reportedOn: pastDate('you reported it'),
    reference: z.string().trim().min(1).max(64, 'the reference must be 64 characters or fewer').optional(),
  })
  .refine((c) => c.reportedOn >= c.incidentOn, { message: 'the date you reported it must be on or after the date it happened', path: ['reportedOn'] });

const applicantSchema = contactSchema.refine((c) => c.consentToContact, {
  message: 'we need to contact you to tell you whether your case can be reviewed: choose yes and give an email address or telephone number',
  path: ['consentToContact'],
});

export const applicationSchema = z.object({
  applicant: applicantSchema,
  hateIncident: z.boolean({ error: 'select yes if you were the victim of a hate incident' }),
  description: z
    .string({ error: 'describe the problem and why you think nothing effective was done' })
    .trim()
    .min(1, 'describe the problem and why you think nothing effective was done')
    .max(4000, 'the description must be 4,000 characters or fewer'),
  complaints: z.array(complaintSchema).min(1, 'list at least one time you reported the problem').max(MAX_COMPLAINTS, `list at most ${MAX_COMPLAINTS} complaints`),
  thirdParty: z
    .object({
      name: z.string({ error: 'enter your name' }).trim().min(1, 'enter your name').max(200),
      relationship: z.string({ error: 'say how you know the person' }).trim().min(1, 'say how you know the person').max(200),
      email: contactSchema.shape.email,
      phone: contactSchema.shape.phone,
      victimConsent: z.literal(true, { error: 'confirm that the person you are applying for agrees' }),
    })
    .optional(),
});

export type ApplicationInput = z.infer<typeof applicationSchema>;

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
const yesNo = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : undefined);

/** A GOV.UK date input (`<name>-day`, `-month`, `-year`) as YYYY-MM-DD, or what is wrong with it. */
export function dateField(fields: FormFields, name: string, path: string, what: string, issues: ErrorDetail[]): string | undefined {
  const parts = (['day', 'month', 'year'] as const).map((p) => blank(formValue(fields, `${name}-${p}`)));
  if (parts.every((p) => p === undefined)) return undefined;
  const missing = (['day', 'month', 'year'] as const).filter((_, i) => parts[i] === undefined);
  if (missing.length) {
    issues.push({ path, message: `the date ${what} must include a ${missing.join(' and a ')}` });
    return undefined;
  }
  const [day, month, year] = parts.map(Number) as [number, number, number];
  if (!/^\d{4}$/.test(parts[2] ?? '') || !isRealDate(year, month, day)) {
    issues.push({ path, message: `the date ${what} must be a real date, like 27 3 2025` });
    return undefined;
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const complaintPrefix = (i: number) => `complaint-${i + 1}`;

/** Whether a complaint slot on the form was used at all. */
const slotUsed = (fields: FormFields, i: number) =>
  ['reportedTo', 'incident-day', 'incident-month', 'incident-year', 'reported-day', 'reported-month', 'reported-year', 'reference'].some(
    (f) => blank(formValue(fields, `${complaintPrefix(i)}-${f}`)) !== undefined,
  );

/**
 * The form's fields in the JSON's shape, plus what only the form can get wrong (a date that
 * does not exist). Unused complaint slots are left out; the JSON paths of the complaints kept
 * are renumbered, so `slots` maps each back to its slot on the form.
 */
export function parseApplicationForm(fields: FormFields): { input: unknown; issues: ErrorDetail[]; slots: number[] } {
  const one = (name: string) => blank(formValue(fields, name));
  const issues: ErrorDetail[] = [];
  const slots = Array.from({ length: FORM_COMPLAINTS }, (_, i) => i).filter((i) => slotUsed(fields, i));
  const complaints = slots.map((slot, k) => {
    const p = complaintPrefix(slot);
    return {
      reportedTo: one(`${p}-reportedTo`),
      incidentOn: dateField(fields, `${p}-incident`, `complaints.${k}.incidentOn`, 'it happened', issues),
      reportedOn: dateField(fields, `${p}-reported`, `complaints.${k}.reportedOn`, 'you reported it', issues),
      reference: one(`${p}-reference`),
    };
  });
  const consent = yesNo(one('consentToContact'));
  if (consent === undefined) issues.push({ path: 'applicant.consentToContact', message: 'select yes if we may contact you about your application' });
  const forSomeoneElse = one('applyingFor') === 'someone-else';
  if (one('applyingFor') === undefined) issues.push({ path: 'applyingFor', message: 'select whether you are applying for yourself or for someone else' });
  return {
    input: {
      applicant: { name: one('applicant-name'), email: one('applicant-email'), phone: one('applicant-phone'), consentToContact: consent ?? false },
      hateIncident: yesNo(one('hateIncident')),
      description: one('description'),
      complaints,
      ...(forSomeoneElse
        ? {
            thirdParty: {
              name: one('thirdParty-name'),
              relationship: one('thirdParty-relationship'),
              email: one('thirdParty-email'),
              phone: one('thirdParty-phone'),
              victimConsent: one('victimConsent') === 'yes' ? true : undefined,
            },
          }
        : {}),
    },
    issues,
    slots,
  };
}

/** Crockford base32 without I, L, O, U: easy to read out over the phone. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const newCaseReviewReference = (random: (n: number) => Buffer = randomBytes) => {
  const chars = [...random(8)].map((b) => ALPHABET[b % 32]).join('');
  return `CR-${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
};
export const isCaseReviewReference = (value: string | undefined): value is string => typeof value === 'string' && /^CR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(value);
