/**
 * `npm run cost [-- --events 400 --reports 40 --actions 40 --views 60 --photos 10]`
 *
 * Runs a clean workload through the local stack with the meter on (infra/local/meter.ts) and
 * prices what it counted (docs/cost.md):
 *  1. producers, with the bus paused: public reports as a browser sends them (the form page,
 *     the form's POST, the confirmation page) and officer actions (POST /actions), so only the
 *     producing side is counted; then photos added from the confirmation page (the upload form,
 *     the browser's POST straight to S3, S3's redirect back, the page again);
 *  2. consumers: the soak's event mix (bench/soak/generate.ts), its ReportReceived events and
 *     the rest measured apart, so they can be weighted to the council's 1 report in 10 events;
 *  3. staff page views (the officer's day, triage, cases, a case, KPIs, funding);
 *  4. every schedule of the topology, run once as the scheduler would (the archive compactor
 *     for the day's events, so per event as well as per run).
 * Prints the counts per unit of work, per month at 1× and 100×, and the fixed monthly costs.
 */
import '../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import dynaliteDb from 'dynalite/db/index.js';
import { issueToken } from '../infra/local/auth.ts';
import { cronMatches, parseCron } from '../infra/local/cron.ts';
import { SCHEDULE_TIME_ZONE } from '../infra/local/scheduler.ts';
import { Meter, type MeterCounts } from '../infra/local/meter.ts';
import { settingsFromEnv } from '../infra/local/settings.ts';
import { LOCAL_CREDENTIALS, startLocalStack } from '../infra/local/stack.ts';
import { JPEG } from '../test/support/fixtures/images.ts';
import { generateSoakEvents, type SoakEvent } from './soak/generate.ts';
import { council, costOf, fixedMonthly, monthlyUsage, prices, schedules, zero, type JobUsage, type UnitUsage } from './cost-model.ts';

const { values } = parseArgs({ options: { events: { type: 'string' }, reports: { type: 'string' }, actions: { type: 'string' }, views: { type: 'string' }, photos: { type: 'string' } } });
const n = (raw: string | undefined, fallback: number) => (raw ? Number(raw) : fallback);
const size = { events: n(values.events, 400), reports: n(values.reports, 40), actions: n(values.actions, 40), views: n(values.views, 60), photos: n(values.photos, 10) };

// Log lines the functions write, at Powertools' default level (INFO, as on AWS where CDK sets
// none), counted instead of printed: CloudWatch Logs ingestion.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
// One client posts every report here: lift the per-client limit (its counter write is still counted).
process.env.SC_REPORT_RATE_LIMIT = '1000000/3600';
const print = process.stdout.write.bind(process.stdout);
let logBytes = 0;
process.stdout.write = ((chunk: string | Uint8Array) => {
  logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  return true;
}) as typeof process.stdout.write;
const say = (line = '') => print(`${line}\n`);
// Powertools writes WARN and ERROR lines to stderr: those are log lines too.
const printError = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (text.startsWith('{')) logBytes += Buffer.byteLength(text);
  else printError(text);
  return true;
}) as typeof process.stderr.write;

const meter = new Meter();
const stateDir = mkdtempSync(join(tmpdir(), 'sc-cost-'));
const settings = { ...settingsFromEnv({ stateDir, gatewayPort: 0, dynamodbPort: 0, s3Port: 0, eventbridgePort: 0, retryBaseMs: 100 }), pauseDelivery: true };
const stack = await startLocalStack({ settings, meter, log: (line) => process.stderr.write(`[cost] ${line}\n`) });
const { endpoints } = stack;
const token = await issueToken(stateDir, ['officer', 'finance', 'admin']);
const call = (method: string, path: string, body?: unknown) =>
  fetch(`${endpoints.gateway}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  }).then(async (res) => {
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}`);
  });

