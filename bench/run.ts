/**
 * `npm run bench`: figures measured side by side in one run, reported as ratios because these
 * machines are noisy. Writes nothing but stdout; copy the tables into docs/benchmarks.md.
 *
 *   BENCH_EVENTS=300          events through the pipeline and the KPI counters
 *   BENCH_KPI_EVENTS=1000000  the large side of the KPI read figure (kpi-reads.ts)
 *   BENCH_INIT_RUNS=7         fresh-process imports per bundle (bundles.ts)
 *   -- --before <checkout>    bundles of another checkout beside this one's (bundles.ts)
 *   BENCH_PIPELINE_ONLY=1     only the pipeline, KPI counter and latency figures (the first table)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CaseOpened } from '#events/cases';
import { WarningIssued } from '#events/enforcement';
import { sampleFor } from '#events/samples';
import { issueToken } from '../infra/local/auth.ts';
import { settingsFromEnv } from '../infra/local/settings.ts';
import { LOCAL_CREDENTIALS, startLocalStack } from '../infra/local/stack.ts';
import { benchBundles } from './bundles.ts';
import { benchKpiReads } from './kpi-reads.ts';
import { benchStartup } from './startup.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
// The bench sends every report from one address: lift the per-client spam limit.
process.env.SC_REPORT_RATE_LIMIT = '1000000/3600';

const N = Number(process.env.BENCH_EVENTS ?? 300);
const CONCURRENCY = 8;
/** Clients at once for the latency figures (issue 14: p95 with 20 concurrent clients). */
const CLIENTS = 20;
/** Another checkout to measure bundles against (`npm run bench -- --before <dir>`, see bundles.ts). */
const beforeAt = process.argv.indexOf('--before');
const before = beforeAt > 0 ? process.argv[beforeAt + 1] : undefined;

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

