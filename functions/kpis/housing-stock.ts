/**
 * The count of homes the council owns as landlord, the divisor of NM01 (contract.md,
 * `HousingStockRecorded`): what Tenancy Services send to `POST /housing-stock` or the form on
 * `/officer/kpis/housing-stock`, checked, claimed under its eventId, then put on the bus. The
 * KPI counters store it by its date (counter-store.ts, `recordStock`); NM01 for a range uses the
 * latest on or before the range's end.
 *
 * Once: a request that carries an Idempotency-Key (the form's hidden token) has an eventId
 * derived from it, and the claim is a conditional put on that eventId. Sending it again finds
 * the claim and puts nothing new; a crash between the claim and the put is finished by the
 * next send (the claim says whether its event is on the bus), with the first send's time.
 */
import { randomUUID } from 'node:crypto';
import type { DetailInput } from '#events/contract';
import type { Actor } from '#events/envelope';
import type { HousingStockRecorded } from '#events/tenancy';
import type { Principal } from '#shared/auth';
import { ConflictError, ValidationError, type ErrorDetail } from '#shared/errors';
import { dateText, isIsoDate, londonDateOf, type IsoDate } from '#shared/london-time';
import { dateFromParts } from '../../web/forms.ts';
import { derivedEventId } from '../funding/ids.ts';

/** The contract's bound (events/tenancy.ts): no council owns more. */
export const MAX_HOMES = 10_000_000;
/** Nothing this system records is from before 2000 (events/envelope.ts). */
export const EARLIEST_AS_OF = '2000-01-01';

export interface HousingStockFigure {
  /** The date the homes were counted (the figure is as at this date). */
  readonly asOf: IsoDate;
  readonly homes: number;
}

/** A figure as sent, claimed before its event is put. */
export interface StockClaim extends HousingStockFigure {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  /** Its HousingStockRecorded is on the bus. */
  readonly published: boolean;
}

export interface StockClaims {
  /** Stores the claim unless one with its eventId is there; answers whether it did, and the stored one. */
  claim(claim: StockClaim): Promise<{ claimed: boolean; stored: StockClaim }>;
  markPublished(eventId: string): Promise<void>;
}

/** The form's fields, in page order: the error summary links to these ids. */
export const housingStockFieldIds = { asOf: 'asOf-day', homes: 'homes' } as const;

const homesExample = 'like 3872';

/** The number of homes: a whole number from 1 to MAX_HOMES, as a JSON number or as typed ("3,872"). */
function homesFrom(value: unknown, problems: ErrorDetail[]): number | undefined {
  const fail = (message: string) => {
    problems.push({ path: 'homes', message });
    return undefined;
  };
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const typed = value.trim().replace(/[\s,]/g, '');
    if (typed === '') return fail(`enter the number of homes the council owns, ${homesExample}`);
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(typed)) return fail(`enter the number of homes as digits only, ${homesExample}`);
    n = Number(typed);
  } else if (value === undefined || value === null) return fail(`enter the number of homes the council owns, ${homesExample}`);
  else return fail(`homes must be a number, ${homesExample}`);
  if (!Number.isFinite(n)) return fail(`enter the number of homes as digits only, ${homesExample}`);
  if (!Number.isInteger(n)) return fail(`the number of homes must be a whole number, ${homesExample}`);
  if (n < 1) return fail('the number of homes must be 1 or more: enter how many homes the council owns');
  if (n > MAX_HOMES) return fail(`the number of homes must be ${MAX_HOMES.toLocaleString('en-GB')} or fewer: check the figure`);
  return n;
}

