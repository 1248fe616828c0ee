import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { z } from 'zod';
import type { DetailInput, EventContract } from './contract.ts';

/** What a producer hands the publisher: a contract and a detail for it. */
export interface PublishEntry<C extends EventContract = EventContract> {
  readonly contract: C;
  readonly detail: DetailInput<C>;
}

/** One event that reached the bus. */
export interface PublishedEvent {
  readonly eventId: string;
  readonly source: string;
  readonly detailType: string;
  /** EventBridge's envelope id (changes if a producer retries; `eventId` does not). */
  readonly busEventId: string;
}

export interface EventValidationFailure {
  /** Position of the entry in the `publish` call. */
  readonly index: number;
  readonly source: string;
  readonly detailType: string;
  readonly eventId?: string;
  readonly issues: readonly z.core.$ZodIssue[];
}

/** A detail broke its contract; nothing was sent. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(readonly failures: readonly EventValidationFailure[]) {
    super(
      `event detail does not match its contract, nothing was sent: ${failures
        .map((f) => `[${f.index}] ${f.source} ${f.detailType}: ${f.issues.map((i) => `${i.path.map(String).join('.') || '(detail)'} ${i.message}`).join('; ')}`)
        .join(' | ')}`,
    );
  }

  /** Every issue, each path prefixed with the entry's index. */
  get issues(): z.core.$ZodIssue[] {
    return this.failures.flatMap((f) => f.issues.map((i) => ({ ...i, path: [f.index, ...i.path] })));
  }
}

export interface EventPublishFailure {
  readonly eventId: string;
  readonly source: string;
  readonly detailType: string;
  readonly errorCode: string;
  readonly errorMessage?: string;
}

/** Some events did not reach the bus after every attempt (the others did). */
export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
  constructor(
    readonly failures: readonly EventPublishFailure[],
    readonly published: readonly PublishedEvent[],
    options?: { cause?: unknown },
  ) {
    super(
      `${failures.length} event(s) could not be put on the bus: ${failures.map((f) => `${f.eventId} (${f.detailType}: ${f.errorCode})`).join(', ')}`,
      options,
    );
  }
}

