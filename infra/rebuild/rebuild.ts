/**
 * Rebuilds every read model from the event archive alone, into fresh tables, by running the
 * projecting consumers (every event-triggered function that writes the main table) in this
 * process on each archived event, as the bus would deliver it. Nothing else is touched: the
 * consumers' own events (FundingOverspent, say) go to a sink, because the archive already holds
 * the ones the live system put; the archiver does not run, since the archive is the source (its
 * staging items in the live table are primary records to the compare and the swap: items.ts).
 *
 * The archive is read as it stands (functions/archive/archive-reader.ts): the events still waiting
 * in the live main table for the daily compactor, then the bucket's grouped day objects. No
 * compactor run is needed first, and none is made.
 *
 * Progress is checkpointed after each chunk of archived events. A rebuild that stops (the stack
 * killed, Ctrl-C, a crash) resumes from its checkpoint when run again; the chunk in flight is
 * delivered again, which every consumer takes as a duplicate (idempotent on eventId, with the
 * rebuild's own idempotency table). `--restart` drops the checkpoint and starts afresh.
 *
 * The same code runs against AWS (see docs/runbook.md): only the endpoints and names differ.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, paginateScan, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readArchive, type ArchivedEvent } from '../../functions/archive/archive-reader.ts';
import { batchWrite } from '../../functions/shared/batch-write.ts';
import { eventArchiver } from '../../functions/archive/capability.ts';
import type { EventContract } from '../../events/contract.ts';
import { FundingStreamOpened } from '../../events/funding.ts';
import { environmentOf } from '../function-settings.ts';
import { tables, type TableName } from '../resources.ts';
import { topology, type FunctionSpec } from '../topology.ts';
import { compilePattern } from '../local/eventbridge/pattern.ts';
import { scopeVariables } from '../local/function-env.ts';
import { resourceVariables } from '../local/grants.ts';
import { createInvoker, type Invoke } from '../local/invoker.ts';
import { ensureTable } from '../local/stores.ts';
import { reapplyErasures, type ErasuresApplied } from './erasures.ts';
import { applyRetention, lastRetentionRun, type RetentionApplied } from './retention.ts';
import { compareTables, primaryKind, type Comparison, type Item } from './items.ts';

export interface RebuildTarget {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  archiveBucket: string;
  /** The live tables (their names: the rebuilt ones are named after them). */
  live: Record<TableName, string>;
  region: string;
  /** Where the functions' modules are (the repository root). */
  root: string;
}

export interface Checkpoint {
  id: string;
  startedAt: string;
  live: Record<TableName, string>;
  rebuilt: Record<TableName, string>;
  /** The position of the last archived event delivered (every one before it was too). */
  after?: string;
  /** The first pass (the events others depend on, see `foundations`): where it got to, and whether it is done. */
  foundations?: { after?: string; events: number; done: boolean };
  events: number;
  deliveries: number;
  /** Times this rebuild was resumed from its checkpoint. */
  resumed: number;
  /** Retention applied to the rebuilt table as the live job applied it (retention.ts). */
  retention?: RetentionApplied;
  /** The erasures of the live access record, carried out again on the rebuilt table (erasures.ts). */
  erasures?: ErasuresApplied;
  finishedAt?: string;
}

export interface RebuildOptions {
  target: RebuildTarget;
  /** Where the checkpoint is kept. */
  checkpointDir: string;
  restart?: boolean;
  /** Archived events per checkpoint. */
  chunk?: number;
  /** Deliveries at once. */
  concurrency?: number;
  progress?: (done: number) => void;
  log?: (line: string) => void;
  /** The instant retention is applied as of (retention.ts); by default, when the live nightly job last ran. */
  retentionAsOf?: Date;
}

export class RebuildStoppedError extends Error {
  override name = 'RebuildStoppedError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Kinds of event others depend on: a ledger refuses money for a stream not yet opened. The
 * archive is read day by day and, within a day, in the compactor's order, not by time (and an
 * opening can be archived on a later day than money dated before it), so these are delivered
 * first, in a pass of their own over the whole archive, before every event is delivered.
 */
export const foundations: readonly EventContract[] = [FundingStreamOpened];
const isFoundation = (event: unknown) => {
  const e = event as { source?: unknown; 'detail-type'?: unknown };
  return foundations.some((c) => c.source === e.source && c.detailType === e['detail-type']);
};

/**
 * The functions whose writes make the read models: event consumers that write the main table,
 * but for the archiver, whose writes there are the archive's own (the source of the rebuild).
 */
