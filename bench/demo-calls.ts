/**
 * `npx tsx bench/demo-calls.ts`: the DynamoDB calls the functions make while `npm start`'s demo
 * data goes in (infra/local/demo.ts, on a fresh state directory, until the bus is idle), by
 * table and operation, and by function for the idempotency table. Counts, not times: the same
 * on a busy machine as on an idle one (docs/benchmarks.md, "Start-up").
 */
import '../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamodb as functionsClient } from '#shared/clients';
import { seedDemo } from '../infra/local/demo.ts';
import { currentFunctionName } from '../infra/local/function-env.ts';
import { DYNAMO_WRITES, DynamoCalls, type DynamoCall } from '../infra/local/meter.ts';
import { settingsFromEnv } from '../infra/local/settings.ts';
import { startLocalStack } from '../infra/local/stack.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'sc-demo-calls-'));
const calls = new DynamoCalls();
calls.attach(functionsClient, currentFunctionName);
const stack = await startLocalStack({ settings: settingsFromEnv({ stateDir, gatewayPort: 0, dynamodbPort: 0, s3Port: 0, eventbridgePort: 0 }), log: () => {} });
try {
  await seedDemo({ stateDir, gateway: stack.endpoints.gateway, log: () => {}, settled: () => stack.bus.idle() });
  await stack.bus.idle();
  const all = calls.snapshot();
  const total = (rows: readonly DynamoCall[]) => rows.reduce((n, c) => n + c.calls, 0);
  const table = (c: DynamoCall) => c.table.replace(/^safer-communities-/, '');
  const grouped = (rows: readonly DynamoCall[], by: (c: DynamoCall) => string) => {
    const sums = new Map<string, number>();
    for (const c of rows) sums.set(by(c), (sums.get(by(c)) ?? 0) + c.calls);
    return [...sums].sort(([a], [b]) => a.localeCompare(b));
  };
  const idempotency = all.filter((c) => table(c) === 'idempotency');
  console.log(`\n| demo data: DynamoDB calls by the functions | calls |\n| --- | ---: |`);
  console.log(`| all | ${total(all)} |`);
  console.log(`| writes (${[...DYNAMO_WRITES].join(', ')}) | ${total(all.filter((c) => DYNAMO_WRITES.has(c.operation)))} |`);
  for (const [key, n] of grouped(all, (c) => `${table(c)} ${c.operation}`)) console.log(`| ${key} | ${n} |`);
  console.log(`\n| idempotency table, by function | calls |\n| --- | ---: |`);
  for (const [key, n] of grouped(idempotency, (c) => `${c.caller} ${c.operation}`)) console.log(`| ${key} | ${n} |`);
} finally {
  await stack.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
