/**
 * `npm run bench`: figures measured side by side in one run, reported as ratios because these
 * machines are noisy. Writes nothing but stdout; copy the table into docs/benchmarks.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { issueToken } from '../infra/local/auth.ts';
import { settingsFromEnv } from '../infra/local/settings.ts';
import { LOCAL_CREDENTIALS, startLocalStack } from '../infra/local/stack.ts';
import { benchBundles } from './bundles.ts';
import { benchStartup } from './startup.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
// The bench sends every report from one address: lift the per-client spam limit.
process.env.SC_REPORT_RATE_LIMIT = '1000000/3600';

const N = Number(process.env.BENCH_EVENTS ?? 300);
const CONCURRENCY = 8;

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

  // 1. Raw local DynamoDB write rate: single-item PutItem, same concurrency.
  let t = performance.now();
  await pool(ids, CONCURRENCY, async (i) => {
    await ddb.send(new PutItemCommand({ TableName: stack.endpoints.tables.main, Item: { pk: { S: `BENCH#${i}` }, sk: { S: 'X' }, v: { N: String(i) } } }));
  });
  const rawWritesPerSec = N / ((performance.now() - t) / 1000);

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
  t = performance.now();
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
  const token = await issueToken(stateDir, ['officer']);
  const queue = (await (await fetch(`${stack.endpoints.gateway}/reports?status=untriaged&limit=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: unknown[] };

  console.log(`\n| figure | value |\n| --- | ---: |`);
  console.log(`| events (reports) | ${N} |`);
  console.log(`| raw local DynamoDB PutItem rate | ${rawWritesPerSec.toFixed(0)} /s |`);
  console.log(`| DynamoDB writes per report (projection) | ${writesPerEvent} |`);
  console.log(`| pipeline ceiling = raw rate / writes per event | ${ceiling.toFixed(0)} /s |`);
  console.log(`| pipeline: HTTP intake to projected report | ${pipelinePerSec.toFixed(0)} /s |`);
  console.log(`| pipeline as a share of the ceiling | ${((pipelinePerSec / ceiling) * 100).toFixed(0)} % |`);
  console.log(`\n(${queue.items.length} reports readable on the first page of the queue)`);
  ddb.destroy();
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}

await benchStartup();
await benchBundles();