export interface EventPublisherOptions {
  readonly client: EventBridgeClient;
  readonly busName: string;
  /** Attempts per entry, counting the first (default 4). */
  readonly maxAttempts?: number;
  /** First back-off delay in ms; doubles each attempt, with jitter (default 100). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
  readonly random?: () => number;
}

/** PutEvents limits: at most 10 entries and 256 KB per request. */
export const MAX_ENTRIES_PER_PUT = 10;
export const MAX_PUT_BYTES = 256 * 1024;

/** Entry-level error codes EventBridge documents as permanent; anything else is worth another try. */
const permanentEntryErrors = new Set([
  'AccessDeniedException',
  'InvalidAccountIdException',
  'InvalidArgument',
  'MalformedDetail',
  'RedactionFailure',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);

const retryableErrorNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalException',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const retryableNetworkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/** Throttling, 5xx and dropped connections are transient; a 4xx such as AccessDenied is not. */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e.$retryable) return true;
  if (typeof e.name === 'string' && retryableErrorNames.has(e.name)) return true;
  if (typeof e.code === 'string' && retryableNetworkCodes.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** The size EventBridge charges an entry against the 256 KB limit (its documented formula). */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  size += Buffer.byteLength(entry.Source ?? '', 'utf8');
  size += Buffer.byteLength(entry.DetailType ?? '', 'utf8');
  size += Buffer.byteLength(entry.Detail ?? '', 'utf8');
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, 'utf8');
  return size;
}

interface Prepared {
  readonly index: number;
  readonly eventId: string;
  readonly source: string;
  readonly detailType: string;
  readonly request: PutEventsRequestEntry;
  readonly size: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Groups entries into requests of at most 10 entries and 256 KB, keeping their order. */
export function batch<T extends { size: number }>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length === MAX_ENTRIES_PER_PUT || (current.length > 0 && bytes + item.size > MAX_PUT_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The producer's put helper. Every detail is checked against its contract before anything is
 * sent; PutEvents partial failures are retried entry by entry with exponential back-off.
 */
export function createEventPublisher(options: EventPublisherOptions) {
  const { client, busName } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;

  /** Half the exponential delay fixed, half random, so retrying producers spread out. */
  const backoff = (attempt: number) => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };

  function prepare(entries: readonly PublishEntry[]): Prepared[] {
    const time = now();
    const failures: EventValidationFailure[] = [];
    const prepared: Prepared[] = [];
    entries.forEach(({ contract, detail }, index) => {
      const given = detail as { schemaVersion?: unknown; eventId?: unknown };
      const candidate = { ...given, schemaVersion: given.schemaVersion ?? contract.version };
      const where = { index, source: contract.source, detailType: contract.detailType };
      const known = typeof given.eventId === 'string' ? { eventId: given.eventId } : {};
      if (candidate.schemaVersion !== contract.version) {
        failures.push({
          ...where,
          ...known,
          issues: [{ code: 'custom', path: ['schemaVersion'], message: `this contract is version ${contract.version}`, input: candidate.schemaVersion }],
        });
        return;
      }
      const parsed = contract.detail.safeParse(candidate);
      if (!parsed.success) {
        failures.push({ ...where, ...known, issues: parsed.error.issues });
        return;
      }
      const request: PutEventsRequestEntry = {
        EventBusName: busName,
        Source: contract.source,
        DetailType: contract.detailType,
        Detail: JSON.stringify(parsed.data),
        Time: time,
      };
      const size = entrySize(request);
      if (size > MAX_PUT_BYTES) {
        failures.push({
          ...where,
          ...known,
          issues: [{ code: 'custom', path: [], message: `the event is ${size} bytes; EventBridge takes at most ${MAX_PUT_BYTES}`, input: undefined }],
        });
        return;
      }
      prepared.push({ ...where, eventId: (parsed.data as { eventId: string }).eventId, request, size });
    });
    if (failures.length > 0) throw new EventValidationError(failures);
    return prepared;
  }

  async function publish<const T extends readonly EventContract[]>(entries: PublishEntries<T>): Promise<PublishedEvent[]> {
    const prepared = prepare(entries as readonly PublishEntry[]);
    const published = new Map<number, PublishedEvent>();
    // Each entry's latest failure; cleared when a later attempt gets it onto the bus.
    const failures = new Map<number, EventPublishFailure & { cause?: unknown }>();
    let pending = prepared;

    for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(backoff(attempt - 1));
      const retry: Prepared[] = [];
      for (const group of batch(pending)) {
        try {
          const result = await client.send(new PutEventsCommand({ Entries: group.map((p) => p.request) }));
          group.forEach((p, i) => {
            const outcome = result.Entries?.[i];
            if (outcome?.EventId && !outcome.ErrorCode) {
              published.set(p.index, { eventId: p.eventId, source: p.source, detailType: p.detailType, busEventId: outcome.EventId });
              failures.delete(p.index);
              return;
            }
            const errorCode = outcome?.ErrorCode ?? 'UnknownFailure';
            failures.set(p.index, { ...failureOf(p), errorCode, ...(outcome?.ErrorMessage ? { errorMessage: outcome.ErrorMessage } : {}) });
            if (!permanentEntryErrors.has(errorCode)) retry.push(p);
          });
        } catch (error) {
          const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
          for (const p of group) failures.set(p.index, { ...failureOf(p), errorCode: name, errorMessage: message, cause: error });
          if (isRetryableError(error)) retry.push(...group);
        }
      }
      pending = retry;
    }

    if (failures.size > 0) {
      const ordered = [...failures.entries()].sort(([a], [b]) => a - b).map(([, f]) => f);
      const cause = ordered.find((f) => f.cause !== undefined)?.cause;
      throw new EventPublishError(
        ordered.map(({ cause: _cause, ...f }) => f),
        inOrder(published),
        cause === undefined ? undefined : { cause },
      );
    }
    return inOrder(published);
  }

  /** One event, typed by its contract. The caller already holds its `eventId`. */
  async function publishOne<C extends EventContract>(contract: C, detail: DetailInput<C>): Promise<void> {
    await publish([{ contract, detail }] as PublishEntries<[C]>);
  }

  return { publish, publishOne };
}

const failureOf = (p: Prepared) => ({ eventId: p.eventId, source: p.source, detailType: p.detailType });
const inOrder = (published: ReadonlyMap<number, PublishedEvent>) =>
  [...published.entries()].sort(([a], [b]) => a - b).map(([, e]) => e);

/** A list of entries, each detail typed by the contract beside it. */
export type PublishEntries<T extends readonly EventContract[]> = { readonly [I in keyof T]: PublishEntry<T[I]> };

export type EventPublisher = ReturnType<typeof createEventPublisher>;
