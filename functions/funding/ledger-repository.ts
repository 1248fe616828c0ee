/**
 * The ledger of one stream and year is ONE DynamoDB item; every event is applied to it with a
 * single conditional UpdateItem (`attribute_not_exists(lines.#key)`), so applying is atomic
 * and a duplicate changes nothing. Reads are one GetItem however many lines there are; the
 * item's size is budgeted (`bytes`) so it fails loudly long before DynamoDB's 400 KB limit.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import { entryBytes, valueAt, hasKey, type Closure, type Ledger, type LedgerEntry, type OverspendFlag } from './ledger.ts';

/** Lines may use this much of the item; the rest of the 400 KB is headroom for flags and the closure. */
export const LEDGER_BYTE_BUDGET = 350_000;

/** The year's ledger item is full: the event is refused (and goes to the dead-letter queue) rather than lost silently. */
export class LedgerFullError extends Error {
  override name = 'LedgerFullError';
}

export interface LedgerStore {
  get(stream: string, financialYear: string): Promise<Ledger | undefined>;
  /** Only the named lines and reversals (what a write request checks): a small read however big the ledger. */
  getLines(stream: string, financialYear: string, lineIds: readonly string[], reversedSpendIds: readonly string[]): Promise<Ledger | undefined>;
  /** Inserts the entry if its key is absent; answers whether it did and the ledger after. */
  apply(stream: string, financialYear: string, entry: LedgerEntry): Promise<{ applied: boolean; ledger: Ledger; bytesUsed: number }>;
  /** Records that a spend has been judged, with its overspend flag if it overspent; answers the stored flag. */
  check(stream: string, financialYear: string, spendEventId: string, flag?: OverspendFlag): Promise<OverspendFlag | undefined>;
  markOverspendPublished(stream: string, financialYear: string, spendEventId: string): Promise<void>;
  /** Stores the closure unless one is there already; answers the stored one. */
  claimClosure(stream: string, financialYear: string, closure: Closure): Promise<Closure>;
  markClosurePublished(stream: string, financialYear: string): Promise<void>;
}

const toLedger = (item: Record<string, unknown>): Ledger => ({
  lines: (item.lines as Ledger['lines'] | undefined) ?? {},
  reversals: (item.reversals as Ledger['reversals'] | undefined) ?? {},
  overspends: (item.overspends as Ledger['overspends'] | undefined) ?? {},
  ...(item.closure ? { closure: item.closure as Closure } : {}),
});

/** Attribute names go through placeholders: several (`lines`, `bytes`, …) are DynamoDB reserved words. */
const mapNames = { '#lines': 'lines', '#reversals': 'reversals', '#overspends': 'overspends' };
const skeleton = '#lines = if_not_exists(#lines, :empty), #reversals = if_not_exists(#reversals, :empty), #overspends = if_not_exists(#overspends, :empty)';

const isMissingPath = (error: unknown) =>
  error instanceof Error && error.name === 'ValidationException' && /document path/i.test(error.message);

