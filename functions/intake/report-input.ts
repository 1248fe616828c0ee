import { randomBytes, randomUUID } from 'node:crypto';
import { EARLIEST_OCCURRED_AT, FUTURE_TOLERANCE_MS } from '#events/envelope';
import * as z from 'zod';
import { flyTipDetailsSchema } from '#events/fly-tipping';
import { categories } from '#events/intake';
import type { ErrorDetail } from '#shared/errors';
import { isRealDate, londonToIso, londonWallClock } from '#shared/london-time';

// The schemas are marked `@__PURE__` (a zod schema is built by calls, which esbuild must
// otherwise keep): a function that imports this module only for its form helpers (the officer
// pages' formValue/parseTime, the confirmation page's roughPeriods) leaves them out.

/** What the public sends to POST /reports as JSON (contract.md). */
export const contactSchema = /* @__PURE__ */ z
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

/** A UK postcode, any case and spacing: `le131gh` → `LE13 1GH`. */
export const postcodeSchema = /* @__PURE__ */ z
  .string()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^([A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$/, 'enter a real postcode, like LE13 1GH'))
  .transform((v) => `${v.slice(0, -3)} ${v.slice(-3)}`);

/** Where it happened, as the public may give it: the event's location with a checked postcode. */
export const publicLocationSchema = /* @__PURE__ */ z
  .object({
    lat: z.number({ error: 'the latitude must be a number, like 52.7661' }).min(-90).max(90).optional(),
    lng: z.number({ error: 'the longitude must be a number, like -0.8863' }).min(-180).max(180).optional(),
    postcode: postcodeSchema.optional(),
    text: z.string().trim().min(1).max(500, 'the description of the place must be 500 characters or fewer').optional(),
  })
  .refine((l) => l.postcode !== undefined || l.text !== undefined || (l.lat !== undefined && l.lng !== undefined), {
    message: 'give a postcode, a description of the place, or a map point (lat and lng)',
  });


/**
 * The categories where "because of hostility to who someone is" fits: anti-social behaviour,
 * shop crime, something else, and graffiti (hate graffiti is a hate incident police record).
 * The form asks it only for these; for the others it is not required, and a form's answer is
 * ignored (it may have been given before the category was changed, without JavaScript).
 */
export const hateQuestionApplies = (category: string | undefined) =>
  category === undefined || !category.startsWith('enviro.') || category === 'enviro.graffiti';

export const HATE_MESSAGE = 'select yes if you think it happened because of hostility to who someone is';

export const reportInputSchema = /* @__PURE__ */ z.object({
  category: z.enum(categories, { error: 'select what happened' }),
  description: z
    .string({ error: 'describe what happened' })
    .trim()
    .min(1, 'describe what happened')
    .max(4000, 'the description must be 4,000 characters or fewer'),
  occurredAt: z.iso
    .datetime({ offset: true, message: 'give the date and time it happened, like 2024-05-14T21:30:00+01:00' })
    .refine((v) => Date.parse(v) <= Date.now() + FUTURE_TOLERANCE_MS, 'the date and time it happened must be in the past')
    // The bounds every event's occurredAt keeps (events/envelope.ts): a report is refused here, with a reason, not by the bus.
    .refine((v) => Date.parse(v) >= Date.parse(EARLIEST_OCCURRED_AT), 'the date it happened must be in the year 2000 or later'),
  /** The reporter did not know exactly when (see occurredAtFromForm for what is stored then). */
  occurredAtApproximate: z.boolean({ error: 'occurredAtApproximate must be true or false' }).optional(),
  location: publicLocationSchema,
  /** Required where the question fits the category (hateQuestionApplies); false if left out elsewhere. */
  hateMotivated: z.boolean({ error: HATE_MESSAGE }).optional(),
  contact: contactSchema.optional(),
  /** For fly-tipping: land type, waste type and size as far as the reporter can tell (events/fly-tipping.ts). */
  flyTip: flyTipDetailsSchema.optional(),
}).superRefine((r, ctx) => {
  if (r.hateMotivated === undefined && hateQuestionApplies(r.category)) ctx.addIssue({ code: 'custom', path: ['hateMotivated'], message: HATE_MESSAGE });
});
export type ReportInput = z.infer<typeof reportInputSchema>;
export type ContactInput = z.infer<typeof contactSchema>;

const formBoolean = (v: unknown) => (v === 'yes' || v === 'true' || v === 'on' ? true : v === 'no' || v === 'false' ? false : v);
const formNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v === '' ? undefined : v);
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export type FormFields = Record<string, string | string[] | undefined>;

