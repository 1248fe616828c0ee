/**
 * The stream registry: the funding streams finance has opened (POST /funding/streams), one
 * DynamoDB item each in one small partition. Everything that needs to know whether a stream
 * exists asks here: the write routes, the pages, the year end, the CSV import, and the ledger
 * consumer (which refuses an event for a stream that is not open; see `lookupLedger`).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fundingStream } from '#events/funding';
import { keys } from '#shared/keys';
import { queryAll } from '#shared/paged-query';
import { setOnItem } from '#shared/set-on-item';
import { findLedger, type FundingStreamConfig, type LedgerLookup } from './streams.ts';

/** A stream as the registry holds it: its definition, the event that opened it, and whether that event is on the bus. */
export interface OpenedStream extends FundingStreamConfig {
  readonly eventId: string;
  readonly openedAt: string;
  readonly published: boolean;
}

export interface StreamRegistry {
  /** Every open stream, ordered by code. */
  list(): Promise<FundingStreamConfig[]>;
  /** The stream with this code (matched without regard to case), or undefined. */
  find(code: string): Promise<OpenedStream | undefined>;
  /** Stores the stream unless one with its code is open; answers whether it did, and the stored one. */
  claim(stream: OpenedStream): Promise<{ claimed: boolean; stored: OpenedStream }>;
  markPublished(code: string): Promise<void>;
}

const definitionOf = (item: Record<string, unknown>): OpenedStream => ({
  code: String(item.code),
  name: String(item.name),
  description: String(item.description),
  startsOn: String(item.startsOn),
  ...(typeof item.endsOn === 'string' ? { endsOn: item.endsOn } : {}),
  eventId: String(item.eventId),
  openedAt: String(item.openedAt),
  published: item.published === true,
});

const byCode = (a: FundingStreamConfig, b: FundingStreamConfig) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** Just the definition: what readers and the pure checks need. */
export const configOf = ({ code, name, description, startsOn, endsOn }: FundingStreamConfig): FundingStreamConfig => ({
  code,
  name,
  description,
  startsOn,
  ...(endsOn ? { endsOn } : {}),
});

export function buildStreamRegistry(db: DynamoDBDocumentClient, tableName: string): StreamRegistry {
  const find: StreamRegistry['find'] = async (code) => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.fundingStream(code.trim()), ConsistentRead: true }));
    return Item ? definitionOf(Item) : undefined;
  };
  return {
    list: async () => (await queryAll(db, { table: tableName, pk: keys.fundingStreams() })).map((i) => configOf(definitionOf(i))).sort(byCode),
    find,
    claim: async (stream) => {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.fundingStream(stream.code), type: 'funding-stream', ...stream },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { claimed: true, stored: stream };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const stored = await find(stream.code);
        if (!stored) throw error;
        return { claimed: false, stored };
      }
    },
    markPublished: (code) => setOnItem(db, tableName, keys.fundingStream(code), { published: true }),
  };
}

/** The registry in memory, with the same semantics: for unit tests and the demo's checks. */
export function memoryStreamRegistry(streams: readonly FundingStreamConfig[] = []): StreamRegistry & { streams: Map<string, OpenedStream> } {
  const held = new Map<string, OpenedStream>(
    streams.map((s) => [s.code.toLowerCase(), { ...s, eventId: `opened-${s.code}`, openedAt: `${s.startsOn}T00:00:00Z`, published: true }]),
  );
  return {
    streams: held,
    list: async () => [...held.values()].map(configOf).sort(byCode),
    find: async (code) => held.get(code.trim().toLowerCase()),
    claim: async (stream) => {
      const stored = held.get(stream.code.toLowerCase());
      if (stored) return { claimed: false, stored };
      held.set(stream.code.toLowerCase(), stream);
      return { claimed: true, stored: stream };
    },
    markPublished: async (code) => {
      const stored = held.get(code.toLowerCase());
      if (stored) held.set(code.toLowerCase(), { ...stored, published: true });
    },
  };
}

/** Two streams with the same definition (an opening replayed, not a second stream under a taken code). */
export const sameDefinition = (a: FundingStreamConfig, b: FundingStreamConfig) =>
  a.code === b.code && a.name === b.name && a.description === b.description && a.startsOn === b.startsOn && (a.endsOn ?? '') === (b.endsOn ?? '');

/**
 * A FundingStreamOpened event into the registry: the stream as the API stored it (already
 * published, since here it is on the bus). Idempotent: a stream already open is left as it is,
 * and a different definition under its code is reported, not applied (the first opening stands).
 */
export async function recordStreamOpened(
  registry: Pick<StreamRegistry, 'claim'>,
  detail: { eventId: string; occurredAt: string; stream: string; name: string; description: string; startsOn: string; endsOn?: string | undefined },
): Promise<{ claimed: boolean; conflicting: boolean }> {
  const { eventId, occurredAt, stream: code, name, description, startsOn, endsOn } = detail;
  const opened: OpenedStream = { code, name, description, startsOn, ...(endsOn ? { endsOn } : {}), eventId, openedAt: occurredAt, published: true };
  const { claimed, stored } = await registry.claim(opened);
  return { claimed, conflicting: !claimed && !sameDefinition(stored, opened) };
}

/**
 * Checks a stream code and financial year against the registry: one read for a stream that is
 * open; the whole (small) list only to say which streams there are when it is not. This is the
 * read the ledger consumer calls to refuse an event for a stream nobody opened.
 */
export async function lookupLedger(registry: Pick<StreamRegistry, 'find' | 'list'>, streamCode: string, financialYear: string, now: Date = new Date()): Promise<LedgerLookup> {
  // A code that could never have been opened is not looked up (nor put into a key).
  const stream = fundingStream.safeParse(streamCode.trim()).success ? await registry.find(streamCode) : undefined;
  return findLedger(streamCode, financialYear, now, stream ? [configOf(stream)] : await registry.list());
}

