/**
 * `npm run rebuild [-- --swap] [--restart] [--force]`: every read model rebuilt from the event
 * archive alone into fresh tables, then compared with the live ones field by field.
 *
 * Locally it talks to the stack running in SC_STATE_DIR (its endpoints.json). `--swap` then
 * points the local stack at the rebuilt tables ($SC_STATE_DIR/tables.json, read by `npm start`;
 * restart it). On AWS: `npm run rebuild -- --aws --table NAME --idempotency-table NAME
 * --archive-bucket NAME` with the operator's credentials and AWS_REGION; the swap on AWS is a
 * deployment (docs/runbook.md, "Rebuild the read models").
 *
 * The archive is read as it stands: the events still waiting in the live main table for the
 * daily compactor, and the grouped day objects in the bucket (no compactor run needed).
 *
 * `--chunk N` checkpoints every N archived events (default 500).
 *
 * Retention (the nightly PrivacyRetention job's rules) is applied to the rebuilt table as of the
 * job's last scheduled run, or `--retention-as-of INSTANT`; erasures of the access record are
 * carried out again (infra/rebuild/retention.ts, erasures.ts).
 *
 * Exit: 0 rebuilt and equal, 1 rebuilt with differences, 2 stopped (run again to resume).
 */
import '../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { settingsFromEnv } from '../infra/local/settings.ts';
import { repoRoot, type Endpoints } from '../infra/local/stack.ts';
import { carryOverPrimary, compareRebuilt, rebuild, RebuildStoppedError, type RebuildTarget } from '../infra/rebuild/rebuild.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const { values } = parseArgs({
  options: {
    swap: { type: 'boolean' },
    restart: { type: 'boolean' },
    force: { type: 'boolean' },
    aws: { type: 'boolean' },
    table: { type: 'string' },
    'idempotency-table': { type: 'string' },
    'archive-bucket': { type: 'string' },
    'checkpoint-dir': { type: 'string' },
    chunk: { type: 'string' },
    'retention-as-of': { type: 'string' },
  },
});

const log = (line: string) => console.error(`[rebuild] ${line}`);
const { stateDir } = settingsFromEnv();

function localTarget(): RebuildTarget {
  const file = join(stateDir, 'endpoints.json');
  if (!existsSync(file)) {
    console.error(`no local stack found in ${stateDir}: start it with npm start (or set SC_STATE_DIR)`);
    process.exit(2);
  }
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
  // The functions run in this process, against the running stack's stores.
  Object.assign(process.env, {
    AWS_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
  });
  const client = { region: endpoints.region, credentials: endpoints.credentials };
  return {
    dynamodb: new DynamoDBClient({ ...client, endpoint: endpoints.dynamodb }),
    s3: new S3Client({ ...client, endpoint: endpoints.s3, forcePathStyle: true }),
    archiveBucket: endpoints.buckets.archive,
    live: { main: endpoints.tables.main, idempotency: endpoints.tables.idempotency },
    region: endpoints.region,
    root: repoRoot,
  };
}

function awsTarget(): RebuildTarget {
  const table = values.table;
  const idempotency = values['idempotency-table'];
  const bucket = values['archive-bucket'];
  const region = process.env.AWS_REGION;
  if (!table || !idempotency || !bucket || !region) {
    console.error('on AWS give --table, --idempotency-table and --archive-bucket (the stack outputs), and set AWS_REGION');
    process.exit(2);
  }
  return { dynamodb: new DynamoDBClient({}), s3: new S3Client({ forcePathStyle: true }), archiveBucket: bucket, live: { main: table, idempotency }, region, root: repoRoot };
}

const target = values.aws ? awsTarget() : localTarget();
const checkpointDir = values['checkpoint-dir'] ?? join(values.aws ? '.rebuild' : stateDir, 'rebuild');
// The archive's size is not known until it has been listed: progress is a count, each thousand events.
let reported = 0;
const progress = (done: number) => {
  if (done - reported < 1000) return;
  reported = done;
  log(`${done} archived events rebuilt (${((Date.now() - started) / 1000).toFixed(0)} s)`);
};
const started = Date.now();

const asOf = values['retention-as-of'];
if (asOf !== undefined && Number.isNaN(Date.parse(asOf))) {
  console.error(`--retention-as-of must be an instant such as 2026-12-02T03:15:00Z, not "${asOf}"`);
  process.exit(2);
}

let result;
try {
  const chunk = values.chunk ? Number(values.chunk) : undefined;
  if (chunk !== undefined && !(Number.isInteger(chunk) && chunk > 0)) throw new Error(`--chunk must be a whole number of archived events per checkpoint, not "${values.chunk}"`);
  result = await rebuild({ target, checkpointDir, restart: values.restart ?? false, log, progress, ...(chunk ? { chunk } : {}), ...(asOf ? { retentionAsOf: new Date(asOf) } : {}) });
} catch (error) {
  if (!(error instanceof RebuildStoppedError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const { checkpoint } = result;
const seconds = (Date.now() - started) / 1000;
console.log(
  `rebuilt ${checkpoint.rebuilt.main} from ${checkpoint.events} archived events (${checkpoint.deliveries} deliveries${checkpoint.resumed ? `, resumed ${checkpoint.resumed}×` : ''}) in ${seconds.toFixed(1)} s; ${result.sunk} events the consumers put were kept off the bus`,
);

const comparison = await compareRebuilt(target.dynamodb, checkpoint);
console.log(`compared ${checkpoint.live.main} with ${checkpoint.rebuilt.main}, read model by read model (${comparison.primary} primary records, which no event carries, are not compared):`);
for (const [kind, t] of Object.entries(comparison.byKind).sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${kind.padEnd(28)} ${String(t.items).padStart(7)} items  ${t.differences ? `${t.differences} differ` : 'equal'}`);
}
if (comparison.expired > 0) console.log(`  ${comparison.expired} items on one side only had expired (their expiresAt has passed: DynamoDB's TTL removes them), not counted as differences`);
console.log(`differences = ${comparison.differences.length}`);
for (const d of comparison.differences.slice(0, 20)) {
  console.log(`  ${d.kind} ${d.pk} ${d.sk} ${d.field}: live ${JSON.stringify(d.live)?.slice(0, 200)}, rebuilt ${JSON.stringify(d.rebuilt)?.slice(0, 200)}`);
}

if (values.swap) {
  if (comparison.differences.length > 0 && !values.force) {
    console.error('not swapped: the rebuilt tables differ from the live ones (look at the differences above; --force swaps anyway)');
    process.exit(1);
  }
  const carried = await carryOverPrimary(target.dynamodb, checkpoint);
  if (values.aws) {
    console.log(`carried ${carried} primary records over. To swap on AWS, follow docs/runbook.md ("Rebuild the read models"): deploy with the table names ${checkpoint.rebuilt.main} and ${checkpoint.rebuilt.idempotency}.`);
  } else {
    writeFileSync(join(stateDir, 'tables.json'), `${JSON.stringify(checkpoint.rebuilt, null, 2)}\n`);
    console.log(`carried ${carried} primary records over and swapped: ${join(stateDir, 'tables.json')} names the rebuilt tables. Restart npm start to use them.`);
  }
}
target.dynamodb.destroy();
target.s3.destroy();
process.exit(comparison.differences.length > 0 ? 1 : 0);
