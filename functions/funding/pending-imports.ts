/**
 * A CSV import uploaded on the finance pages: checked and shown as a preview, stored by an
 * unguessable id for a day (DynamoDB TTL), and sent only when finance confirms it. Confirming
 * re-plans the stored file exactly as it was previewed (same text, same "now", same streams)
 * and publishes each row's event with the eventId derived from its content, so confirming
 * twice, or importing a file that repeats rows already recorded, records nothing twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '#events/envelope';
import type { PublishEntry } from '#events/put';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { keys } from '#shared/keys';
import { setOnItem } from '#shared/set-on-item';
import { entryOf } from './commands.ts';
import { describeError, planImport, type PlannedRow } from './import-rows.ts';
import type { LedgerStore } from './ledger-repository.ts';
import type { FundingStreamConfig } from './streams.ts';

/** How long an uploaded file waits for its confirmation. */
export const PENDING_IMPORT_HOURS = 24;
/** Larger files go through `npm run import:funding`; this keeps the stored file well inside an item. */
export const MAX_IMPORT_BYTES = 200 * 1024;

export interface ImportOutcome {
  readonly confirmedAt: string;
  readonly rows: number;
  readonly sent: number;
  readonly alreadyRecorded: number;
  /** False when the ledgers had not shown every line by the time the page answered. */
  readonly settled: boolean;
}

export interface PendingImport {
  readonly importId: string;
  readonly fileName: string;
  readonly csv: string;
  /** When the file was checked: rows without a date are dated then, on preview and on confirm alike. */
  readonly plannedAt: string;
  readonly uploadedBy: string;
  /** The planned eventIds, hashed: confirm sends exactly what was previewed, or nothing. */
  readonly planDigest: string;
  readonly expiresAt: number;
  readonly outcome?: ImportOutcome;
}

export interface PendingImportStore {
  save(pending: PendingImport): Promise<void>;
  get(importId: string, now: Date): Promise<PendingImport | undefined>;
  recordOutcome(importId: string, outcome: ImportOutcome): Promise<void>;
}

export const planDigest = (rows: readonly PlannedRow[]) =>
  createHash('sha256')
    .update(rows.map((r) => r.command.detail.eventId).join('\n'))
    .digest('hex');

const validId = (id: string) => /^[0-9a-f-]{36}$/.test(id);

export function buildPendingImportStore(db: DynamoDBDocumentClient, tableName: string): PendingImportStore {
  return {
    save: async (pending) => {
      await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.fundingImport(pending.importId), type: 'funding-import', ...pending }, ConditionExpression: 'attribute_not_exists(pk)' }));
    },
    get: async (importId, now) => {
      if (!validId(importId)) return undefined;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.fundingImport(importId), ConsistentRead: true }));
      // TTL deletes lazily: an expired item may still be there for a while.
      if (!Item || typeof Item.expiresAt !== 'number' || Item.expiresAt * 1000 <= now.getTime()) return undefined;
      const { pk: _pk, sk: _sk, type: _type, ...pending } = Item;
      return pending as unknown as PendingImport;
    },
    recordOutcome: (importId, outcome) => setOnItem(db, tableName, keys.fundingImport(importId), { outcome }),
  };
}

export type Preview = { ok: true; pending: PendingImport; rows: PlannedRow[] } | { ok: false; errors: string[] };

/** Checks an uploaded file; a good one is stored for confirmation. Nothing is published. */
export async function previewImport(
  upload: { fileName: string; csv: string; uploadedBy: string },
  deps: { imports: PendingImportStore; streams: readonly FundingStreamConfig[]; now: Date },
): Promise<Preview> {
  if (upload.csv.trim() === '') throw new ValidationError('the file is empty', [{ path: 'file', message: 'choose a CSV file with a header row and at least one row' }]);
  if (Buffer.byteLength(upload.csv) > MAX_IMPORT_BYTES) {
    throw new ValidationError('the file is too large for the page', [{ path: 'file', message: `the file must be smaller than ${MAX_IMPORT_BYTES / 1024} KB: import larger files with npm run import:funding` }]);
  }
  const plan = planImport(upload.csv, deps.now, deps.streams);
  if (!plan.ok) return { ok: false, errors: plan.errors.map(describeError) };
  const pending: PendingImport = {
    importId: randomUUID(),
    fileName: upload.fileName.slice(0, 200),
    csv: upload.csv,
    plannedAt: deps.now.toISOString(),
    uploadedBy: upload.uploadedBy.slice(0, 128),
    planDigest: planDigest(plan.rows),
    expiresAt: Math.floor(deps.now.getTime() / 1000) + PENDING_IMPORT_HOURS * 3600,
  };
  await deps.imports.save(pending);
  return { ok: true, pending, rows: plan.rows };
}