/** One value per field name: a repeated field (a crafted post) counts as its first value. */
export const formValue = (fields: FormFields, name: string): string | undefined => {
  const v = fields[name];
  return Array.isArray(v) ? v[0] : v;
};

/** "21:30", "9:30pm", "9.30 pm", "9pm", "noon", "midnight" → hours and minutes. */
export function parseTime(text: string): { hour: number; minute: number } | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (t === 'noon' || t === 'midday') return { hour: 12, minute: 0 };
  if (t === 'midnight') return { hour: 0, minute: 0 };
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(t);
  if (!m) return undefined;
  const [, h = '', min = '0', half] = m;
  let hour = Number(h);
  const minute = Number(min);
  if (minute > 59) return undefined;
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  } else if (hour > 23 || m[2] === undefined) return undefined;
  return { hour, minute };
}

const DATE_PARTS = ['day', 'month', 'year'] as const;

/** Parts of the day a person may give instead of a time, and the time stored for each (London). */
export const dayParts = {
  morning: { hour: 9, minute: 0, text: 'in the morning' },
  afternoon: { hour: 15, minute: 0, text: 'in the afternoon' },
  evening: { hour: 20, minute: 0, text: 'in the evening' },
  night: { hour: 23, minute: 0, text: 'at night' },
} as const;
export type DayPart = keyof typeof dayParts;

/** Rough periods for "I do not know the date", and how many days before now is stored for each. */
export const roughPeriods = {
  days: { daysAgo: 3, text: 'In the last few days' },
  month: { daysAgo: 15, text: 'In the last month' },
  older: { daysAgo: 60, text: 'More than a month ago' },
} as const;
export type RoughPeriod = keyof typeof roughPeriods;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface FormWhen {
  occurredAt?: string;
  approximate?: boolean;
  /** How the person gave it, for the confirmation page ("14 May 2024, in the evening"). */
  text?: string;
  issues: ErrorDetail[];
}

/**
 * When it happened, from the form (docs/report-form.md, "When it happened"):
 * - a date (when-day, when-month, when-year) and, if they know it, a time (when-time): a time
 *   of day ("9:30pm", "21:30") is exact; a part of the day ("evening") stores its middle; no
 *   time stores noon. Either of the last two is approximate;
 * - or no date and a rough period (when-rough: days, month, older), stored as that many days
 *   before now, approximate;
 * - a post with an `occurredAt` field (older clients) is taken as it is.
 * A time that would be later than now (today, "evening", at 6pm) is now.
 */
export function occurredAtFromForm(fields: FormFields, now: Date = new Date()): FormWhen {
  const direct = blankToUndefined(formValue(fields, 'occurredAt'));
  const raw = Object.fromEntries(DATE_PARTS.map((p) => [p, (formValue(fields, `when-${p}`) ?? '').trim()])) as Record<
    (typeof DATE_PARTS)[number],
    string
  >;
  const timeText = (formValue(fields, 'when-time') ?? '').trim();
  const rough = (formValue(fields, 'when-rough') ?? '').trim();
  if (typeof direct === 'string' && !raw.day && !raw.month && !raw.year && !timeText && !rough) return { occurredAt: direct, issues: [] };

  const missing = DATE_PARTS.filter((p) => raw[p] === '');
  if (missing.length === 3 && !timeText) {
    if (Object.hasOwn(roughPeriods, rough)) {
      const period = roughPeriods[rough as RoughPeriod];
      return { occurredAt: new Date(now.getTime() - period.daysAgo * 86400_000).toISOString(), approximate: true, text: `${period.text} (you did not know the date)`, issues: [] };
    }
    return { issues: [{ path: 'when', message: 'enter the date it happened, or if you do not know it, choose roughly when' }] };
  }

  const issues: ErrorDetail[] = [];
  if (missing.length === 3) issues.push({ path: 'when', message: 'enter the date it happened' });
  else if (missing.length > 0) issues.push({ path: `when.${missing[0]}`, message: `the date it happened must include a ${missing.join(' and a ')}` });
  else if (!/^\d{4}$/.test(raw.year)) issues.push({ path: 'when.year', message: 'the year must include 4 numbers, like 2024' });
  else if (!/^\d{1,2}$/.test(raw.day) || !/^\d{1,2}$/.test(raw.month) || !isRealDate(Number(raw.year), Number(raw.month), Number(raw.day))) {
    issues.push({ path: 'when', message: 'the date it happened must be a real date' });
  }
  const part = timeText.toLowerCase() as DayPart;
  const dayPart = Object.hasOwn(dayParts, part) ? dayParts[part] : undefined;
  const time = timeText === '' ? undefined : (dayPart ?? parseTime(timeText));
  if (timeText !== '' && !time) issues.push({ path: 'when-time', message: 'enter the time as a time of day, like 9:30pm or 21:30, or a part of the day, like evening; or leave it empty' });
  if (issues.length) return { issues };

  const date = { year: Number(raw.year), month: Number(raw.month), day: Number(raw.day) };
  const dateText = `${date.day} ${MONTH_NAMES[date.month - 1]} ${date.year}`;
  const exact = time !== undefined && dayPart === undefined;
  const at = londonToIso({ ...date, ...(time ?? { hour: 12, minute: 0 }) });
  const today = londonWallClock(now);
  const isToday = today.year === date.year && today.month === date.month && today.day === date.day;
  if (Date.parse(at) > now.getTime() + FUTURE_TOLERANCE_MS) {
    if (!isToday) return { issues: [{ path: 'when', message: 'the date it happened must be today or in the past' }] };
    if (exact) return { issues: [{ path: 'when-time', message: 'the time it happened must be now or earlier today' }] };
  }
  const occurredAt = Date.parse(at) > now.getTime() ? now.toISOString() : at;
  const text = exact ? undefined : dayPart ? `${dateText}, ${dayPart.text}` : `${dateText} (time not known)`;
  return { occurredAt, ...(exact ? {} : { approximate: true }), ...(text ? { text } : {}), issues: [] };
}

