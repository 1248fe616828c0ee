/**
 * A year's KPI report over 1,000,000 events against one over 10,000 (issue 9: at most 1.2;
 * quality.md: at most 1.5), on dynalite, side by side. The day items are written in bulk as
 * the counter projection's one write per event leaves them (its keys, id digests and counter
 * names), after the nightly seal (ids moved aside, the last two days still holding theirs);
 * the unsealed figure shows what sealing saves.
 *
 *   npx tsx bench/kpi-reads.ts                       1,000,000 vs 10,000 events
 *   BENCH_KPI_EVENTS=100000 npx tsx bench/kpi-reads.ts   a smaller large side
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/shared/keys.ts';
import { addDays } from '../functions/shared/london-time.ts';
import { DAY_SHARDS, idDigestOf } from '../functions/kpis/counter-store.ts';
import { counterNames } from '../functions/kpis/counters.ts';
import { buildReadKpis } from '../functions/kpis/read.ts';
import { tables } from '../infra/resources.ts';
import { localTableName, startDynamo } from '../infra/local/stores.ts';

const YEAR = { from: '2023-10-01', to: '2024-09-30' };

async function yearOf(eventsPerYear: number, sealed: boolean) {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-bench-kpis-'));
  const dynamo = await startDynamo(stateDir, 0, 'eu-west-2');
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const table = localTableName(tables.main);
  const perShard = Math.round(eventsPerYear / 366 / DAY_SHARDS);
  const items: Record<string, unknown>[] = [];
  let n = 0;
  for (let day = YEAR.from; day <= YEAR.to; day = addDays(day, 1)) {
    for (let shard = 0; shard < DAY_SHARDS; shard += 1) {
      const ids = new Set(Array.from({ length: perShard }, () => idDigestOf(`bench-${n++}`)));
      const counters = Object.fromEntries(counterNames.map((c, i) => [`c_${c}`, (i + 1) * perShard]));
      const recent = day >= addDays(YEAR.to, -1);
      items.push({ ...keys.kpiDay(day.slice(0, 7), day, shard), type: 'kpi-day', day, ...counters, ...(sealed && !recent ? { sealed: 1 } : { ids }) });
    }
  }
  for (let i = 0; i < items.length; i += 25) {
    await db.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  const read = buildReadKpis(db, table);
  return {
    events: n,
    time: async () => {
      const t = performance.now();
      await read(YEAR);
      return performance.now() - t;
    },
    close: async () => {
      db.destroy();
      await dynamo.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function benchKpiReads(options: { readonly rounds?: number; readonly events?: number } = {}): Promise<void> {
  const rounds = options.rounds ?? 7;
  const events = options.events ?? Number(process.env.BENCH_KPI_EVENTS ?? 1_000_000);
  const small = await yearOf(10_000, true);
  const large = await yearOf(events, true);
  const unsealed = await yearOf(events, false);
  try {
    const runs = { small: [] as number[], large: [] as number[], unsealed: [] as number[] };
    await small.time();
    await large.time();
    await unsealed.time();
    for (let i = 0; i < rounds; i += 1) {
      runs.small.push(await small.time());
      runs.large.push(await large.time());
      runs.unsealed.push(await unsealed.time());
    }
    const base = median(runs.small);
    console.log(`\n| KPI report for a year (and the year before), median of ${rounds} | time | vs 10,000 events |\n| --- | ---: | ---: |`);
    console.log(`| ${small.events.toLocaleString('en-GB')} events | ${base.toFixed(0)} ms | 1.00 |`);
    console.log(`| ${large.events.toLocaleString('en-GB')} events, sealed | ${median(runs.large).toFixed(0)} ms | ${(median(runs.large) / base).toFixed(2)} |`);
    console.log(`| ${unsealed.events.toLocaleString('en-GB')} events, not sealed | ${median(runs.unsealed).toFixed(0)} ms | ${(median(runs.unsealed) / base).toFixed(2)} |`);
  } finally {
    await Promise.all([small.close(), large.close(), unsealed.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchKpiReads();
