/**
 * `npx tsx bench/pipeline-parts.ts`: what each part of the report pipeline costs on its own, in
 * CPU milliseconds per report and with the DynamoDB calls it makes (docs/benchmarks.md, "Where
 * the time goes"). The intake is timed with delivery paused (POST /reports to the journalled
 * PutEvents); then each consumer of ReportReceived is invoked directly, no bus in between, with
 * the events the intake put. A raw PutItem is timed first and last for scale.
 *
 *   N=300                 reports, and events per consumer
 *   PROF=<part>,<part>    CPU profiles of these parts (raw, intake, or a function's name) in /tmp
 */
import '../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamodb as functionsClient } from '#shared/clients';
import { currentFunctionName } from '../infra/local/function-env.ts';
import { DYNAMO_WRITES, DynamoCalls } from '../infra/local/meter.ts';
import { settingsFromEnv } from '../infra/local/settings.ts';
import { LOCAL_CREDENTIALS, startLocalStack } from '../infra/local/stack.ts';
import type { PutEntry } from '../infra/local/eventbridge/bus.ts';
import { bareWrite } from './bare-writes.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.SC_REPORT_RATE_LIMIT = '1000000/3600';
const N = Number(process.env.N ?? 300);
const CONCURRENCY = 8;
const profiled = new Set((process.env.PROF ?? '').split(',').filter(Boolean));

const calls = new DynamoCalls();
calls.attach(functionsClient, currentFunctionName);

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => { while (next < items.length) await fn(items[next++] as T); }));
}

/** CPU milliseconds per item of `work` over `count` items (a profile of it if asked). */
async function cpuPer(name: string, count: number, work: () => Promise<void>): Promise<number> {
  let stop: (() => Promise<void>) | undefined;
  if (profiled.has(name)) {
    const session = new Session();
    session.connect();
    const post = (method: string, params: object = {}) => new Promise<any>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
    await post('Profiler.enable');
    await post('Profiler.start');
    stop = async () => {
      writeFileSync(`/tmp/pipeline-part-${name}.cpuprofile`, JSON.stringify((await post('Profiler.stop')).profile));
      session.disconnect();
    };
  }
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  await stop?.();
  return (used.user + used.system) / 1000 / count;
}

const stateDir = mkdtempSync(join(tmpdir(), 'sc-parts-'));
const stack = await startLocalStack({ settings: { ...settingsFromEnv({ stateDir, gatewayPort: 0, dynamodbPort: 0, s3Port: 0, eventbridgePort: 0, retryBaseMs: 10 }), pauseDelivery: true } });
try {
  const ddb = new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.endpoints.region, credentials: LOCAL_CREDENTIALS });
  const ids = Array.from({ length: N }, (_, i) => i);
  const raw = (tag: string) =>
    cpuPer('raw', N, () => pool(ids, CONCURRENCY, (i) => ddb.send(new PutItemCommand({ TableName: stack.endpoints.tables.main, Item: { pk: { S: `PARTS-${tag}#${i}` }, sk: { S: 'X' }, v: { N: '1' } } }))));
  for (let round = 0; round < 8; round += 1) await raw(`warm-${round}`);
  const rows: [string, number, number, number, number | undefined][] = [];
  let mark = calls.snapshot();
  /** The part's write calls (kept while it ran) sent again bare from the plain client: CPU ms per report. */
  const bare = async () => {
    const captured = calls.writes ?? [];
    calls.writes = undefined;
    if (captured.length === 0) return undefined;
    return cpuPer('bare', N, () => pool(captured, CONCURRENCY, (w) => bareWrite(ddb, w.operation, w.input)));
  };
  const row = async (name: string, ms: number) => {
    const counted = DynamoCalls.between(mark, calls.snapshot());
    const sum = (write: boolean) => counted.filter((c) => DYNAMO_WRITES.has(c.operation) === write).reduce((n, c) => n + c.calls, 0) / N;
    const bareMs = await bare();
    rows.push([name, ms, sum(true), sum(false), bareMs]);
    mark = calls.snapshot();
  };
  await row('raw PutItem (first)', await raw('first'));

  const body = JSON.stringify({ category: 'enviro.fly-tipping', description: 'Bench report', occurredAt: '2024-05-14T21:30:00+01:00', location: { postcode: 'LE13 1GH' }, hateMotivated: false });
  const post = async () => {
    const res = await fetch(`${stack.endpoints.gateway}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.status !== 202) throw new Error(`intake refused: ${res.status}`);
  };
  const put = stack.bus.put.bind(stack.bus);
  const entries: PutEntry[] = [];
  stack.bus.put = (e) => (entries.push(...e), put(e));
  await pool(ids.slice(0, 100), CONCURRENCY, post); // warm
  mark = calls.snapshot();
  calls.writes = [];
  await row('intake, delivery paused', await cpuPer('intake', N, () => pool(ids, CONCURRENCY, post)));

  const envelope = (e: PutEntry) => ({ version: '0', id: crypto.randomUUID(), 'detail-type': e.DetailType, source: e.Source, account: '000000000000', time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), region: stack.endpoints.region, resources: [], detail: e.Detail });
  const timed = entries.slice(100);
  for (const name of ['ReportProjector', 'EventArchiver', 'FlyTipProjector', 'CaseReviewProjector', 'SearchIndexer', 'StatusProjector']) {
    const invoke = stack.invokers.get(name);
    if (!invoke) throw new Error(`no ${name} in the topology`);
    for (const e of entries.slice(0, 20)) await invoke(envelope(e)); // warm
    mark = calls.snapshot();
    calls.writes = [];
    await row(name, await cpuPer(name, N, () => pool(timed, CONCURRENCY, (e) => invoke(envelope(e)))));
  }
  await row('raw PutItem (last)', await raw('last'));
  ddb.destroy();

  console.log(`\n| part (${N} reports) | CPU ms per report | DynamoDB writes | reads | its writes sent bare, CPU ms | beyond its writes, CPU ms |\n| --- | ---: | ---: | ---: | ---: | ---: |`);
  for (const [name, ms, writes, reads, bareMs] of rows) {
    const beyond = bareMs === undefined ? '' : (ms - bareMs).toFixed(2);
    console.log(`| ${name} | ${ms.toFixed(2)} | ${writes.toFixed(2)} | ${reads.toFixed(2)} | ${bareMs?.toFixed(2) ?? ''} | ${beyond} |`);
  }
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
