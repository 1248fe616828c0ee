import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../functions/archive/archive-reader.ts';
import { archivedEventId } from '../../functions/archive/data-classes.ts';
import { issueToken } from '#infra/local/auth';
import { repoRoot, type Endpoints } from '#infra/local/stack';
import { generateSoakEvents, isStreamOpening } from '../../bench/soak/generate.ts';
import { compactArchive } from '../support/archive.ts';
import { startTestStack } from '../support/local-stack.ts';
import { submitReport } from '../support/reports.ts';
import { REMOVED_TEXT } from '../../functions/privacy/retention-rules.ts';

const ports = { SC_GATEWAY_PORT: '0', SC_DYNAMODB_PORT: '0', SC_S3_PORT: '0', SC_EVENTBRIDGE_PORT: '0' };

/** `npm start -- --empty` in its own process (one process, so a kill -9 stops all of it). */
async function startStackProcess(stateDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--empty'], { cwd: repoRoot, env: { ...process.env, ...ports, SC_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('is running locally')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the stack exited (${code}) before it was running: ${out}`)));
  });
  return child;
}

/** `npm run rebuild -- ARGS` against the stack in stateDir; resolves with its exit code and output. */
function rebuildProcess(stateDir: string, args: readonly string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/rebuild.ts', ...args], { cwd: repoRoot, env: { ...process.env, SC_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('integration: rebuild from the archive', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-rebuild-'));
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await killed(c);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('rebuilds every read model from an archive half written and half waiting, resumes after the stack is killed mid-way, finds them equal, and swaps', async () => {
    // The live read models: two small worlds of every kind of event, delivered once. The first
    // is compacted into the bucket (its public text redacted under events/, whole under
    // public-text/); the second still waits in the main table for the compactor, as today's do.
    const written = generateSoakEvents({ events: 200, seed: 3, prefix: 's1' });
    const waiting = generateSoakEvents({ events: 100, seed: 4, prefix: 's2' });
    const live = await startTestStack({ stateDir });
    const client = new EventBridgeClient({ endpoint: live.endpoints.eventbridge, region: live.endpoints.region, credentials: live.endpoints.credentials });
    const putAll = async (events: typeof written) => {
      for (let i = 0; i < events.length; i += 10) {
        const Entries = events.slice(i, i + 10).map((e) => ({ EventBusName: live.endpoints.eventBusName, Source: e.contract.source, DetailType: e.contract.detailType, Detail: JSON.stringify({ ...e.detail, schemaVersion: 1 }) }));
        expect((await client.send(new PutEventsCommand({ Entries }))).FailedEntryCount).toBe(0);
      }
      await live.settle();
    };
    // The streams are opened first and settled, as on a deployment, then everything else.
    await putAll(written.filter(isStreamOpening));
    await putAll(written.filter((e) => !isStreamOpening(e)));
    // A member of the public who reported, then asked to be erased: their words stay whole in the
    // archive's public-text/ (Object Lock), so the rebuild must erase them again.
    const erasedWords = 'Shouting outside number 14 every night, it is Jo from the corner shop.';
    const erased = await submitReport(live, { description: erasedWords, contact: { name: 'Sam Reporter', email: 'sam.reporter@example.org', consentToContact: true } });
    const erasure = await live.request('POST', '/privacy/erasures', { role: 'admin', json: { email: 'sam.reporter@example.org', requestReference: 'ER-REBUILD-1' } });
    expect(erasure.status, await erasure.clone().text()).toBe(200);
    await live.settle();
    const compacted = await compactArchive(live);
    expect(compacted.events).toBeGreaterThanOrEqual(written.length);
    expect(compacted.objects.some((key) => key.startsWith('public-text/'))).toBe(true);
    // The second world opens the same streams again (one eventId each): duplicates, dropped.
    await putAll(waiting.filter(isStreamOpening));
    await putAll(waiting.filter((e) => !isStreamOpening(e)));
    expect(live.bus.deadLetters()).toEqual([]);
    // The nightly retention job ran (the worlds hold reports of 2024, past their text's 2 years):
    // the rebuild must apply retention as of the same run to find the tables alike.
    const retentionRun = new Date().toISOString();
    const swept = (await live.invokers.get('PrivacyRetention')?.({ schedule: 'PrivacyRetentionSweep', scheduledTime: retentionRun })) as { textRemoved: { report: number } };
    expect(swept.textRemoved.report).toBeGreaterThan(0);
    client.destroy();
    await live.dispose();

    // The stack in a process of its own; the rebuild checkpoints every 10 archived objects.
    let stack = await startStackProcess(stateDir);
    children.push(stack);
    const first = rebuildProcess(stateDir, ['--chunk', '10']);
    const checkpoint = join(stateDir, 'rebuild', 'checkpoint.json');
    const progressed = () => existsSync(checkpoint) && (JSON.parse(readFileSync(checkpoint, 'utf8')) as { events: number }).events > 0;
    while (!progressed()) await new Promise((r) => setTimeout(r, 25));
    await killed(stack);
    const stopped = await first.done;
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain('run it again to resume');
    const { events: doneBefore } = JSON.parse(readFileSync(checkpoint, 'utf8')) as { events: number };
    expect(doneBefore).toBeGreaterThan(0);

    stack = await startStackProcess(stateDir);
    children.push(stack);
    const resumed = await rebuildProcess(stateDir, ['--chunk', '10', '--swap', '--retention-as-of', retentionRun]).done;
    expect(resumed.stderr).toContain(`retention applied as of ${retentionRun}: text removed from ${swept.textRemoved.report} records`);
    expect(resumed.stderr).toContain(`after ${doneBefore} archived events`);
    expect(resumed.stdout).toContain('resumed 1×');
    // Every event was read back once (each eventId: both worlds open the same streams), from the bucket or the table, before the swap carried the waiting ones over.
    const { events: read } = JSON.parse(readFileSync(checkpoint, 'utf8')) as { events: number };
    expect(read).toBeGreaterThanOrEqual(new Set([...written, ...waiting].map((e) => e.detail.eventId)).size);
    expect(resumed.stderr).toContain('erasures of the access record carried out again on the rebuilt table (people: 1,');
    expect(resumed.stdout).toContain('differences = 0');
    expect(resumed.code).toBe(0);
    const rebuilt = JSON.parse(readFileSync(join(stateDir, 'tables.json'), 'utf8')) as { main: string; idempotency: string };
    expect(rebuilt.main).toMatch(/^safer-communities-main-rebuild-/);

    // Restarted, the stack reads the rebuilt tables.
    await killed(stack);
    stack = await startStackProcess(stateDir);
    children.push(stack);
    const endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as Endpoints;
    expect(endpoints.tables.main).toBe(rebuilt.main);
    const opened = waiting.find((e) => e.contract.detailType === 'CaseOpened');
    const token = await issueToken(stateDir, ['officer']);
    const res = await fetch(`${endpoints.gateway}/cases/${String(opened?.detail.caseId)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    // The erased reporter's words did not come back from the archive, and the record of the erasure was carried over.
    const report = (await (await fetch(`${endpoints.gateway}/reports/${erased.reportId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { description?: string };
    expect(report.description).toBe(REMOVED_TEXT);
    expect(JSON.stringify(report)).not.toContain('Jo from the corner shop');
    const adminToken = await issueToken(stateDir, ['admin']);
    const record = (await (await fetch(`${endpoints.gateway}/privacy/access-record`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { entries: { action: string; reason?: string }[] };
    expect(record.entries).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'erasure', reason: 'ER-REBUILD-1' })]));

    // The swap carried the waiting part of the archive over: read from the rebuilt table and the bucket, nothing is missing.
    const credentials = endpoints.credentials;
    const s3 = new S3Client({ endpoint: endpoints.s3, region: endpoints.region, credentials, forcePathStyle: true });
    const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials });
    const archived = new Set<string>();
    for await (const { event } of readArchive({ s3, bucket: endpoints.buckets.archive, documents: DynamoDBDocumentClient.from(dynamodb), table: endpoints.tables.main })) archived.add(archivedEventId(event));
    s3.destroy();
    dynamodb.destroy();
    expect([...written, ...waiting].filter((e) => !archived.has(e.detail.eventId))).toEqual([]);
  }, 600_000);
});