const stateDir = mkdtempSync(join(tmpdir(), 'sc-bench-'));
const stack = await startLocalStack({
  settings: settingsFromEnv({ stateDir, gatewayPort: 0, dynamodbPort: 0, s3Port: 0, eventbridgePort: 0, retryBaseMs: 10 }),
});
try {
  const ddb = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.endpoints.region, credentials: LOCAL_CREDENTIALS });
  const ids = Array.from({ length: N }, (_, i) => i);

  /** Single-item writes per second at the same concurrency: PutItem, or an ADD by UpdateItem, each on its own item. */
  const rawRate = async (kind: 'put' | 'update', tag: string) => {
    const table = stack.endpoints.tables.main;
    const started = performance.now();
    await pool(ids, CONCURRENCY, async (i) => {
      const key = { pk: { S: `BENCH-${tag}#${i}` }, sk: { S: 'X' } };
      if (kind === 'put') await ddb.send(new PutItemCommand({ TableName: table, Item: { ...key, v: { N: String(i) } } }));
      else await ddb.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    });
    return N / ((performance.now() - started) / 1000);
  };
  await rawRate('put', 'warm'); // dynalite, the connections and the JIT warmed before anything is timed

  // 1. Raw local DynamoDB write rate: single-item PutItem, same concurrency.
  const rawWritesPerSec = await rawRate('put', 'pipeline');

  // 2. The pipeline: HTTP intake → PutEvents → projector (+ archiver) → report readable.
  const body = JSON.stringify({
    category: 'enviro.fly-tipping',
    description: 'Bench report',
    occurredAt: '2024-05-14T21:30:00+01:00',
    location: { postcode: 'LE13 1GH' },
    hateMotivated: false,
  });
  await fetch(`${stack.endpoints.gateway}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await stack.bus.idle(); // warm: modules loaded, clients connected
  let t = performance.now();
  await pool(ids, CONCURRENCY, async () => {
    const res = await fetch(`${stack.endpoints.gateway}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (res.status !== 202) throw new Error(`intake refused: ${res.status}`);
  });
  await stack.bus.idle();
  const pipelinePerSec = N / ((performance.now() - t) / 1000);

  // DynamoDB writes per report: the intake's rate-limit counter, the projector's idempotency
  // record (put, then its completion update) and the report itself.
  const writesPerEvent = 4;
  const ceiling = rawWritesPerSec / writesPerEvent;
  // 3. The KPI counter projection: KpiCounter invoked with each event as its rule delivers it
  // (no bus in between), same concurrency. Cases opened and warnings over May 2024's days.
  const kpiCounter = stack.invokers.get('KpiCounter');
  if (!kpiCounter) throw new Error('no KpiCounter function in the topology');
  const kpiEvents = ids.map((i) => {
    const occurredAt = new Date(Date.UTC(2024, 4, 1 + (i % 31), 9, i % 60)).toISOString();
    const [contract, detail] =
      i % 2 === 0
        ? [CaseOpened, { ...sampleFor(CaseOpened), eventId: `bench-kpi-${i}`, caseId: `case-bench-${i}`, occurredAt }]
        : [WarningIssued, { ...sampleFor(WarningIssued), eventId: `bench-kpi-${i}`, occurredAt }];
    return { version: '0', id: crypto.randomUUID(), 'detail-type': contract.detailType, source: contract.source, account: '000000000000', time: occurredAt, region: stack.endpoints.region, resources: [], detail };
  });
  await kpiCounter({ ...kpiEvents[0], id: crypto.randomUUID(), detail: { ...kpiEvents[0]!.detail, eventId: 'bench-kpi-warm' } }); // warm: module loaded
  // Its ceiling from raw rates measured right before it, in the same conditions.
  const kpiRawPuts = await rawRate('put', 'kpi');
  const kpiRawUpdates = await rawRate('update', 'kpi');
  t = performance.now();
  await pool(kpiEvents, CONCURRENCY, async (e) => {
    await kpiCounter(e);
  });
  const countedPerSec = N / ((performance.now() - t) / 1000);
  // KpiCounter's writes per event: Powertools idempotency's record (PutItem, then UpdateItem
  // to COMPLETED) and the one conditional UpdateItem on the day counters.
  const kpiWrites = { put: 1, update: 2 };
  const kpiCeiling = 1 / (kpiWrites.put / kpiRawPuts + kpiWrites.update / kpiRawUpdates);

  const token = await issueToken(stateDir, ['officer']);
  const queue = (await (await fetch(`${stack.endpoints.gateway}/reports?status=untriaged&limit=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: unknown[] };

  // 4. Latency seen by each of 20 clients at once: every request timed from send to the whole
  // answer read. POST /reports while the pipeline behind it runs; GET /cases (the officer's list).
  const timed = async (request: () => Promise<Response>, expected: number) => {
    const times: number[] = [];
    await pool(ids, CLIENTS, async () => {
      const started = performance.now();
      const res = await request();
      await res.arrayBuffer();
      if (res.status !== expected) throw new Error(`latency bench: answered ${res.status}, expected ${expected}`);
      times.push(performance.now() - started);
    });
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? NaN;
    return { p50: at(0.5), p95: at(0.95), max: times.at(-1) ?? NaN };
  };
  const posting = await timed(() => fetch(`${stack.endpoints.gateway}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }), 202);
  await stack.bus.idle();
  const listing = await timed(() => fetch(`${stack.endpoints.gateway}/cases?limit=50`, { headers: { authorization: `Bearer ${token}` } }), 200);

  console.log(`\n| figure | value |\n| --- | ---: |`);
  console.log(`| events (reports) | ${N} |`);
  console.log(`| raw local DynamoDB PutItem rate | ${rawWritesPerSec.toFixed(0)} /s |`);
  console.log(`| DynamoDB writes per report (projection) | ${writesPerEvent} |`);
  console.log(`| pipeline ceiling = raw rate / writes per event | ${ceiling.toFixed(0)} /s |`);
  console.log(`| pipeline: HTTP intake to projected report | ${pipelinePerSec.toFixed(0)} /s |`);
  console.log(`| pipeline as a share of the ceiling | ${((pipelinePerSec / ceiling) * 100).toFixed(0)} % |`);
  console.log(`\n(${queue.items.length} reports readable on the first page of the queue)`);

  console.log(`\n| latency, ${CLIENTS} clients at once, ${N} requests each | p50 | p95 | max |\n| --- | ---: | ---: | ---: |`);
  for (const [what, l] of [['POST /reports', posting], ['GET /cases?limit=50', listing]] as const) {
    console.log(`| ${what} | ${l.p50.toFixed(0)} ms | ${l.p95.toFixed(0)} ms | ${l.max.toFixed(0)} ms |`);
  }

  console.log(`\n| KPI counter projection | value |\n| --- | ---: |`);
  console.log(`| events (cases opened and warnings, May 2024) | ${N} |`);
  console.log(`| raw local DynamoDB PutItem rate (just before) | ${kpiRawPuts.toFixed(0)} /s |`);
  console.log(`| raw local DynamoDB UpdateItem rate (just before) | ${kpiRawUpdates.toFixed(0)} /s |`);
  console.log(`| DynamoDB writes per event | ${kpiWrites.put + kpiWrites.update} (${kpiWrites.put} PutItem, ${kpiWrites.update} UpdateItem) |`);
  console.log(`| ceiling = 1 / (${kpiWrites.put} / PutItem rate + ${kpiWrites.update} / UpdateItem rate) | ${kpiCeiling.toFixed(0)} /s |`);
  console.log(`| KpiCounter: events counted | ${countedPerSec.toFixed(0)} /s |`);
  console.log(`| counter projection as a share of the ceiling | ${((countedPerSec / kpiCeiling) * 100).toFixed(0)} % |`);
  ddb.destroy();
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}

if (!process.env.BENCH_PIPELINE_ONLY) {
  await benchKpiReads();
  await benchStartup();
  await benchBundles(before ? { before } : {});
}
