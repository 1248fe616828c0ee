/**
 * Finance writes: a request body becomes one funding event, checked in full (the event's own
 * contract included) before anything is published, so bad input records nothing.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { DetailInput } from '#events/contract';
import type { PublishEntry } from '#events/put';
import type { Actor } from '#events/envelope';
import { allocationKinds, FundingAllocated, FundingCommitted, FundingSpendReversed, FundingSpent } from '#events/funding';
import { ConflictError, detailsFromZod, NotFoundError, ValidationError, type ErrorDetail } from '#shared/errors';
import { derivedEventId } from './ids.ts';
import { valueAt, type Ledger } from './ledger.ts';
import { parsePounds } from './money.ts';

export type CommandKind = 'allocation' | 'commitment' | 'spend' | 'reversal';

const clientEventId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'an eventId is 1 to 128 letters, digits, dots, underscores, colons or hyphens');
const occurredAt = z.iso.datetime({ offset: true, message: 'give the date and time with its offset, like 2024-05-02T14:00:00+01:00' });
const text = (max: number, what: string) =>
  z.string({ error: `give ${what}` }).trim().min(1, `give ${what}`).max(max, `${what} must be ${max} characters or fewer`);
const common = { occurredAt: occurredAt.optional(), eventId: clientEventId.optional(), amountPence: z.unknown().optional(), amount: z.unknown().optional() };

const inputs = {
  allocation: z.object({ ...common, kind: z.enum(allocationKinds, { error: `kind must be one of ${allocationKinds.join(', ')}` }), reference: text(128, 'a reference') }),
  commitment: z.object({ ...common, project: text(200, 'the project'), reference: text(128, 'a reference').optional() }),
  spend: z.object({ ...common, project: text(200, 'the project'), reference: text(128, 'a reference') }),
  reversal: z.object({ occurredAt: occurredAt.optional(), eventId: clientEventId.optional(), reason: text(2000, 'the reason for the reversal') }),
};

/**
 * The amount as `amountPence` (a whole number) or `amount` (pounds as text, `1,320.00`).
 * Pounds given as a JSON number are refused: 1320.1 cannot be trusted to mean 132010 pence.
 */
export function amountFrom(body: { amountPence?: unknown; amount?: unknown }, allowNegative: boolean): { pence: number } | { problem: ErrorDetail } {
  const { amountPence, amount } = body;
  if (amountPence !== undefined && amountPence !== '' && amount !== undefined && amount !== '') {
    return { problem: { path: 'amount', message: 'give amountPence or amount, not both' } };
  }
  if (amountPence !== undefined && amountPence !== '') {
    const n = typeof amountPence === 'string' && /^-?\d+$/.test(amountPence.trim()) ? Number(amountPence.trim()) : amountPence;
    if (typeof n !== 'number' || !Number.isFinite(n)) return { problem: { path: 'amountPence', message: 'amountPence must be a whole number of pence, like 132000' } };
    if (!Number.isInteger(n)) return { problem: { path: 'amountPence', message: `amountPence must be a whole number of pence, not ${n}` } };
    if (n === 0 || (n < 0 && !allowNegative)) return { problem: { path: 'amountPence', message: allowNegative ? 'amountPence must not be zero' : 'amountPence must be more than zero' } };
    if (!Number.isSafeInteger(n)) return { problem: { path: 'amountPence', message: 'amountPence is larger than this system records (£1bn)' } };
    return { pence: n };
  }
  if (typeof amount === 'string' && amount.trim() !== '') {
    const parsed = parsePounds(amount, { allowNegative });
    if (!parsed.ok) return { problem: { path: 'amount', message: parsed.message } };
    if (parsed.pence === 0) return { problem: { path: 'amount', message: 'the amount must not be zero' } };
    return { pence: parsed.pence };
  }
  if (typeof amount === 'number') return { problem: { path: 'amount', message: 'give amount in pounds as text, like "1,320.00", or amountPence as a whole number' } };
  return { problem: { path: 'amountPence', message: 'give the amount: amountPence (whole pence) or amount (pounds, like 1,320.00)' } };
}

export interface CommandContext {
  readonly stream: string;
  readonly financialYear: string;
  readonly actor: Actor;
  /** The Idempotency-Key header, if the client sent one. */
  readonly idempotencyKey?: string;
  /** For a reversal: the spend's eventId from the path. */
  readonly spendEventId?: string;
  readonly now: Date;
  readonly councilId: string;
}

export type FundingCommand =
  | { readonly kind: 'allocation'; readonly contract: typeof FundingAllocated; readonly detail: DetailInput<typeof FundingAllocated> }
  | { readonly kind: 'commitment'; readonly contract: typeof FundingCommitted; readonly detail: DetailInput<typeof FundingCommitted> }
  | { readonly kind: 'spend'; readonly contract: typeof FundingSpent; readonly detail: DetailInput<typeof FundingSpent> }
  | { readonly kind: 'reversal'; readonly contract: typeof FundingSpendReversed; readonly detail: DetailInput<typeof FundingSpendReversed> };

/** The command's event as a publish entry, its detail typed by its contract. */
export const entryOf = (command: FundingCommand): PublishEntry => ({ contract: command.contract, detail: command.detail }) as PublishEntry;