interface Phase {
  counts: MeterCounts;
  logBytes: number;
}
let mark = { counts: meter.snapshot(), logBytes };
const phase = (): Phase => {
  const now = { counts: meter.snapshot(), logBytes };
  const out = { counts: Meter.between(mark.counts, now.counts), logBytes: now.logBytes - mark.logBytes };
  mark = now;
  return out;
};

// 1. Producers, delivery paused. A member of the public: the form page, the form's POST
// (answered 303), the confirmation page; no sign-in, as on the public site.
const publicFetch = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(path.startsWith('http') ? path : `${endpoints.gateway}${path}`, { redirect: 'manual', ...init });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}`);
  return { res, text };
};
const confirmations: string[] = [];
for (let i = 0; i < size.reports; i += 1) {
  await publicFetch('/');
  const form = new URLSearchParams({
    category: i % 2 ? 'enviro.fly-tipping' : 'asb.noise',
    description: 'Mattress and rubble dumped by the field gate, again this week',
    'when-day': '14',
    'when-month': '5',
    'when-year': '2024',
    'when-time': '21:30',
    'location-postcode': 'LE13 0AB',
    hateMotivated: 'no',
    consentToContact: 'no',
  });
  const { res } = await publicFetch('/reports', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const location = res.headers.get('location') ?? '';
  if (res.status !== 303 || !location) throw new Error(`the report form answered ${res.status}`);
  confirmations.push(location);
  await publicFetch(location);
}
const reportsProduced = phase();
// Photos, from the confirmation page: its upload form, the browser's POST straight to S3, S3's
// 303 back to the site (which checks and copies the photo), then the page again.
const decode = (v: string) => v.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');
for (let i = 0; i < size.photos; i += 1) {
  const page = confirmations[i % confirmations.length] as string;
  const { text } = await publicFetch(page);
  const upload = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/.exec(text);
  if (!upload) throw new Error(`no photo upload form on ${page}`);
  const data = new FormData();
  for (const m of (upload[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) data.append(m[1] ?? '', decode(m[2] ?? ''));
  data.append('file', new Blob([JPEG]), 'photo.jpg');
  const stored = await fetch(decode(upload[1] ?? ''), { method: 'POST', body: data, redirect: 'manual' });
  await stored.arrayBuffer();
  const back = stored.headers.get('location');
  if (stored.status !== 303 || !back) throw new Error(`S3 answered the photo upload ${stored.status}`);
  const checked = await publicFetch(back);
  await publicFetch(checked.res.headers.get('location') ?? page);
}
const photosAdded = phase();
for (let i = 0; i < size.actions; i += 1) await call('POST', '/actions', { detailType: 'PatrolLogged', minutes: 30 + i });
const actionsProduced = phase();
stack.bus.resume();
await stack.bus.idle();
phase(); // the consumers of what the producers put (the generated events below measure those)

// 2. Consumers: the soak's mix, reports and the rest apart.
const client = new EventBridgeClient({ endpoint: endpoints.eventbridge, region: endpoints.region, credentials: LOCAL_CREDENTIALS });
const putAll = async (events: readonly SoakEvent[]) => {
  for (let i = 0; i < events.length; i += 10) {
    const Entries = events.slice(i, i + 10).map((e) => ({
      EventBusName: endpoints.eventBusName,
      Source: e.contract.source,
      DetailType: e.contract.detailType,
      Detail: JSON.stringify(e.contract.detail.parse({ ...e.detail, schemaVersion: e.contract.version })),
    }));
    const out = await client.send(new PutEventsCommand({ Entries }));
    if (out.FailedEntryCount) throw new Error(`PutEvents refused ${out.FailedEntryCount} entries`);
    while (stack.bus.pending > 200) await new Promise((r) => setTimeout(r, 20));
  }
  await stack.bus.idle();
};
const generated = generateSoakEvents({ events: size.events, seed: 13, prefix: 'c1' });
const generatedReports = generated.filter((e) => e.contract.detailType === 'ReportReceived');
const generatedOthers = generated.filter((e) => e.contract.detailType !== 'ReportReceived');
await putAll(generatedReports);
const reportsConsumed = phase();
await putAll(generatedOthers);
const othersConsumed = phase();
// System events the consumers put (assessments, overspend notices) were delivered in these phases too.

// 3. Staff page views.
const caseId = generatedOthers.map((e) => e.detail.caseId).find((id): id is string => typeof id === 'string') ?? 'none';
const pages = ['/officer', '/officer/triage', '/officer/cases', `/officer/cases/${caseId}`, '/officer/kpis', '/finance/funding'];
for (let i = 0; i < size.views; i += 1) await call('GET', pages[i % pages.length] as string);
const viewed = phase();

/** The latest time, up to `before`, that a cron fired (a year's schedule looks back up to a year). */
function lastFiring(cron: string, before: Date): Date {
  const schedule = parseCron(cron);
  const hour = Math.floor(before.getTime() / 3_600_000) * 3_600_000;
  for (let t = hour; t > hour - 367 * 86_400_000; t -= 3_600_000) {
    for (const minute of [...schedule.minutes].sort((a, b) => b - a)) {
      const at = new Date(t + minute * 60_000);
      if (at <= before && cronMatches(schedule, at, SCHEDULE_TIME_ZONE)) return at;
    }
  }
  throw new Error(`${cron} did not fire in the last year`);
}

// 4. The schedules, each run once as the scheduler runs it, at its latest firing time. The compactor runs as if at 06:30
// tomorrow, so it takes today's events: its DynamoDB work and duration are counted per event.
const jobs: { schedule: string; runsPerMonth: number; p: Phase; events?: number }[] = [];
for (const s of schedules) {
  const invoke = stack.invokers.get(s.fn);
  if (!invoke) throw new Error(`no function ${s.fn}`);
  const compactor = s.schedule === 'DailyArchiveCompaction';
  const at = compactor ? new Date(`${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T06:30:00Z`) : lastFiring(s.cron, new Date());
  const result = (await invoke({ schedule: s.schedule, scheduledTime: at.toISOString() })) as { events?: number } | undefined;
  await stack.bus.idle();
  jobs.push({ schedule: s.schedule, runsPerMonth: s.runsPerMonth, p: phase(), ...(compactor ? { events: result?.events ?? 0 } : {}) });
}

// What is stored, read after the metered phases.
const s3 = new S3Client({ endpoint: endpoints.s3, region: endpoints.region, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
const s3BytesIn: Record<string, number> = {};
for (const [name, Bucket] of Object.entries(endpoints.buckets)) {
  let ContinuationToken: string | undefined;
  s3BytesIn[name] = 0;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
    s3BytesIn[name] += (page.Contents ?? []).reduce((t, o) => t + (o.Size ?? 0), 0);
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
}
const s3Bytes = Object.values(s3BytesIn).reduce((t, b) => t + b, 0);
const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: LOCAL_CREDENTIALS });
let dynamoBytes = 0;
// dynalite reports no table size: the items' sizes as DynamoDB counts them, plus its 100 bytes of overhead each.
const { itemSize } = dynaliteDb as { itemSize: (item: unknown) => number };
for (const TableName of Object.values(endpoints.tables)) {
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName, ExclusiveStartKey }));
    dynamoBytes += (page.Items ?? []).reduce((t, item) => t + itemSize(item) + 100, 0);
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey);
}
await stack.stop();

const per = (p: Phase, count: number): UnitUsage => {
  const lambda = Object.values(p.counts.lambda);
  const dynamo = Object.values(p.counts.dynamodb);
  const indexes = Object.values(p.counts.dynamodbIndexes);
  return {
    lambdaRequests: lambda.reduce((t, c) => t + c.invocations, 0) / count,
    gbSeconds: lambda.reduce((t, c) => t + c.gbSeconds, 0) / count,
    readUnits: dynamo.reduce((t, c) => t + c.readUnits, 0) / count,
    writeUnits: (dynamo.reduce((t, c) => t + c.writeUnits, 0) + indexes.reduce((t, c) => t + c.writeUnits, 0)) / count,
    s3Tier1: p.counts.s3.tier1 / count,
    s3Tier2: p.counts.s3.tier2 / count,
    eventChunks: p.counts.events.chunks / count,
    httpUnits: p.counts.http.units / count,
    logBytes: p.logBytes / count,
  };
};
// The compactor: requests and S3 per run, the rest per event it took.
const jobUsage: JobUsage[] = jobs.map(({ schedule, runsPerMonth, p, events }) => {
  const run = per(p, 1);
  if (events === undefined || events === 0) return { schedule, runsPerMonth, perRun: run };
  const each = per(p, events);
  return {
    schedule,
    runsPerMonth,
    perRun: { ...run, gbSeconds: 0, readUnits: 0, writeUnits: 0, logBytes: 0 },
    perEvent: { ...each, lambdaRequests: 0, s3Tier1: 0, s3Tier2: 0, eventChunks: 0, httpUnits: 0 },
  };
});
const units = {
  reportProduced: per(reportsProduced, size.reports),
  actionProduced: per(actionsProduced, size.actions),
  reportConsumed: per(reportsConsumed, generatedReports.length),
  otherConsumed: per(othersConsumed, generatedOthers.length),
  pageView: per(viewed, size.views),
  photo: per(photosAdded, size.photos),
  jobs: jobUsage,
};
const eventsStored = generated.length + size.reports + size.actions;
// Archive objects grow with the events; exports with the export runs; photos by the assumed
// photo size (the run uploads a small test JPEG), kept for the intake's retention.
const exportRuns = schedules.filter((s) => s.fn === 'KpiScheduledExports');
const stored = {
  s3BytesPerEvent: (s3BytesIn.archive ?? 0) / eventsStored,
  dynamoBytesPerEvent: dynamoBytes / eventsStored,
  bytesPerPhoto: council.photoBytes,
  s3BytesPerMonth: ((s3BytesIn.exports ?? 0) / exportRuns.length) * exportRuns.reduce((t, s) => t + s.runsPerMonth, 0),
};

const fmt = (x: number, digits = 3) => (x === 0 ? '0' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(digits));
say(`cost run ${new Date().toISOString().slice(0, 10)}: ${size.reports} reports (form, confirmation page) and ${size.actions} actions over HTTP (bus paused), ${size.photos} photos, ${generatedReports.length} + ${generatedOthers.length} soak-mix events on the bus, ${size.views} page views, ${jobs.length} schedules run once`);
say('');
say('| per | Lambda requests | GB-s | RRU | WRU | S3 tier 1 | S3 tier 2 | EventBridge 64 KB chunks | HTTP API requests | log bytes |');
say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const rows: [string, UnitUsage][] = [...Object.entries(units).filter((e): e is [string, UnitUsage] => e[0] !== 'jobs'), ...jobUsage.flatMap((j) => [[`${j.schedule} run (${fmt(j.runsPerMonth)} a month)`, j.perRun] as [string, UnitUsage], ...(j.perEvent ? [[`${j.schedule}, per event`, j.perEvent] as [string, UnitUsage]] : [])])];
for (const [name, u] of rows) {
  say(`| ${name} | ${fmt(u.lambdaRequests)} | ${fmt(u.gbSeconds)} | ${fmt(u.readUnits)} | ${fmt(u.writeUnits)} | ${fmt(u.s3Tier1)} | ${fmt(u.s3Tier2)} | ${fmt(u.eventChunks)} | ${fmt(u.httpUnits)} | ${fmt(u.logBytes)} |`);
}
say(`S3 requests by bucket (the whole run): ${Object.entries(meter.snapshot().s3.byBucket).map(([b, c]) => `${b} ${c.tier1} tier 1, ${c.tier2} tier 2, ${c.free} free`).join('; ')}`);
say(`DynamoDB index writes (the whole run): ${Object.entries(meter.snapshot().dynamodbIndexes).map(([i, c]) => `${i} ${c.writes} writes, ${c.writeUnits} WRU`).join('; ')}`);
say(`compactor: ${jobs.find((j) => j.events !== undefined)?.events ?? 0} events taken; S3 by bucket after the run: ${Object.entries(s3BytesIn).map(([b, v]) => `${b} ${v}`).join(', ')} bytes`);
say(`stored after the run: S3 ${s3Bytes} bytes, DynamoDB ${dynamoBytes} bytes (${fmt(stored.s3BytesPerEvent)} and ${fmt(stored.dynamoBytesPerEvent)} bytes an event)`);
const byFunction = Object.entries(othersConsumed.counts.lambda).sort((a, b) => b[1].gbSeconds - a[1].gbSeconds).slice(0, 5);
say(`heaviest consumers (soak mix, non-report events): ${byFunction.map(([name, c]) => `${name} ${c.invocations} invocations, ${fmt(c.billedMs / c.invocations)} ms each at ${c.memoryMb} MB`).join('; ')}`);
say(`DynamoDB by operation (the whole run, with the storage scan at the end): ${Object.entries(meter.snapshot().dynamodb).map(([op, c]) => `${op} ${c.requests} (${fmt(c.readUnits)} RRU, ${fmt(c.writeUnits)} WRU)`).join('; ')}; conditional writes refused ${meter.snapshot().conditionalFailures}`);
say('');
const noJobs = { ...units, jobs: [] };
const millionEvents = costOf(monthlyUsage(noJobs, { ...stored, s3BytesPerMonth: 0 }, { reports: 100_000, events: 1_000_000, pageViews: 0, photos: 100_000 * council.photoShare, months: 1 }), prices);
say(`per million events (council mix, 1 report in 10 with photos at the assumed share; no page views, no schedules, storage of that million for a month): $${millionEvents.total.toFixed(2)}`);
for (const scale of [1, 100]) {
  const reports = (council.reportsPerYear * scale) / 12;
  const usage = monthlyUsage(units, stored, { reports, events: (council.eventsPerYear * scale) / 12, pageViews: council.pageViewsPerMonth * scale, photos: reports * council.photoShare, months: 12 });
  const cost = costOf(usage, prices);
  say(`per month at ${scale}× (${fmt((council.eventsPerYear * scale) / 12)} events, ${fmt(council.pageViewsPerMonth * scale)} page views; storage after a year): usage-based $${cost.total.toFixed(2)} — ${Object.entries(cost.lines).map(([k, v]) => `${k} $${v.toFixed(3)}`).join(', ')}`);
}
const jobsOnly = costOf(monthlyUsage({ reportProduced: zero, reportConsumed: zero, actionProduced: zero, otherConsumed: zero, pageView: zero, photo: zero, jobs: units.jobs }, { s3BytesPerEvent: 0, dynamoBytesPerEvent: 0 }, { reports: council.reportsPerYear / 12, events: council.eventsPerYear / 12, pageViews: 0, months: 1 }), prices);
say(`of which the schedules at 1× (runs and the compactor's per-event work): $${jobsOnly.total.toFixed(3)} — ${Object.entries(jobsOnly.lines).map(([k, v]) => `${k} $${v.toFixed(4)}`).join(', ')}`);
const fixed = fixedMonthly(prices);
say(`fixed monthly: $${fixed.total.toFixed(2)} without the edge, $${(fixed.total + fixed.edge).toFixed(2)} with CloudFront and WAF — ${Object.entries(fixed.lines).map(([k, v]) => `${k} $${v.toFixed(2)}`).join(', ')}`);
process.exit(0);