export function buildLedgerStore(db: DynamoDBDocumentClient, tableName: string, options: { byteBudget?: number } = {}): LedgerStore {
  const byteBudget = options.byteBudget ?? LEDGER_BYTE_BUDGET;
  const identity = (stream: string, financialYear: string) => ({
    names: { '#type': 'type', '#stream': 'stream', '#fy': 'financialYear' } as Record<string, string>,
    values: { ':type': 'funding-ledger', ':stream': stream, ':fy': financialYear },
    set: '#type = :type, #stream = :stream, #fy = :fy',
  });

  /** The empty maps a nested SET needs; written once per ledger, harmless if repeated. */
  const ensureSkeleton = async (stream: string, financialYear: string) => {
    const id = identity(stream, financialYear);
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.fundingLedger(stream, financialYear),
        UpdateExpression: `SET ${id.set}, ${skeleton}`,
        ExpressionAttributeNames: { ...id.names, ...mapNames },
        ExpressionAttributeValues: { ...id.values, ':empty': {} },
      }),
    );
  };

  const get: LedgerStore['get'] = async (stream, financialYear) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.fundingLedger(stream, financialYear), ConsistentRead: true }),
    );
    return Item ? toLedger(Item) : undefined;
  };

  const getLines: LedgerStore['getLines'] = async (stream, financialYear, lineIds, reversedSpendIds) => {
    const names: Record<string, string> = { '#pk': 'pk' };
    const paths = ['#pk'];
    lineIds.forEach((id, i) => {
      names['#lines'] = 'lines';
      names[`#l${i}`] = id;
      paths.push(`#lines.#l${i}`);
    });
    reversedSpendIds.forEach((id, i) => {
      names['#reversals'] = 'reversals';
      names[`#r${i}`] = id;
      paths.push(`#reversals.#r${i}`);
    });
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.fundingLedger(stream, financialYear),
        ConsistentRead: true,
        ProjectionExpression: paths.join(', '),
        ExpressionAttributeNames: names,
      }),
    );
    return Item ? toLedger(Item) : undefined;
  };

  const apply: LedgerStore['apply'] = async (stream, financialYear, entry) => {
    const bytes = entryBytes(entry);
    const id = identity(stream, financialYear);
    for (let attempt = 0; ; attempt++) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.fundingLedger(stream, financialYear),
            UpdateExpression: `SET #map.#key = :value, ${id.set} ADD #bytes :bytes`,
            ConditionExpression: 'attribute_not_exists(#map.#key) AND (attribute_not_exists(#bytes) OR #bytes <= :room)',
            ExpressionAttributeNames: { ...id.names, '#map': entry.map, '#key': entry.key, '#bytes': 'bytes' },
            ExpressionAttributeValues: { ...id.values, ':value': entry.value, ':bytes': bytes, ':room': byteBudget - bytes },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { applied: true, ledger: toLedger(Attributes ?? {}), bytesUsed: Number(Attributes?.bytes ?? 0) };
      } catch (error) {
        if (isMissingPath(error) && attempt === 0) {
          await ensureSkeleton(stream, financialYear);
          continue;
        }
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const { Item } = await db.send(
          new GetCommand({ TableName: tableName, Key: keys.fundingLedger(stream, financialYear), ConsistentRead: true }),
        );
        const ledger = Item ? toLedger(Item) : undefined;
        if (ledger && hasKey(ledger[entry.map], entry.key)) return { applied: false, ledger, bytesUsed: Number(Item?.bytes ?? 0) };
        throw new LedgerFullError(
          `the ${stream} ${financialYear} ledger has used its ${byteBudget} bytes of lines; see docs/funding.md ("Size")`,
        );
      }
    }
  };

  const check: LedgerStore['check'] = async (stream, financialYear, spendEventId, flag) => {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.fundingLedger(stream, financialYear),
        UpdateExpression: `SET #lines.#id.#checked = :true${flag ? ', #overspends.#id = if_not_exists(#overspends.#id, :flag)' : ''}`,
        ConditionExpression: 'attribute_exists(#lines.#id)',
        ExpressionAttributeNames: { '#lines': 'lines', '#id': spendEventId, '#checked': 'checked', ...(flag ? { '#overspends': 'overspends' } : {}) },
        ExpressionAttributeValues: { ':true': true, ...(flag ? { ':flag': flag } : {}) },
        ReturnValues: flag ? 'ALL_NEW' : 'NONE',
      }),
    );
    return flag ? valueAt(toLedger(Attributes ?? {}).overspends, spendEventId) : undefined;
  };

  const markOverspendPublished: LedgerStore['markOverspendPublished'] = async (stream, financialYear, spendEventId) => {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.fundingLedger(stream, financialYear),
        UpdateExpression: 'SET #overspends.#id.#published = :true',
        ConditionExpression: 'attribute_exists(#overspends.#id)',
        ExpressionAttributeNames: { '#overspends': 'overspends', '#id': spendEventId, '#published': 'published' },
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  };

  const claimClosure: LedgerStore['claimClosure'] = async (stream, financialYear, closure) => {
    const id = identity(stream, financialYear);
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.fundingLedger(stream, financialYear),
        UpdateExpression: `SET ${id.set}, #closure = if_not_exists(#closure, :closure), ${skeleton}`,
        ExpressionAttributeNames: { ...id.names, ...mapNames, '#closure': 'closure' },
        ExpressionAttributeValues: { ...id.values, ':closure': closure, ':empty': {} },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (Attributes?.closure as Closure | undefined) ?? closure;
  };

  const markClosurePublished: LedgerStore['markClosurePublished'] = async (stream, financialYear) => {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.fundingLedger(stream, financialYear),
        UpdateExpression: 'SET #closure.#published = :true',
        ConditionExpression: 'attribute_exists(#closure)',
        ExpressionAttributeNames: { '#closure': 'closure', '#published': 'published' },
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  };

  return { get, getLines, apply, check, markOverspendPublished, claimClosure, markClosurePublished };
}
