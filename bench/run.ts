/**
 * `npm run bench`: figures measured side by side in one run, reported as ratios because these
 * machines are noisy. Writes nothing but stdout; copy the tables into docs/benchmarks.md.
 *
 *   BENCH_EVENTS=300          events through the pipeline and the KPI counters
 *   BENCH_KPI_EVENTS=1000000  the large side of the KPI read figure (kpi-reads.ts)
 *   BENCH_INIT_RUNS=7         fresh-process imports per bundle (bundles.ts)
 *   -- --before <checkout>    bundles of another checkout beside this one's (bundles.ts)
 *   BENCH_PIPELINE_ONLY=1     only the pipeline, KPI counter and latency figures (the first table)
 *   BENCH_PROFILE=<file>      a V8 CPU profile of the pipeline phase alone (.cpuprofile)
 */
import '../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CaseOpened } from '#events/cases';
import { WarningIssued } from '#events/enforcement';
import { sampleFor } from '#events/samples';
import { dynamodb as functionsClient } from '#shared/clients';
import { issueToken } from '../infra/local/auth.ts';
import { currentFunctionName } from '../infra/local/function-env.ts';
import { DYNAMO_WRITES, DynamoCalls, type DynamoCall } from '../infra/local/meter.ts';
import { dynaliteParsers } from '../infra/local/dynalite-tuning.ts';
import { settingsFromEnv } from '../infra/local/settings.ts';
import { LOCAL_CREDENTIALS, startLocalStack } from '../infra/local/stack.ts';
import { bareWrite } from './bare-writes.ts';
import { benchBundles } from './bundles.ts';
import { benchKpiReads } from './kpi-reads.ts';
import { benchStartup } from './startup.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
// The bench sends every report from one address: lift the per-client spam limit.
process.env.SC_REPORT_RATE_LIMIT = '1000000/3600';

const N = Number(process.env.BENCH_EVENTS ?? 300);
const CONCURRENCY = 8;
/** PutItems before any figure is timed, whatever N is (see the warm-up below). */
const WARM_PUTS = 2400;
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

/** Starts the V8 CPU profiler on this process; the returned function stops it and gives the profile. */
async function startProfile(): Promise<() => Promise<Profiler.Profile>> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
    session.disconnect();
    return profile;
  };
}

