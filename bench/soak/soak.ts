/**
 * The soak (issue 14): events of every kind, 10% of them put twice, in a shuffled order, onto
 * the local stack while faults are injected (handlers that throw, DynamoDB throttling, s3rver
 * down for ten seconds, dynalite killed and restarted); then the faults stop, the dead letters
 * are redriven with `npm run redrive -- --all`, and every read model is compared with a recount
 * made from the event list alone. Run twice on one stack, it also shows whether the stack's
 * memory grows: the stack runs in a process of its own (stack-process.ts), so the figures are
 * its alone, not this process's lists and recount.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readArchive } from '../../functions/archive/archive-reader.ts';
import { archivedEventId } from '../../functions/archive/data-classes.ts';
import { timeoutSecondsOf } from '../../infra/function-settings.ts';
import { issueToken } from '../../infra/local/auth.ts';
import { LOCAL_CREDENTIALS, repoRoot } from '../../infra/local/stack.ts';
import { topology } from '../../infra/topology.ts';
import { generateSoakEvents, isStreamOpening, soakLedgers, withDuplicatesShuffled, type SoakEvent } from './generate.ts';
import { recount } from './recount.ts';
import type { MemoryFigures } from './memory.ts';
import { startSoakStack } from './stack-process.ts';
import { verifyAgainst, type Mismatch } from './verify.ts';

export interface SoakOptions {
  /** Events generated per round, before duplicates. */
  events: number;
  rounds: number;
  seed: number;
  /** Kill dynalite and restart it in the middle of each round. */
  killDynamo: boolean;
  /** How long s3rver is down in each round (ms). */
  s3DownMs: number;
  /** How long dynalite stays down when killed (ms). */
  dynamoDownMs: number;
  /** Share of event deliveries whose handler throws, and of DynamoDB requests throttled. */
  handlerThrows: number;
  dynamoThrottles: number;
  duplicates: number;
  stateDir?: string;
  /**
   * Rounds after the first put the first round's events again (the same eventIds, so every put
   * is a duplicate and the stores hold no more data): memory that still grows is not the data's.
   */
  repeat?: boolean;
  /** A CSV of the stack process's memory, sampled every `memorySampleMs` (memory.ts). */
  memoryCsv?: string;
  memorySampleMs?: number;
  progress?: (phase: string) => ((done: number, total: number) => void) | undefined;
  log?: (line: string) => void;
}

export const defaultSoakOptions: SoakOptions = {
  events: 100_000,
  rounds: 2,
  seed: 14,
  killDynamo: true,
  s3DownMs: 10_000,
  dynamoDownMs: 5_000,
  handlerThrows: 0.04,
  dynamoThrottles: 0.01,
  duplicates: 0.1,
};

export interface RoundFigures {
  round: number;
  events: number;
  puts: number;
  putSeconds: number;
  /** Events put per second, from the first put until every delivery (but the dead letters) was done. */
  eventsPerSecond: number;
  deliveries: number;
  injected: { handlerThrowsBefore: number; handlerThrowsAfter: number; dynamoThrottles: number; s3DownMs: number; dynamoKills: number; dynamoDownMs: number };
  deadLettered: number;
  redriven: number;
  redrives: number;
  archived: { expected: number; missing: number };
  checked: { kpiRanges: number; ledgers: number; cases: number; reviews: number };
  mismatches: readonly Mismatch[];
  /** The stack's process's memory after the round, after a full garbage collection. */
  memory: MemoryFigures;
}