/** The date counted: `asOf` as YYYY-MM-DD (JSON), or the form's `asOf-day`, `-month`, `-year`. */
function asOfFrom(body: Readonly<Record<string, unknown>>, today: IsoDate, problems: ErrorDetail[]): IsoDate | undefined {
  const fail = (message: string) => {
    problems.push({ path: 'asOf', message });
    return undefined;
  };
  let date: string | undefined;
  if (body.asOf !== undefined) {
    if (typeof body.asOf !== 'string' || !isIsoDate(body.asOf.trim())) return fail('asOf must be a real date written YYYY-MM-DD, like 2025-03-31');
    date = body.asOf.trim();
  } else {
    const parts = Object.fromEntries(['day', 'month', 'year'].map((p) => [`asOf-${p}`, typeof body[`asOf-${p}`] === 'string' ? (body[`asOf-${p}`] as string) : undefined]));
    const typed = dateFromParts(parts, 'asOf', 'the date the homes were counted');
    if (typed.problem) return fail(typed.problem);
    date = typed.date;
  }
  if (date === undefined) return fail('enter the date the homes were counted, like 31 3 2025');
  if (date < EARLIEST_AS_OF) return fail('the date the homes were counted must be in 2000 or later');
  if (date > today) return fail(`the date the homes were counted must be today (${dateText(today)}) or earlier: record a count once it has been made`);
  return date;
}

/**
 * A figure from a JSON body (`{ asOf, homes }`) or the form's fields, checked against London's
 * today; otherwise a 422 naming every field that is wrong, with what to do.
 */
export function housingStockFrom(body: unknown, today: IsoDate): HousingStockFigure {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('send { "asOf": "YYYY-MM-DD", "homes": 3872 }', [{ path: '(body)', message: 'send { "asOf": "YYYY-MM-DD", "homes": 3872 }' }]);
  }
  const fields = body as Readonly<Record<string, unknown>>;
  const problems: ErrorDetail[] = [];
  const asOf = asOfFrom(fields, today, problems);
  const homes = homesFrom(fields.homes, problems);
  if (asOf === undefined || homes === undefined) throw new ValidationError('the count of homes could not be recorded: correct the fields listed', problems);
  return { asOf, homes };
}

/** The eventId of a request: derived from its Idempotency-Key (the same key, the same event), else new. */
export function stockEventId(councilId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  if (!/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
    throw new ValidationError('the Idempotency-Key header must be 1 to 200 visible ASCII characters', [{ path: 'Idempotency-Key', message: 'use a UUID' }]);
  }
  return derivedEventId('housing-stock', councilId, idempotencyKey);
}

/** The person recording, as the event's actor: council staff act as officers. */
export function stockActor(principal: Principal | undefined): Actor {
  return {
    kind: 'officer',
    ...(principal?.subject ? { id: principal.subject.slice(0, 128) } : {}),
    ...(principal?.organisation ? { organisation: principal.organisation.slice(0, 128) } : {}),
  };
}

export interface RecordStockDeps {
  readonly claims: StockClaims;
  readonly publish: (detail: DetailInput<typeof HousingStockRecorded>) => Promise<void>;
  readonly councilId: string;
  readonly now: Date;
}

export interface RecordedStock extends HousingStockFigure {
  readonly eventId: string;
  /** This request repeated one whose count was already on the bus: nothing new was recorded. */
  readonly alreadyRecorded: boolean;
}

/** Checks, claims and publishes one count of homes; a repeat of the same request records nothing new. */
export async function recordHousingStock(
  request: { body: unknown; principal: Principal | undefined; idempotencyKey?: string | undefined },
  deps: RecordStockDeps,
): Promise<RecordedStock> {
  const figure = housingStockFrom(request.body, londonDateOf(deps.now));
  const eventId = stockEventId(deps.councilId, request.idempotencyKey);
  const { claimed, stored } = await deps.claims.claim({ ...figure, eventId, occurredAt: deps.now.toISOString(), actor: stockActor(request.principal), published: false });
  if (!claimed && (stored.asOf !== figure.asOf || stored.homes !== figure.homes)) {
    throw new ConflictError(
      `this request was already sent with ${stored.homes} homes as at ${stored.asOf}: to record another count, send it as a new request (a new Idempotency-Key, or the form opened again)`,
    );
  }
  if (!stored.published) {
    await deps.publish({ eventId, occurredAt: stored.occurredAt, actor: stored.actor, asOf: stored.asOf, homes: stored.homes });
    await deps.claims.markPublished(eventId);
  }
  return { eventId, asOf: stored.asOf, homes: stored.homes, alreadyRecorded: !claimed && stored.published };
}
