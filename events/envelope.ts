import * as z from 'zod';

/** Fields every event detail carries (contract.md, "Event envelope"). */
export const actorSchema = z.object({
  kind: z.enum(['public', 'officer', 'partner', 'system']),
  id: z.string().min(1).max(128).optional(),
  organisation: z.string().min(1).max(128).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

/** Nothing this system records happened before 2000: an earlier occurredAt is a typing or clock error. */
export const EARLIEST_OCCURRED_AT = '2000-01-01T00:00:00Z';
/** Clocks drift: an occurredAt up to this far ahead of now is taken as now-ish, further is refused. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * When a fact happened: an ISO 8601 instant with its offset, not before 2000 and not more
 * than a few minutes ahead of the clock of whoever parses it (a producer, a consumer, a replay).
 */
export const occurredAtSchema = z.iso.datetime({ offset: true }).superRefine((value, ctx) => {
  const at = Date.parse(value);
  if (at < Date.parse(EARLIEST_OCCURRED_AT)) ctx.addIssue({ code: 'custom', message: 'occurredAt must be in the year 2000 or later' });
  else if (at > Date.now() + FUTURE_TOLERANCE_MS) ctx.addIssue({ code: 'custom', message: 'occurredAt must not be in the future' });
});

export const envelopeShape = {
  // Stored maps are keyed by eventId (the funding ledger's lines): `__proto__` cannot round-trip through them.
  eventId: z.string().min(1).max(128).refine((id) => id !== '__proto__', 'eventId must not be __proto__'),
  occurredAt: occurredAtSchema,
  schemaVersion: z.number().int().min(1),
  actor: actorSchema,
  /** The request or scheduled run that started the chain this event belongs to (logs and traces find it). */
  correlationId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/).optional(),
  /** The eventId of the event whose handling put this one, if any. */
  causationId: z.string().min(1).max(128).optional(),
};

/** Integer pence; money is never a float. */
export const pence = z.number().int();
/** Financial years are written `2024-25`: the second part is the year after the first. */
export const financialYear = z
  .string()
  .regex(/^\d{4}-\d{2}$/, 'financial year must look like 2024-25')
  .refine((fy) => (Number(fy.slice(0, 4)) + 1) % 100 === Number(fy.slice(5)), 'financial year must span consecutive years, e.g. 2024-25');
export const isoDate = z.iso.date();

export const EVENT_SOURCE_PREFIX = 'safer-communities.';

/** An identifier the system mints (caseId, reportId, reviewId, …). */
export const entityId = z.string().min(1).max(64);
/** An opaque token standing for a person or organisation (never their name, e-mail or phone). */
export const opaqueRef = z.string().min(1).max(128);
/** Free text from a person, trimmed and bounded so hostile input stays small. */
export const text = (max: number) => z.string().trim().min(1).max(max);
/** A short machine code such as `waste-carrier-stop-search` or `littering`. */
export const code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'a code is lower-case letters, digits, dots and hyphens');
/**
 * Money bound: ±£1bn, far above anything a district council records, and small enough that
 * sums of many amounts stay exact in a double.
 */
export const MAX_ABS_PENCE = 100_000_000_000;