export const projectors = (specs: readonly FunctionSpec[] = topology) =>
  specs.filter((f) => f.name !== eventArchiver.name && f.triggers.some((t) => t.kind === 'events') && (f.tables?.main === 'write' || f.tables?.main === 'readwrite'));

function checkpointFile(dir: string) {
  return join(dir, 'checkpoint.json');
}

export function readCheckpoint(dir: string): Checkpoint | undefined {
  const file = checkpointFile(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Checkpoint) : undefined;
}

function writeCheckpoint(dir: string, checkpoint: Checkpoint) {
  mkdirSync(dir, { recursive: true });
  const file = checkpointFile(dir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(checkpoint, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Accepts PutEvents and keeps nothing: where the consumers' own events go during a rebuild. */
async function startEventSink(): Promise<{ url: string; server: Server; received: () => number }> {
  let received = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Entries?: unknown[] };
      const entries = body.Entries ?? [];
      received += entries.length;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, received: () => received };
}

export interface RebuildResult {
  checkpoint: Checkpoint;
  /** Events the consumers put, kept from the bus. */
  sunk: number;
}

/** Runs (or resumes) the rebuild to the end of the archive. Throws RebuildStoppedError if a delivery keeps failing. */
export async function rebuild(options: RebuildOptions): Promise<RebuildResult> {
  const { target } = options;
  const log = options.log ?? (() => undefined);
  const chunk = options.chunk ?? 500;
  const concurrency = options.concurrency ?? 8;
  const previous = options.restart ? undefined : readCheckpoint(options.checkpointDir);
  // A checkpoint counting `objects` is from before the archive was grouped by day: its position means nothing now.
  const resuming = previous && !previous.finishedAt && previous.live.main === target.live.main && !('objects' in previous) ? previous : undefined;
  const id = resuming?.id ?? new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').toLowerCase();
  const checkpoint: Checkpoint = resuming
    ? { ...resuming, resumed: resuming.resumed + 1 }
    : {
        id,
        startedAt: new Date().toISOString(),
        live: target.live,
        rebuilt: { main: `${target.live.main}-rebuild-${id}`, idempotency: `${target.live.idempotency}-rebuild-${id}` },
        events: 0,
        deliveries: 0,
        resumed: 0,
      };
  log(resuming ? `resuming rebuild ${id} after ${checkpoint.events} archived events` : `rebuild ${id} into ${checkpoint.rebuilt.main} and ${checkpoint.rebuilt.idempotency}`);
  for (const name of Object.keys(tables) as TableName[]) {
    await ensureTable(target.dynamodb, tables[name], checkpoint.rebuilt[name]);
    await waitUntilTableExists({ client: target.dynamodb, maxWaitTime: 300 }, { TableName: checkpoint.rebuilt[name] });
  }
  writeCheckpoint(options.checkpointDir, checkpoint);

  const sink = await startEventSink();
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = sink.url;
  const names = {
    table: (name: TableName) => checkpoint.rebuilt[name],
    bucket: (name: string) => `rebuild-does-not-write-${name}`,
    bus: () => 'rebuild-sink',
    secret: () => ({}),
  };
  scopeVariables(resourceVariables(names));
  const rules = projectors().flatMap((spec) => {
    const invoke = createInvoker(spec, { root: target.root, region: target.region, environment: environmentOf(spec, names) });
    return spec.triggers.flatMap((t) => (t.kind === 'events' ? [{ name: spec.name, pattern: compilePattern(t.pattern), invoke }] : []));
  });

  /** As the bus does: a few tries with back-off (long enough for an in-progress record left by a kill to lapse). */
  const deliver = async (invoke: Invoke, event: unknown, what: string) => {
    let lastError: unknown;
    for (let attempt = 0; attempt < 7; attempt += 1) {
      try {
        await invoke(structuredClone(event));
        return;
      } catch (error) {
        lastError = error;
        await sleep(200 * 2 ** attempt);
      }
    }
    throw new RebuildStoppedError(`${what} kept failing (${(lastError as Error)?.message ?? String(lastError)}); the rebuild stopped after ${checkpoint.events} archived events: run it again to resume`);
  };

  try {
    const documents = DynamoDBDocumentClient.from(target.dynamodb);
    const source = { s3: target.s3, bucket: target.archiveBucket, documents, table: target.live.main };
    /** Delivers a batch to every projector whose rule matches, `concurrency` at once. Answers how many deliveries. */
    const deliverAll = async (batch: readonly ArchivedEvent[]) => {
      const jobs = batch.flatMap(({ event, position }) => rules.filter((r) => r.pattern.matches(event)).map((r) => () => deliver(r.invoke, event, `${r.name} on ${position}`)));
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
        }),
      );
      return jobs.length;
    };
    /** Reads the archive after `after`, delivering what `wanted` keeps in chunks; `done` records each chunk in the checkpoint. */
    const pass = async (after: string | undefined, wanted: (event: unknown) => boolean, done: (batch: readonly ArchivedEvent[], deliveries: number) => void) => {
      let batch: ArchivedEvent[] = [];
      const flush = async () => {
        done(batch, await deliverAll(batch.filter((a) => wanted(a.event))));
        writeCheckpoint(options.checkpointDir, checkpoint);
        batch = [];
      };
      for await (const archived of readArchive(source, after ? { after } : {})) {
        batch.push(archived);
        if (batch.length >= chunk) await flush();
      }
      await flush();
    };

    // 1. The foundations (stream openings) from the whole archive, before anything that depends on them.
    const first = (checkpoint.foundations ??= { events: 0, done: false });
    if (!first.done) {
      await pass(first.after, isFoundation, (batch, deliveries) => {
        const last = batch.at(-1);
        if (last) first.after = last.position;
        first.events += batch.filter((a) => isFoundation(a.event)).length;
        checkpoint.deliveries += deliveries;
      });
      first.done = true;
      writeCheckpoint(options.checkpointDir, checkpoint);
      log(`${first.events} stream openings delivered first`);
    }
    // 2. Every event, in the archive's order, the foundations again among them (duplicates to the
    //    consumers, but one archived since the first pass read past it is not lost).
    await pass(checkpoint.after, () => true, (batch, deliveries) => {
      const last = batch.at(-1);
      if (last) checkpoint.after = last.position;
      checkpoint.events += batch.length;
      checkpoint.deliveries += deliveries;
      options.progress?.(checkpoint.events);
    });
    // 3. What the nightly retention job removed live, removed again: the archive outlives it.
    checkpoint.retention = await applyRetention(documents, checkpoint.rebuilt.main, options.retentionAsOf ?? lastRetentionRun());
    log(`retention applied as of ${checkpoint.retention.asOf}: text removed from ${checkpoint.retention.textRemoved} records, ${checkpoint.retention.deleted} records past their period deleted`);
    // 4. What erasures blanked live, blanked again: the archive's public text would bring it back.
    checkpoint.erasures = await reapplyErasures(documents, { live: target.live.main, rebuilt: checkpoint.rebuilt.main });
    if (checkpoint.erasures.people > 0) log(`erasures of the access record carried out again on the rebuilt table (people: ${checkpoint.erasures.people}, changed: ${JSON.stringify(checkpoint.erasures.changed)})`);
    checkpoint.finishedAt = new Date().toISOString();
    writeCheckpoint(options.checkpointDir, checkpoint);
    return { checkpoint, sunk: sink.received() };
  } catch (error) {
    if (error instanceof RebuildStoppedError) throw error;
    throw new RebuildStoppedError(`${(error as Error).message}; the rebuild stopped after ${checkpoint.events} archived events: run it again to resume`);
  } finally {
    sink.server.close();
  }
}

async function scanAll(client: DynamoDBClient, TableName: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateScan({ client }, { TableName })) for (const i of page.Items ?? []) items.push(unmarshall(i));
  return items;
}

/** The live and rebuilt main tables, read model by read model, attribute by attribute. */
export async function compareRebuilt(client: DynamoDBClient, checkpoint: Checkpoint): Promise<Comparison> {
  return compareTables(await scanAll(client, checkpoint.live.main), await scanAll(client, checkpoint.rebuilt.main));
}

/**
 * Copies the primary records (what no event carries: the contact vault, API keys, claims, …)
 * from the live main table into the rebuilt one, so a swap loses nothing. Returns how many.
 */
export async function carryOverPrimary(client: DynamoDBClient, checkpoint: Checkpoint): Promise<number> {
  const items = (await scanAll(client, checkpoint.live.main)).filter((i) => primaryKind(i));
  // Whole items put again: safe to repeat when a resumed rebuild carries them over a second time.
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  await batchWrite(db, checkpoint.rebuilt.main, items.map((Item) => ({ PutRequest: { Item } })), 'the primary records carried over');
  return items.length;
}