export interface SoakResult {
  rounds: RoundFigures[];
  stateDir: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `npm run redrive -- --all`, as an operator runs it against the stack in this state directory
 * (in a child process, and asynchronously: the bus it calls answers from this one).
 */
async function redriveAll(stateDir: string): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(repoRoot, 'infra/local/redrive.ts'), '--all'], {
    env: { ...process.env, SC_STATE_DIR: stateDir },
    encoding: 'utf8',
  });
  return Number(/redriven: (\d+)/.exec(stdout)?.[1] ?? 0);
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => undefined);
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'sc-soak-'));
  // The stack runs in a process of its own (stack-process.ts): the memory figures are its alone.
  const stack = await startSoakStack({ stateDir, seed: options.seed }, log);
  const { endpoints } = stack;
  const client = new EventBridgeClient({ endpoint: endpoints.eventbridge, region: endpoints.region, credentials: LOCAL_CREDENTIALS });
  /**
   * Puts a group of events, each checked against its contract. A duplicate carries the time of
   * the first put of its eventId, as a producer's retry does (events/put.ts keeps the entry's
   * Time across attempts): the bus stamps it on the envelope, and the case-review projection
   * keys held reports on it.
   */
  const firstPut = new Map<string, Date>();
  const put = async (group: readonly SoakEvent[]) => {
    const Entries = group.map((e) => {
      const detail = e.contract.detail.parse({ ...e.detail, schemaVersion: e.contract.version });
      let time = firstPut.get(e.detail.eventId);
      if (!time) firstPut.set(e.detail.eventId, (time = new Date()));
      return { EventBusName: endpoints.eventBusName, Source: e.contract.source, DetailType: e.contract.detailType, Detail: JSON.stringify(detail), Time: time };
    });
    const out = await client.send(new PutEventsCommand({ Entries }));
    if (out.FailedEntryCount) throw new Error(`PutEvents refused ${out.FailedEntryCount} entries: ${JSON.stringify(out.Entries?.filter((e) => e.ErrorCode))}`);
  };
  const s3 = new S3Client({ endpoint: endpoints.s3, region: endpoints.region, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: LOCAL_CREDENTIALS });
  // The archive as it stands: today's events wait in the main table for the daily compactor.
  const archive = { s3, bucket: endpoints.buckets.archive, documents: DynamoDBDocumentClient.from(dynamodb), table: endpoints.tables.main };
  const token = await issueToken(stateDir, ['officer', 'finance', 'admin']);
  const get = (path: string) => fetch(`${endpoints.gateway}${path}`, { headers: { authorization: `Bearer ${token}` } });
  // An idempotency record left "in progress" by a killed request is taken over once its function's time is up.
  const inProgressMs = Math.max(...topology.filter((f) => f.triggers.some((t) => t.kind === 'events')).map(timeoutSecondsOf)) * 1000 + 1000;

  const everything: SoakEvent[] = [];
  const rounds: RoundFigures[] = [];
  let round = 0;
  try {
    if (options.memoryCsv) await stack.sampleMemory(options.memoryCsv, options.memorySampleMs ?? 10_000);
    for (round = 1; round <= options.rounds; round += 1) {
      await stack.setRound(round);
      const again = options.repeat && round > 1;
      const events = again ? everything.slice() : generateSoakEvents({ events: options.events, seed: options.seed * 1000 + round, prefix: `s${round}` });
      if (!again) everything.push(...events);
      // Streams are data: the world's first events open CSP and SS5, and they are on the bus before
      // anything is spent from them, as on a real deployment (a later round's openings are duplicates).
      await put(events.filter(isStreamOpening));
      await stack.idle();
      const puts = withDuplicatesShuffled(
        events.filter((e) => !isStreamOpening(e)),
        options.duplicates,
        options.seed * 7 + round,
      );
      const deliveriesBefore = await stack.deliveries();
      const countsBefore = await stack.faultCounts();
      const deadBefore = (await stack.deadLetters()).length;
      await stack.faultsOn({ handlerThrows: options.handlerThrows, dynamoThrottles: options.dynamoThrottles });

      // The outages: s3rver a quarter and dynalite half of the way through the deliveries (not the
      // puts, which run ahead of them while the functions' modules load).
      const outages: Promise<void>[] = [];
      let s3Down = options.s3DownMs <= 0;
      let killed = !options.killDynamo;
      const watch = async () => {
        while (!s3Down || !killed) {
          const delivered = (await stack.deliveries()) - deliveriesBefore;
          if (!s3Down && delivered >= puts.length) {
            s3Down = true;
            await stack.s3Stop();
            log(`s3rver stopped for ${options.s3DownMs / 1000} s`);
            outages.push(sleep(options.s3DownMs).then(() => stack.s3Start()));
          }
          if (s3Down && !killed && delivered >= puts.length * 1.8) {
            killed = true;
            await stack.dynamoKill();
            log('dynalite killed');
            outages.push(sleep(options.dynamoDownMs).then(() => stack.dynamoRevive().then(() => log('dynalite restarted'))));
          }
          await sleep(20);
        }
      };
      const watching = watch();
      const progress = options.progress?.(`round ${round}: put`);
      const started = Date.now();
      const batch = 10;
      for (let i = 0; i < puts.length; i += batch * 4) {
        // Hold back while the bus is far behind, as a steady producer would be.
        while ((await stack.pending()) > 4_000) await sleep(20);
        await Promise.all(
          [0, 1, 2, 3].map((k) => {
            const group = puts.slice(i + k * batch, i + (k + 1) * batch);
            return group.length ? put(group) : undefined;
          }),
        );
        progress?.(Math.min(i + batch * 4, puts.length), puts.length);
      }
      await watching;
      await Promise.all(outages);
      await stack.idle();
      const putSeconds = (Date.now() - started) / 1000;
      await stack.faultsOff();

      // The faults are gone: put the dead letters back until none are left.
      const deadLettered = (await stack.deadLetters()).length - deadBefore;
      let redriven = 0;
      let redrives = 0;
      if (options.killDynamo) await sleep(inProgressMs);
      while ((await stack.deadLetters()).length > 0 && redrives < 5) {
        redrives += 1;
        redriven += await redriveAll(stateDir);
        await stack.idle();
        if ((await stack.deadLetters()).length > 0) await sleep(inProgressMs);
      }
      const left = await stack.deadLetters();
      if (left.length) log(`still dead after ${redrives} redrives: ${left.slice(0, 3).map((d) => `${d.detailType} → ${d.target}: ${d.error}`).join('; ')}`);

      // Nothing acknowledged is lost: every event put is in the archive.
      const archivedIds = new Set<string>();
      const reading = options.progress?.(`round ${round}: archive read`);
      for await (const { event } of readArchive(archive)) {
        archivedIds.add(archivedEventId(event));
        reading?.(archivedIds.size, everything.length);
      }
      const missing = everything.filter((e) => !archivedIds.has(e.detail.eventId)).length;

      const verified = await verifyAgainst(recount(everything), get, soakLedgers);
      const memory = await stack.memory();
      const c = await stack.faultCounts();
      rounds.push({
        round,
        events: events.length,
        puts: puts.length,
        putSeconds,
        eventsPerSecond: Math.round(puts.length / putSeconds),
        deliveries: (await stack.deliveries()) - deliveriesBefore,
        injected: {
          handlerThrowsBefore: c.handlerThrowsBefore - countsBefore.handlerThrowsBefore,
          handlerThrowsAfter: c.handlerThrowsAfter - countsBefore.handlerThrowsAfter,
          dynamoThrottles: c.dynamoThrottles - countsBefore.dynamoThrottles,
          s3DownMs: options.s3DownMs,
          dynamoKills: options.killDynamo ? 1 : 0,
          dynamoDownMs: options.killDynamo ? options.dynamoDownMs : 0,
        },
        deadLettered,
        redriven,
        redrives,
        archived: { expected: everything.length, missing },
        checked: verified.checked,
        mismatches: [...verified.mismatches, ...left.map((d) => ({ what: `dead letter ${d.eventId}`, field: d.target, expected: 'delivered', actual: d.error }))],
        memory,
      });
    }
  } finally {
    client.destroy();
    s3.destroy();
    dynamodb.destroy();
    await stack.stop();
    if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
  }
  return { rounds, stateDir };
}
