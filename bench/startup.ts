/**
 * Time from launching `npm start`'s entry (fresh state directory, demo data included) to the
 * banner that says where to look: the figure a new user waits for.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../infra/local/stack.ts';

export async function benchStartup(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-startup-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'infra/local/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, SC_STATE_DIR: stateDir, SC_GATEWAY_PORT: '0', SC_DYNAMODB_PORT: '0', SC_S3_PORT: '0', SC_EVENTBRIDGE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('is running locally')) resolve(performance.now() - started);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was up`)));
    });
    console.log(`\n| start-up (fresh state, demo data) | ${(ms / 1000).toFixed(1)} s to the banner |`);
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    rmSync(stateDir, { recursive: true, force: true });
  }
}