/**
 * Form fields (the no-JavaScript path) in the JSON input's shape, so both are validated by
 * the same schema, plus what the form alone can get wrong (a date that does not exist).
 * Contact details are read only when the person chose to be contacted; the hate question only
 * where it fits the category.
 */
export function parseReportForm(fields: FormFields, now: Date = new Date()): { input: unknown; issues: ErrorDetail[]; whenText?: string } {
  const one = (name: string) => formValue(fields, name);
  const when = occurredAtFromForm(fields, now);
  const wantsContact = formBoolean(one('consentToContact'));
  const category = blankToUndefined(one('category'));
  const asked = hateQuestionApplies(typeof category === 'string' ? category : undefined);
  const hate = asked ? formBoolean(one('hateMotivated')) : false;
  const issues = [...when.issues];
  if (typeof hate !== 'boolean') issues.push({ path: 'hateMotivated', message: HATE_MESSAGE });
  if (typeof wantsContact !== 'boolean') issues.push({ path: 'consentToContact', message: 'select yes if you want us to contact you about this report' });
  return {
    input: {
      category,
      description: one('description'),
      occurredAt: when.occurredAt,
      ...(when.approximate ? { occurredAtApproximate: true } : {}),
      location: {
        postcode: blankToUndefined(one('location-postcode')),
        text: blankToUndefined(one('location-text')),
        lat: formNumber(one('location-lat')),
        lng: formNumber(one('location-lng')),
      },
      hateMotivated: hate,
      contact:
        wantsContact === true
          ? {
              name: blankToUndefined(one('contact-name')),
              email: blankToUndefined(one('contact-email')),
              phone: blankToUndefined(one('contact-phone')),
              consentToContact: true,
            }
          : undefined,
      flyTip: flyTipFromForm(fields),
    },
    issues,
    ...(when.text ? { whenText: when.text } : {}),
  };
}

/** The fly-tipping questions (`flyTip-landType`, …); "don't know" and no answer both leave a field out. */
function flyTipFromForm(fields: FormFields): Record<string, string> | undefined {
  const answers = Object.fromEntries(
    (['landType', 'wasteType', 'size'] as const).flatMap((f) => {
      const v = blankToUndefined(formValue(fields, `flyTip-${f}`));
      return typeof v === 'string' && v !== 'dont-know' ? [[f, v]] : [];
    }),
  );
  return Object.keys(answers).length ? answers : undefined;
}

/** The form's fields as the JSON input (see parseReportForm for the form's own checks). */
export function fromFormFields(fields: FormFields): unknown {
  return parseReportForm(fields).input;
}

/** Crockford base32 without I, L, O, U: easy to read out over the phone. */
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newReference(random: (n: number) => Buffer = randomBytes): string {
  const chars = [...random(8)].map((b) => REFERENCE_ALPHABET[b % 32]).join('');
  return `SC-${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
}

export const newId = () => randomUUID();
