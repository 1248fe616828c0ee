import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '#infra/local/auth';
import { bundleLocal } from '#infra/local/bundle';
import type { Endpoints } from '#infra/local/stack';
import { repoRoot } from '#infra/local/stack';
import { currentBundle } from '../../infra/local/bundle-stamp.js';

/**
 * `npm start` as it runs (package.json: `node infra/local/start.js`): plain node, no loader,
 * on the bundle of infra/local/main.ts, with the demo data. The functions are chunks of that
 * bundle, loaded on their first call; a page answering shows one was (the sources are
 * TypeScript, which plain node cannot load).
 */
describe('integration: npm start on plain node', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-npm-start-'));
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let endpoints: Endpoints;

  beforeAll(async () => {
    // Built here if a source changed, so the start below is one that finds its bundle current.
    if (!currentBundle(repoRoot)) await bundleLocal();
    // Without the variable the test environment sets: start.js must quiet the SDK's notice itself.
    const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _quiet, ...env } = process.env;
    const ports = { SC_GATEWAY_PORT: '0', SC_DYNAMODB_PORT: '0', SC_S3_PORT: '0', SC_EVENTBRIDGE_PORT: '0' };
    const command = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.start as string;
    const [program, ...args] = command.split(' ');
    expect(program).toBe('node');
    child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...env, ...ports, SC_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('is running locally')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before its banner: ${stdout}${stderr}`)));
    });
    endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as Endpoints;
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs plain node on the current bundle, without building it again or printing the SDK notice', () => {
    expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1)).toEqual(['infra/local/start.js']);
    expect(stderr).not.toContain('bundled the local runtime');
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|node >= ?22/i);
    expect(stdout).toMatch(/safer-communities is running locally \(\d+\.\d s\)/);
  });

  it('answers pages and the API from function chunks loaded on their first call, with the demo data in', async () => {
    const form = await fetch(`${endpoints.gateway}/`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<form');
    const token = await issueToken(stateDir, ['officer']);
    const res = await fetch(`${endpoints.gateway}/cases/case-2026-0001`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { kind: string }).kind).toBe('enviro');
  });
});