const contracts = { allocation: FundingAllocated, commitment: FundingCommitted, spend: FundingSpent, reversal: FundingSpendReversed } as const;

function eventIdFor(kind: CommandKind, given: string | undefined, ctx: CommandContext): string {
  if (given !== undefined && ctx.idempotencyKey !== undefined) {
    throw new ValidationError('give an Idempotency-Key header or an eventId in the body, not both', [{ path: 'eventId', message: 'give one or the other' }]);
  }
  if (given !== undefined) return given;
  if (ctx.idempotencyKey !== undefined) {
    if (!/^[\x21-\x7e]{1,200}$/.test(ctx.idempotencyKey)) {
      throw new ValidationError('the Idempotency-Key header must be 1 to 200 visible ASCII characters', [{ path: 'Idempotency-Key', message: 'use a UUID' }]);
    }
    return derivedEventId('funding-api', ctx.councilId, kind, ctx.stream, ctx.financialYear, ctx.spendEventId ?? '', ctx.idempotencyKey);
  }
  return randomUUID();
}

/** Builds the event for a request, or throws a 4xx naming every field that is wrong. */
export function commandFrom(kind: CommandKind, body: unknown, ctx: CommandContext): FundingCommand {
  const parsed = inputs[kind].safeParse(body ?? {});
  const problems: ErrorDetail[] = parsed.success ? [] : detailsFromZod(parsed.error.issues);
  const raw = (body && typeof body === 'object' ? body : {}) as { amountPence?: unknown; amount?: unknown; kind?: unknown };
  let amountPence: number | undefined;
  if (kind !== 'reversal') {
    const amount = amountFrom(raw, kind === 'allocation' && raw.kind === 'adjustment');
    if ('problem' in amount) problems.push(amount.problem);
    else amountPence = amount.pence;
  }
  if (!parsed.success || problems.length > 0) {
    throw new ValidationError(`the ${kind} could not be recorded: correct the fields listed`, problems);
  }
  const input = parsed.data as Record<string, unknown> & { eventId?: string; occurredAt?: string };
  const { eventId: _given, occurredAt: at, amount: _amount, amountPence: _pence, ...fields } = input;
  const detail = {
    ...fields,
    eventId: eventIdFor(kind, input.eventId, ctx),
    occurredAt: at ?? ctx.now.toISOString(),
    schemaVersion: contracts[kind].version,
    actor: ctx.actor,
    stream: ctx.stream,
    financialYear: ctx.financialYear,
    ...(amountPence !== undefined ? { amountPence } : {}),
    ...(kind === 'reversal' ? { spendEventId: ctx.spendEventId } : {}),
  };
  const checked = contracts[kind].detail.safeParse(detail);
  if (!checked.success) {
    throw new ValidationError(`the ${kind} could not be recorded: correct the fields listed`, detailsFromZod(checked.error.issues));
  }
  return { kind, contract: contracts[kind], detail } as FundingCommand;
}

/** The ledger lines `decide` looks at: the command's own, and for a reversal its spend and any reversal of it. */
export function linesToCheck(command: FundingCommand): { lines: string[]; reversals: string[] } {
  if (command.kind === 'reversal') return { lines: [command.detail.spendEventId], reversals: [command.detail.spendEventId] };
  return { lines: [command.detail.eventId], reversals: [] };
}

const sameFacts = (a: Record<string, unknown>, b: Record<string, unknown>, fields: readonly string[]) =>
  fields.every((f) => a[f] === b[f]);

/**
 * Checks a command against the ledger as it stands. `replay`: the same request was recorded
 * already (a retried POST), so nothing is published again. A reversal needs its spend, and a
 * spend is reversed once: a second, different reversal is a 409.
 */
export function decide(command: FundingCommand, ledger: Ledger | undefined): 'publish' | 'replay' {
  const lines = ledger?.lines ?? {};
  const d = command.detail as Record<string, unknown> & { eventId: string };
  if (command.kind === 'reversal') {
    const spendEventId = command.detail.spendEventId;
    const spend = valueAt(lines, spendEventId);
    if (!spend) {
      throw new NotFoundError(
        `there is no spend ${spendEventId} in ${command.detail.stream} ${command.detail.financialYear}; if it was recorded moments ago, try again shortly`,
      );
    }
    if (spend.type !== 'spend') throw new ValidationError(`${spendEventId} is a ${spend.type}, not a spend: only a spend can be reversed`);
    const existing = ledger && valueAt(ledger.reversals, spendEventId);
    if (existing) {
      if (existing.eventId === d.eventId) return 'replay';
      throw new ConflictError(`spend ${spendEventId} was already reversed (event ${existing.eventId}); reversing it again would change nothing`);
    }
    return 'publish';
  }
  const existing = valueAt(lines, d.eventId) as unknown as Record<string, unknown> | undefined;
  if (!existing) return 'publish';
  const fields = command.kind === 'allocation' ? ['kind', 'amountPence', 'reference'] : ['project', 'amountPence', 'reference'];
  if (existing.type === command.kind && sameFacts(existing, d, fields)) return 'replay';
  throw new ConflictError(`event ${d.eventId} is already recorded with different details: use a new Idempotency-Key (or eventId) for a new entry`);
}