/** The stored file planned again exactly as it was previewed; a 404 once it has expired. */
export async function replanImport(importId: string, deps: { imports: PendingImportStore; streams: readonly FundingStreamConfig[]; now: Date }) {
  const pending = await deps.imports.get(importId, deps.now);
  if (!pending) throw new NotFoundError(`there is no import waiting with that link: imports wait ${PENDING_IMPORT_HOURS} hours; upload the file again`);
  const plan = planImport(pending.csv, new Date(pending.plannedAt), deps.streams);
  if (!plan.ok || planDigest(plan.rows) !== pending.planDigest) {
    throw new ConflictError('the file no longer checks as it did in the preview (a stream has changed): upload it again to see a new preview');
  }
  return { pending, rows: plan.rows };
}

export interface ConfirmDeps {
  readonly imports: PendingImportStore;
  readonly streams: readonly FundingStreamConfig[];
  readonly store: Pick<LedgerStore, 'get'>;
  readonly publish: (entries: PublishEntry[]) => Promise<unknown>;
  /** Resolves once `done()` holds or the wait is over; answers whether it held. */
  readonly waitFor: (done: () => Promise<boolean>) => Promise<boolean>;
  readonly actor: Actor;
  readonly now: Date;
}

/**
 * Sends a previewed import: rows the ledgers already hold are counted, not sent again; the
 * allocations go first and the rest only once the ledgers show them (a spend that arrived
 * before its year's allocation would be judged an overspend). If the allocations have not
 * arrived by the end of the wait, nothing else is sent and confirming again carries on.
 */
export async function confirmImport(importId: string, deps: ConfirmDeps): Promise<ImportOutcome> {
  const { rows } = await replanImport(importId, deps);
  const ledgerKeys = [...new Set(rows.map((r) => `${r.stream}\u001f${r.financialYear}`))].map((k) => k.split('\u001f') as [string, string]);
  const recorded = async () => {
    const held = new Set<string>();
    for (const [stream, fy] of ledgerKeys) {
      const ledger = await deps.store.get(stream, fy);
      if (!ledger) continue;
      for (const r of rows) if (r.stream === stream && r.financialYear === fy && Object.hasOwn(ledger.lines, r.command.detail.eventId)) held.add(r.command.detail.eventId);
    }
    return held;
  };
  const before = await recorded();
  const toSend = (kinds: readonly PlannedRow['kind'][]) => rows.filter((r) => kinds.includes(r.kind) && !before.has(r.command.detail.eventId));
  const send = (batch: readonly PlannedRow[]) => deps.publish(batch.map((r) => entryOf({ ...r.command, detail: { ...r.command.detail, actor: deps.actor } } as typeof r.command)));
  const shown = (batch: readonly PlannedRow[]) => async () => {
    const held = await recorded();
    return batch.every((r) => held.has(r.command.detail.eventId));
  };

  const allocations = toSend(['allocation']);
  if (allocations.length > 0) {
    await send(allocations);
    if (!(await deps.waitFor(shown(allocations)))) {
      throw new ConflictError('the allocations were sent but the ledgers have not shown them yet: confirm again in a moment to send the rest (nothing is sent twice)');
    }
  }
  const rest = toSend(['commitment', 'spend']);
  if (rest.length > 0) await send(rest);
  const settled = await deps.waitFor(shown(rows));
  const outcome: ImportOutcome = { confirmedAt: deps.now.toISOString(), rows: rows.length, sent: allocations.length + rest.length, alreadyRecorded: before.size, settled };
  await deps.imports.recordOutcome(importId, outcome);
  return outcome;
}
