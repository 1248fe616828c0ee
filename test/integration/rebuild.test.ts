import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '#infra/local/auth';
import { repoRoot, type Endpoints } from '#infra/local/stack';
import { generateSoakEvents } from '../../bench/soak/generate.ts';
import { startTestStack } from '../support/local-stack.ts';

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

  it('rebuilds every read model into fresh tables, resumes after the stack is killed mid-way, finds them equal, and swaps', async () => {
    // The live read models: a small world of every kind of event, delivered once.
    const events = generateSoakEvents({ events: 200, seed: 3, prefix: 's1' });
    const live = await startTestStack({ stateDir });
    const client = new EventBridgeClient({ endpoint: live.endpoints.eventbridge, region: live.endpoints.region, credentials: live.endpoints.credentials });
    for (let i = 0; i < events.length; i += 10) {
      const Entries = events.slice(i, i + 10).map((e) => ({ EventBusName: live.endpoints.eventBusName, Source: e.contract.source, DetailType: e.contract.detailType, Detail: JSON.stringify({ ...e.detail, schemaVersion: 1 }) }));
      expect((await client.send(new PutEventsCommand({ Entries }))).FailedEntryCount).toBe(0);
    }
    await live.settle();
    expect(live.bus.deadLetters()).toEqual([]);
    client.destroy();
    await live.dispose();

    // The stack in a process of its own; the rebuild checkpoints every 10 archived objects.
    let stack = await startStackProcess(stateDir);
    children.push(stack);
    const first = rebuildProcess(stateDir, ['--chunk', '10']);
    const checkpoint = join(stateDir, 'rebuild', 'checkpoint.json');
    const progressed = () => existsSync(checkpoint) && (JSON.parse(readFileSync(checkpoint, 'utf8')) as { objects: number }).objects > 0;
    while (!progressed()) await new Promise((r) => setTimeout(r, 25));
    await killed(stack);
    const stopped = await first.done;
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain('run it again to resume');
    const { objects: doneBefore } = JSON.parse(readFileSync(checkpoint, 'utf8')) as { objects: number };
    expect(doneBefore).toBeGreaterThan(0);

    stack = await startStackProcess(stateDir);
    children.push(stack);
    const resumed = await rebuildProcess(stateDir, ['--chunk', '10', '--swap']).done;
    expect(resumed.stderr).toContain(`after ${doneBefore} archived objects`);
    expect(resumed.stdout).toContain('resumed 1×');
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
    const opened = events.find((e) => e.contract.detailType === 'CaseOpened');
    const token = await issueToken(stateDir, ['officer']);
    const res = await fetch(`${endpoints.gateway}/cases/${String(opened?.detail.caseId)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  }, 300_000);
});
