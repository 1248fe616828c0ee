/**
 * What finance sets up rather than records as money: opening a funding stream (streams are
 * data) and a year's grant profile (the spend planned for each quarter). Each is stored
 * first, so the next page shows it, then published as its event (FundingStreamOpened,
 * FundingProfileSet); the stored item says whether the event reached the bus, so a retry
 * publishes what a failed attempt did not.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { DetailInput } from '#events/contract';
import type { Actor } from '#events/envelope';
import { FundingProfileSet, FundingStreamOpened, fundingStream } from '#events/funding';
import { ConflictError, detailsFromZod, ValidationError, type ErrorDetail } from '#shared/errors';
import { isIsoDate } from '#shared/london-time';
import { derivedEventId } from './ids.ts';
import { parsePounds } from './money.ts';
import type { QuarterAmounts } from './quarters.ts';
import { configOf, sameDefinition, type OpenedStream, type StreamRegistry } from './stream-registry.ts';
import { reservedStreamCodes, type FundingStreamConfig } from './streams.ts';

const date = (what: string) =>
  z.string({ error: `give ${what}` }).trim().refine(isIsoDate, `give ${what} as a real date, like 2025-04-01`);
const text = (max: number, what: string) =>
  z.string({ error: `give ${what}` }).trim().min(1, `give ${what}`).max(max, `${what} must be ${max} characters or fewer`);

const streamInput = z
  .object({
    code: z
      .string({ error: 'give the stream a code, like CSP' })
      .trim()
      .pipe(fundingStream)
      .refine((c) => !(reservedStreamCodes as readonly string[]).includes(c.toLowerCase()), 'that code is a word the addresses use: choose another'),
    name: text(120, 'a name'),
    description: text(1000, 'a description'),
    startsOn: date('the day the stream starts'),
    endsOn: z.preprocess((v) => (v === '' || v === null ? undefined : v), date('the day the stream ends').optional()),
  })
  .superRefine((s, ctx) => {
    if (s.endsOn !== undefined && s.endsOn < s.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'the stream must end on or after the day it starts' });
  });

/** A stream definition from a request body, or a 422 naming each field that is wrong. */
export function streamFrom(body: unknown): FundingStreamConfig {
  const parsed = streamInput.safeParse(body ?? {});
  if (!parsed.success) throw new ValidationError('the stream could not be opened: correct the fields listed', detailsFromZod(parsed.error.issues));
  return configOf(parsed.data);
}

export interface SetupDeps {
  readonly councilId: string;
  readonly actor: Actor;
  readonly now: Date;
}

/**
 * Opens a stream: stored unless its code is taken, then FundingStreamOpened is published with
 * an eventId derived from council and code. The same definition again is a replay (published
 * again only if it never reached the bus); a different one under a taken code is a 409.
 */
export async function openStream(
  body: unknown,
  deps: SetupDeps & { registry: Pick<StreamRegistry, 'claim' | 'markPublished'>; publish: (detail: DetailInput<typeof FundingStreamOpened>) => Promise<void> },
): Promise<{ eventId: string; stream: FundingStreamConfig; alreadyOpen: boolean }> {
  const stream = streamFrom(body);
  const proposed: OpenedStream = {
    ...stream,
    eventId: derivedEventId('FundingStreamOpened', deps.councilId, stream.code.toLowerCase()),
    openedAt: deps.now.toISOString(),
    published: false,
  };
  const { claimed, stored } = await deps.registry.claim(proposed);
  if (!claimed && !sameDefinition(configOf(stored), stream)) {
    throw new ConflictError(`a stream ${stored.code} ("${stored.name}") is already open, opened on ${stored.openedAt.slice(0, 10)}: choose another code`);
  }
  if (!stored.published) {
    const { code, ...definition } = configOf(stored);
    await deps.publish({ eventId: stored.eventId, occurredAt: stored.openedAt, actor: deps.actor, stream: code, ...definition });
    await deps.registry.markPublished(stored.code);
  }
  return { eventId: stored.eventId, stream: configOf(stored), alreadyOpen: !claimed };
}

/** A year's grant profile as stored: Q1 to Q4 in pence, and the event that set it. */
export interface StoredProfile {
  readonly quarterPence: QuarterAmounts;
  readonly eventId: string;
  readonly setAt: string;
  readonly published: boolean;
}

export interface ProfileStore {
  get(stream: string, financialYear: string): Promise<StoredProfile | undefined>;
  /** Stores the profile unless a later one is stored (the later one wins, whatever order they come in); answers the stored one. */
  put(stream: string, financialYear: string, profile: StoredProfile): Promise<StoredProfile>;
  markPublished(stream: string, financialYear: string, eventId: string): Promise<void>;
}

export const quarterFields = ['q1', 'q2', 'q3', 'q4'] as const;

/**
 * The four quarters from a body: `quarterPence` (four whole numbers of pence) or `q1`..`q4`
 * (pounds as text, like the other amounts: `8,000.00`). Zero is a planned quarter with no spend.
 */
export function profileFrom(body: unknown): QuarterAmounts {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const problems: ErrorDetail[] = [];
  let pence: number[] = [];
  if (raw.quarterPence !== undefined) {
    const parsed = z.tuple([0, 1, 2, 3].map(() => z.number().int().min(0).max(100_000_000_000)) as [z.ZodNumber, z.ZodNumber, z.ZodNumber, z.ZodNumber]).safeParse(raw.quarterPence);
    if (!parsed.success) problems.push({ path: 'quarterPence', message: 'quarterPence is four whole numbers of pence, zero or more: Q1 (April to June) first' });
    else pence = parsed.data;
  } else {
    quarterFields.forEach((field, i) => {
      const value = raw[field];
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push({ path: field, message: `give the amount planned for Q${i + 1}, or 0` });
        return;
      }
      const parsed = parsePounds(value);
      if (!parsed.ok) problems.push({ path: field, message: parsed.message });
      else pence[i] = parsed.pence;
    });
  }
  if (problems.length > 0) throw new ValidationError('the profile could not be recorded: correct the fields listed', problems);
  return pence as unknown as QuarterAmounts;
}

/** Records a year's grant profile (the stream and year already checked); 202-style answer. */
export async function setProfile(
  target: { stream: string; financialYear: string },
  body: unknown,
  deps: SetupDeps & { profiles: ProfileStore; publish: (detail: DetailInput<typeof FundingProfileSet>) => Promise<void>; idempotencyKey?: string },
): Promise<{ eventId: string; alreadyRecorded: boolean }> {
  const quarterPence = profileFrom(body);
  const eventId = deps.idempotencyKey
    ? derivedEventId('funding-profile', deps.councilId, target.stream, target.financialYear, deps.idempotencyKey)
    : randomUUID();
  const existing = await deps.profiles.get(target.stream, target.financialYear);
  if (existing?.eventId === eventId) {
    if (existing.quarterPence.some((p, i) => p !== quarterPence[i])) {
      throw new ConflictError('that Idempotency-Key was used for a different profile: use a new key for a new profile');
    }
    if (existing.published) return { eventId, alreadyRecorded: true };
  }
  const stored = existing?.eventId === eventId ? existing : await deps.profiles.put(target.stream, target.financialYear, { quarterPence, eventId, setAt: deps.now.toISOString(), published: false });
  await deps.publish({ eventId, occurredAt: existing?.eventId === eventId ? existing.setAt : deps.now.toISOString(), actor: deps.actor, ...target, quarterPence: [...quarterPence] as [number, number, number, number] });
  if (stored.eventId === eventId) await deps.profiles.markPublished(target.stream, target.financialYear, eventId);
  return { eventId, alreadyRecorded: false };
}
