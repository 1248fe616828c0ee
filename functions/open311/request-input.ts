import * as z from 'zod';
import { EARLIEST_OCCURRED_AT, FUTURE_TOLERANCE_MS } from '#events/envelope';
import { categories } from '#events/intake';
import { contactSchema, type ContactInput, type ReportInput } from '../intake/report-input.ts';
import { HATE_ATTRIBUTE, OCCURRED_AT_ATTRIBUTE } from './services.ts';

/**
 * `POST requests.{format}` fields (GeoReport v2), form-encoded. Fields the spec defines but we
 * do not use (jurisdiction_id, address_id, device_id, account_id) are ignored; each field we
 * read may appear once.
 */
const number = (min: number, max: number, name: string) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}(\.\d{1,12})?$/, `${name} must be a decimal number of degrees, like 52.7661`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be between ${min} and ${max}`).max(max, `${name} must be between ${min} and ${max}`));

const yesNo = z.enum(['yes', 'no', 'true', 'false'], { error: `attribute[${HATE_ATTRIBUTE}] must be yes or no` });

const fieldsSchema = z
  .object({
    service_code: z.enum(categories, { error: 'service_code must be one of the service codes in services.json' }),
    lat: number(-90, 90, 'lat').optional(),
    long: number(-180, 180, 'long').optional(),
    address_string: z.string().trim().min(1).max(500, 'address_string must be 500 characters or fewer').optional(),
    description: z
      .string({ error: 'description is required: say what happened' })
      .trim()
      .min(1, 'description is required: say what happened')
      .max(4000, 'description must be 4,000 characters or fewer'),
    email: contactSchema.shape.email,
    phone: contactSchema.shape.phone,
    first_name: z.string().trim().min(1).max(100, 'first_name must be 100 characters or fewer').optional(),
    last_name: z.string().trim().min(1).max(100, 'last_name must be 100 characters or fewer').optional(),
    media_url: z
      .url({ protocol: /^https?$/, message: 'media_url must be an http or https URL' })
      .max(2048, 'media_url must be 2,048 characters or fewer')
      .optional(),
    [HATE_ATTRIBUTE]: yesNo.optional(),
    [OCCURRED_AT_ATTRIBUTE]: z.iso
      .datetime({ offset: true, message: `attribute[${OCCURRED_AT_ATTRIBUTE}] must be an ISO 8601 date-time with an offset, like 2024-05-14T21:30:00+01:00` })
      .optional(),
  })
  .superRefine((f, ctx) => {
    if ((f.lat === undefined) !== (f.long === undefined)) {
      ctx.addIssue({ code: 'custom', path: [f.lat === undefined ? 'lat' : 'long'], message: 'give both lat and long, or neither' });
    }
    if (f.lat === undefined && f.address_string === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lat'], message: 'give a location: lat and long, or address_string' });
    }
  });

export interface RequestInput {
  readonly report: ReportInput;
  readonly mediaUrl?: string;
}

export type FieldError = { readonly field: string; readonly message: string };

const readFields = [
  'service_code',
  'lat',
  'long',
  'address_string',
  'description',
  'email',
  'phone',
  'first_name',
  'last_name',
  'media_url',
] as const;

/** Form fields → a report, or the fields that are wrong and why. */
export function parseRequestFields(
  fields: Readonly<Record<string, string | string[]>>,
  now: Date,
): { ok: true; value: RequestInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const candidate: Record<string, string> = {};
  const take = (formName: string, key: string) => {
    const v = fields[formName];
    if (v === undefined) return;
    if (Array.isArray(v)) errors.push({ field: formName, message: `give ${formName} once` });
    else if (v.trim() !== '') candidate[key] = v;
  };
  for (const name of readFields) take(name, name);
  take(`attribute[${HATE_ATTRIBUTE}]`, HATE_ATTRIBUTE);
  take(`attribute[${OCCURRED_AT_ATTRIBUTE}]`, OCCURRED_AT_ATTRIBUTE);
  if (errors.length > 0) return { ok: false, errors };

  const parsed = fieldsSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? 'request');
        const field = key === HATE_ATTRIBUTE || key === OCCURRED_AT_ATTRIBUTE ? `attribute[${key}]` : key;
        return { field, message: i.message };
      }),
    };
  }
  const f = parsed.data;
  const occurredAt = f[OCCURRED_AT_ATTRIBUTE] ?? now.toISOString();
  if (new Date(occurredAt).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    return { ok: false, errors: [{ field: `attribute[${OCCURRED_AT_ATTRIBUTE}]`, message: 'occurred_at cannot be in the future' }] };
  }
  if (Date.parse(occurredAt) < Date.parse(EARLIEST_OCCURRED_AT)) {
    return { ok: false, errors: [{ field: `attribute[${OCCURRED_AT_ATTRIBUTE}]`, message: 'occurred_at must be in the year 2000 or later' }] };
  }
  const name = [f.first_name, f.last_name].filter(Boolean).join(' ') || undefined;
  const contact: ContactInput | undefined =
    name || f.email || f.phone
      ? {
          ...(name ? { name } : {}),
          ...(f.email ? { email: f.email } : {}),
          ...(f.phone ? { phone: f.phone } : {}),
          // Open311 has no consent field: a client that passes on an e-mail or phone number does
          // so for the council to reply about this request (docs/integrations/open311.md).
          consentToContact: f.email !== undefined || f.phone !== undefined,
        }
      : undefined;
  return {
    ok: true,
    value: {
      report: {
        category: f.service_code,
        description: f.description,
        occurredAt,
        location: {
          ...(f.lat !== undefined && f.long !== undefined ? { lat: f.lat, lng: f.long } : {}),
          ...(f.address_string ? { text: f.address_string } : {}),
        },
        hateMotivated: f[HATE_ATTRIBUTE] === 'yes' || f[HATE_ATTRIBUTE] === 'true',
        ...(contact ? { contact } : {}),
      },
      ...(f.media_url ? { mediaUrl: f.media_url } : {}),
    },
  };
}