const stateDir = mkdtempSync(join(tmpdir(), 'sc-bench-'));
// Every DynamoDB call the functions send, counted by function, table and operation: they share
// one client (functions/shared/clients.ts), as each Lambda's module scope would hold its own.
const calls = new DynamoCalls();
calls.attach(functionsClient, currentFunctionName);
const stack = await startLocalStack({
  settings: settingsFromEnv({ stateDir, gatewayPort: 0, dynamodbPort: 0, s3Port: 0, eventbridgePort: 0, retryBaseMs: 10 }),
});
try {
  const ddb = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.endpoints.region, credentials: LOCAL_CREDENTIALS });
  const ids = Array.from({ length: N }, (_, i) => i);

  /** Times `work` on wall clock and on this process's CPU (every thread: the stores' too). */
  const measure = async (work: () => Promise<void>) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await work();
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
  /** Single-item writes at the same concurrency: PutItem, or an ADD by UpdateItem, each on its own item; per second of wall clock and of CPU. */
  const rawRate = async (kind: 'put' | 'update', tag: string) => {
    const table = stack.endpoints.tables.main;
    const { seconds, cpuSeconds } = await measure(() =>
      pool(ids, CONCURRENCY, async (i) => {
        const key = { pk: { S: `BENCH-${tag}#${i}` }, sk: { S: 'X' } };
        if (kind === 'put') await ddb.send(new PutItemCommand({ TableName: table, Item: { ...key, v: { N: String(i) } } }));
        else await ddb.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
      }),
    );
    return { perSec: N / seconds, perCpuSec: N / cpuSeconds };
  };
  // Warm first: dynalite, the connections and the JIT. A fresh process's PutItem rate climbs for
  // the first few thousand calls (about 2x from the first 300 to the 3,000th), and so does the
  // pipeline's: timing either cold would flatter the other.
  for (let round = 0; round * N < WARM_PUTS; round += 1) await rawRate('put', `warm-${round}`);

  // 1. Raw local DynamoDB write rate: single-item PutItem, same concurrency, right before the
  // pipeline and again right after it (the machine is shared: the ceiling takes their mean).
  const rawBefore = await rawRate('put', 'pipeline-before');

  // 2. The pipeline: HTTP intake → PutEvents → every consumer of ReportReceived → done.
  const body = JSON.stringify({
    category: 'enviro.fly-tipping',
    description: 'Bench report',
    occurredAt: '2024-05-14T21:30:00+01:00',
    location: { postcode: 'LE13 1GH' },
    hateMotivated: false,
  });
  const postReport = async () => {
    const res = await fetch(`${stack.endpoints.gateway}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.status !== 202) throw new Error(`intake refused: ${res.status}`);
  };
  // Warm: modules loaded, clients connected, the functions' code compiled.
  await pool(Array.from({ length: Math.max(150, Math.ceil(N / 2)) }, (_, i) => i), CONCURRENCY, postReport);
  await stack.bus.idle();
  const callsBefore = calls.snapshot();
  // dynalite's expression parses in the timed phase: answered from the memo, or parsed (infra/local/dynalite-tuning.ts).
  const parseStats = () => Object.values(dynaliteParsers).map((p) => ({ ...(p.parse as unknown as { stats: { hits: number; misses: number; uncached: number } }).stats }));
  const parsesBefore = parseStats();
  // BENCH_PROFILE=<file>: a CPU profile of this phase alone (open it in Chrome's DevTools).
  const profiling = process.env.BENCH_PROFILE ? await startProfile() : undefined;
  calls.writes = [];
  const pipeline = await measure(async () => {
    await pool(ids, CONCURRENCY, postReport);
    await stack.bus.idle();
  });
  if (profiling && process.env.BENCH_PROFILE) writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(await profiling()));
  const parses = parseStats().reduce(
    (sum, s, i) => ({ hits: sum.hits + s.hits - parsesBefore[i]!.hits, parsed: sum.parsed + s.misses + s.uncached - parsesBefore[i]!.misses - parsesBefore[i]!.uncached }),
    { hits: 0, parsed: 0 },
  );
  const captured = calls.writes;
  calls.writes = undefined;
  const pipelinePerSec = N / pipeline.seconds;
  const pipelinePerCpuSec = N / pipeline.cpuSeconds;
  const rawAfter = await rawRate('put', 'pipeline-after');
  // The floor under the pipeline: the very write calls it made (same tables, items, conditions and
  // expressions), each sent again bare from the bench's client at the same concurrency, on keys of
  // their own. What the pipeline costs beyond this is its own work (intake, bus, functions).
  const bare = await measure(() => pool(captured, CONCURRENCY, (w) => bareWrite(ddb, w.operation, w.input).then(() => undefined)));
  const rawWritesPerSec = (rawBefore.perSec + rawAfter.perSec) / 2;
  const rawWritesPerCpuSec = (rawBefore.perCpuSec + rawAfter.perCpuSec) / 2;

  // DynamoDB writes per report, counted in this run: every write call the functions sent while
  // the reports went through (failed conditions included), over the reports. Calls, not write
  // request units: the raw rate is calls of one small item each, and what bounds dynalite here
  // is the work per request (HTTP, JSON, validation, one LevelDB batch), not an item's bytes.
  const pipelineCalls = DynamoCalls.between(callsBefore, calls.snapshot());
  const sum = (rows: readonly DynamoCall[], of: 'calls' | 'items') => rows.reduce((n, c) => n + c[of], 0);
  const writes = pipelineCalls.filter((c) => DYNAMO_WRITES.has(c.operation));
  const reads = pipelineCalls.filter((c) => !DYNAMO_WRITES.has(c.operation));
  const writesPerEvent = sum(writes, 'calls') / N;
  const ceiling = rawWritesPerSec / writesPerEvent;
  const cpuCeiling = rawWritesPerCpuSec / writesPerEvent;
  const barePerSec = N / bare.seconds;
  const barePerCpuSec = N / bare.cpuSeconds;
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
  const kpiRawPuts = (await rawRate('put', 'kpi')).perSec;
  const kpiRawUpdates = (await rawRate('update', 'kpi')).perSec;
  const countingBefore = calls.snapshot();
  const counting = await measure(() =>
    pool(kpiEvents, CONCURRENCY, async (e) => {
      await kpiCounter(e);
    }),
  );
  const countedPerSec = N / counting.seconds;
  // KpiCounter's writes per event, counted: its event claim (an UpdateItem on the idempotency
  // table) and the one conditional UpdateItem on the day counters; no PutItem since the
  // Powertools record went (it was a PutItem and an UpdateItem).
  const kpiCalls = DynamoCalls.between(countingBefore, calls.snapshot()).filter((c) => c.caller === 'KpiCounter' && DYNAMO_WRITES.has(c.operation));
  const kpiWritesOf = (operation: string) => kpiCalls.filter((c) => c.operation === operation).reduce((n, c) => n + c.calls, 0) / N;
  const kpiWrites = { put: kpiWritesOf('PutItem'), update: kpiWritesOf('UpdateItem') };
  const kpiOther = sum(kpiCalls, 'calls') / N - kpiWrites.put - kpiWrites.update;
  if (kpiWrites.put + kpiWrites.update === 0) throw new Error('no KpiCounter write was counted: the meter did not see its calls');
  if (kpiOther > 0) throw new Error(`KpiCounter made ${kpiOther} write calls per event that are neither PutItem nor UpdateItem: the ceiling below does not know them`);
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
  console.log(`| raw local DynamoDB PutItem rate, before / after the pipeline | ${rawBefore.perSec.toFixed(0)} / ${rawAfter.perSec.toFixed(0)} /s |`);
  console.log(`| DynamoDB write calls per report (counted in this run) | ${writesPerEvent.toFixed(2)} |`);
  console.log(`| DynamoDB read calls per report (not in the ceiling) | ${(sum(reads, 'calls') / N).toFixed(2)} |`);
  console.log(`| pipeline ceiling = mean raw rate / write calls per report | ${ceiling.toFixed(1)} /s |`);
  console.log(`| pipeline: HTTP intake until every consumer is done | ${pipelinePerSec.toFixed(1)} /s |`);
  console.log(`| **pipeline as a share of the ceiling** | **${((pipelinePerSec / ceiling) * 100).toFixed(0)} %** |`);
  console.log(`| the same per CPU second of this process: raw PutItem, before / after | ${rawBefore.perCpuSec.toFixed(0)} / ${rawAfter.perCpuSec.toFixed(0)} /s |`);
  console.log(`| … ceiling, pipeline, share | ${cpuCeiling.toFixed(1)} /s, ${pipelinePerCpuSec.toFixed(1)} /s, ${((pipelinePerCpuSec / cpuCeiling) * 100).toFixed(0)} % |`);
  console.log(`| the pipeline's own ${captured.length} write calls sent again bare: reports' worth per second, share of the ceiling | ${barePerSec.toFixed(1)} /s, ${((barePerSec / ceiling) * 100).toFixed(0)} % |`);
  console.log(`| … per CPU second | ${barePerCpuSec.toFixed(1)} /s, ${((barePerCpuSec / cpuCeiling) * 100).toFixed(0)} % |`);
  console.log(`| pipeline as a share of its bare writes (wall clock; CPU) | ${((pipelinePerSec / barePerSec) * 100).toFixed(0)} %; ${((pipelinePerCpuSec / barePerCpuSec) * 100).toFixed(0)} % |`);
  // Counted in this thread: with dynalite in its worker (stores.ts, as npm start runs it) they are not seen here.
  const parsesSeen = parses.hits + parses.parsed > 0;
  console.log(`| dynalite's expression parses in the pipeline phase: from the memo, parsed | ${parsesSeen ? `${parses.hits}, ${parses.parsed}` : 'not counted: dynalite ran in its worker thread (SC_DYNALITE_THREAD=main runs it here and counts them)'} |`);
  console.log(`\n(${queue.items.length} reports readable on the first page of the queue)`);

  console.log(`\n| DynamoDB calls per report, by function | table | operation | calls | items |\n| --- | --- | --- | ---: | ---: |`);
  const order = (c: DynamoCall) => `${DYNAMO_WRITES.has(c.operation) ? 0 : 1}${c.caller}${c.table}${c.operation}`;
  for (const c of [...pipelineCalls].sort((a, b) => order(a).localeCompare(order(b)))) {
    console.log(`| ${c.caller} | ${c.table.replace(/^safer-communities-/, '')} | ${c.operation} | ${(c.calls / N).toFixed(2)} | ${(c.items / N).toFixed(2)} |`);
  }

  console.log(`\n| latency, ${CLIENTS} clients at once, ${N} requests each | p50 | p95 | max |\n| --- | ---: | ---: | ---: |`);
  for (const [what, l] of [['POST /reports', posting], ['GET /cases?limit=50', listing]] as const) {
    console.log(`| ${what} | ${l.p50.toFixed(0)} ms | ${l.p95.toFixed(0)} ms | ${l.max.toFixed(0)} ms |`);
  }

  console.log(`\n| KPI counter projection | value |\n| --- | ---: |`);
  console.log(`| events (cases opened and warnings, May 2024) | ${N} |`);
  console.log(`| raw local DynamoDB PutItem rate (just before) | ${kpiRawPuts.toFixed(0)} /s |`);
  console.log(`| raw local DynamoDB UpdateItem rate (just before) | ${kpiRawUpdates.toFixed(0)} /s |`);
  console.log(`| DynamoDB writes per event (counted in this run) | ${(kpiWrites.put + kpiWrites.update).toFixed(2)} (${kpiWrites.put.toFixed(2)} PutItem, ${kpiWrites.update.toFixed(2)} UpdateItem) |`);
  console.log(`| ceiling = 1 / (${kpiWrites.put.toFixed(2)} / PutItem rate + ${kpiWrites.update.toFixed(2)} / UpdateItem rate) | ${kpiCeiling.toFixed(0)} /s |`);
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
