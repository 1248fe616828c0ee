/**
 * Where counts of homes live (docs/data-model.md): the claims of `POST /housing-stock`
 * (`KPI#HOUSING-STOCK-CLAIM#<eventId>`, primary records) and the figures the KPI counters keep
 * from HousingStockRecorded (`KPI#HOUSING-STOCK` / `ASOF#<date>`, the last recorded for a date
 * wins), which NM01 divides by and `GET /housing-stock` lists, newest date first.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '#events/envelope';
import { decodeCursor, encodeCursor } from '#shared/cursor';
import { BadRequestError } from '#shared/errors';
import { keys } from '#shared/keys';
import { queryPage, type Key } from '#shared/paged-query';
import { setOnItem } from '#shared/set-on-item';
import type { HousingStockFigure, StockClaim, StockClaims } from './housing-stock.ts';

/** A figure the counters keep for a date: the last recorded for it. */
export interface StoredStock extends HousingStockFigure {
  readonly eventId: string;
  /** When it was recorded (its event's occurredAt, UTC). */
  readonly recordedAt: string;
}

export interface StockPage {
  readonly figures: StoredStock[];
  /** A cursor for the older dates, if there are more. */
  readonly next?: string;
}

export interface StockFigures {
  /** The figures newest date first, a page at a time. */
  list(options: { limit: number; cursor?: string }): Promise<StockPage>;
  /** The figure kept for one date, if any. */
  at(asOf: string): Promise<StoredStock | undefined>;
}

const claimOf = (item: Record<string, unknown>): StockClaim => ({
  eventId: String(item.eventId),
  asOf: String(item.asOf),
  homes: Number(item.homes),
  occurredAt: String(item.occurredAt),
  actor: item.actor as Actor,
  published: item.published === true,
});

const storedOf = (item: Record<string, unknown>): StoredStock => ({
  asOf: String(item.asOf),
  homes: Number(item.homes),
  eventId: String(item.eventId),
  recordedAt: String(item.recordedAt),
});

export function buildStockClaims(db: DynamoDBDocumentClient, tableName: string): StockClaims {
  return {
    claim: async (claim) => {
      try {
        await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.housingStockClaim(claim.eventId), type: 'housing-stock-claim', ...claim }, ConditionExpression: 'attribute_not_exists(pk)' }));
        return { claimed: true, stored: claim };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.housingStockClaim(claim.eventId), ConsistentRead: true }));
        if (!Item) throw error;
        return { claimed: false, stored: claimOf(Item) };
      }
    },
    markPublished: (eventId) => setOnItem(db, tableName, keys.housingStockClaim(eventId), { published: true }),
  };
}

/** The claims in memory, with the same semantics: for unit tests. */
export function memoryStockClaims(): StockClaims & { claims: Map<string, StockClaim> } {
  const claims = new Map<string, StockClaim>();
  return {
    claims,
    claim: async (claim) => {
      const stored = claims.get(claim.eventId);
      if (stored) return { claimed: false, stored };
      claims.set(claim.eventId, claim);
      return { claimed: true, stored: claim };
    },
    markPublished: async (eventId) => {
      const stored = claims.get(eventId);
      if (stored) claims.set(eventId, { ...stored, published: true });
    },
  };
}

const notOurs = () => new BadRequestError('the cursor is not one this service gave out');

export function buildStockFigures(db: DynamoDBDocumentClient, tableName: string): StockFigures {
  return {
    list: async ({ limit, cursor }) => {
      const start = cursor === undefined ? undefined : decodeCursor(cursor);
      if (start !== undefined && (typeof start !== 'object' || start === null || Array.isArray(start))) throw notOurs();
      const page = await queryPage(db, { table: tableName, pk: keys.housingStocks(), descending: true }, { limit, ...(start ? { start: start as Key } : {}) });
      return { figures: page.items.map(storedOf), ...(page.next ? { next: encodeCursor(page.next) } : {}) };
    },
    at: async (asOf) => {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.housingStock(asOf), ConsistentRead: true }));
      return Item ? storedOf(Item) : undefined;
    },
  };
}
