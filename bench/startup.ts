/**
 * Start-up on a fresh state directory, two ways, in turn in the same run:
 *  - `npm start`'s command (`node infra/local/start.js`: the bundle of infra/local/main.ts,
 *    demo data included), launch to the banner that says where to look: the figure a new user
 *    waits for (issue 14: within 3 s). The bundle is made current before the rounds, so each
 *    launch pays the check a start pays (every source hashed), not the build;
 *  - dynalite and s3rver alone (bench/stores-alone.ts, bundled the same way and run by plain
 *    node), launch to both answering a request: what the stores themselves cost, beside it.
 * Wall time is the figure the issue asks for; CPU time (the process's own, all threads, read
 * from /proc at the moment it is ready, where there is one) is printed beside it, as on a
 * shared machine wall time also measures the other processes' turns, and so is the main
 * thread's alone (dynalite runs in a worker thread of its own: stores.ts). BENCH_STARTUP_RUNS
 * rounds (default 3); medians, and the ratio.
 */
import '../infra/local/quiet-sdk-warning.ts';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { currentBundle } from '../infra/local/bundle-stamp.js';
import { bundleLocal, nodeBundle } from '../infra/local/bundle.ts';
import { repoRoot } from '../infra/local/stack.ts';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 3);
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

interface Launch {
  readonly wallMs: number;
  /** User plus system CPU time of the process when it was ready; NaN without /proc. */
  readonly cpuMs: number;
  /** The same, of its main thread alone. */
  readonly mainCpuMs: number;
}

/** CPU time so far of a process, or of one of its threads, from /proc/<pid>[/task/<tid>]/stat (utime and stime, fields 14 and 15). */
function cpuMsOf(pid: number | undefined, thread = false): number {
  const file = thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return NaN;
  const fields = readFileSync(file, 'utf8').replace(/^.*\) /s, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Launches plain `node <entry>` on a fresh state directory and times it to the first stdout line holding `ready`. */
async function launch(entry: string, ready: string, env: Record<string, string> = {}): Promise<Launch> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-startup-'));
  const started = performance.now();
  const child = spawn(process.execPath, [entry], {
    cwd: repoRoot,
    env: { ...process.env, ...env, SC_STATE_DIR: stateDir, SC_GATEWAY_PORT: '0', SC_DYNAMODB_PORT: '0', SC_S3_PORT: '0', SC_EVENTBRIDGE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    return await new Promise<Launch>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes(ready)) resolve({ wallMs: performance.now() - started, cpuMs: cpuMsOf(child.pid), mainCpuMs: cpuMsOf(child.pid, true) });
      });
      child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
    });
  } finally {
    child.kill('SIGINT');
    await exited;
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

/**
 * bench/stores-alone.ts for plain node, as bundle.ts bundles main.ts (node_modules left out),
 * with dynalite's worker entry beside it: the environment that names it, as start.js does.
 */
async function storesAlone(): Promise<{ entry: string; env: Record<string, string> }> {
  const outdir = join(repoRoot, '.build/bench');
  await build({
    ...nodeBundle,
    entryPoints: { 'stores-alone': join(repoRoot, 'bench/stores-alone.ts'), 'dynalite-worker': join(repoRoot, 'infra/local/dynalite-worker.ts') },
    outdir,
    splitting: true,
    define: { 'process.env.SC_LOCAL_BUNDLE': '"yes"' },
  });
  return { entry: join(outdir, 'stores-alone.js'), env: { SC_DYNALITE_WORKER: join(outdir, 'dynalite-worker.js') } };
}

export async function benchStartup(): Promise<void> {
  const stores: Launch[] = [];
  const entry: Launch[] = [];
  if (!currentBundle(repoRoot)) await bundleLocal();
  const storesBundle = await storesAlone();
  const load = loadavg()[0] ?? NaN;
  for (let round = 0; round < RUNS; round += 1) {
    stores.push(await launch(storesBundle.entry, 'stores ready', storesBundle.env));
    entry.push(await launch(join(repoRoot, 'infra/local/start.js'), 'is running locally'));
  }
  const s = (ms: number) => (Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
  const row = (what: string, runs: readonly Launch[]) =>
    `| ${what} | ${s(median(runs.map((r) => r.wallMs)))} (${runs.map((r) => (r.wallMs / 1000).toFixed(1)).join(', ')}) | ${s(median(runs.map((r) => r.cpuMs)))} | ${s(median(runs.map((r) => r.mainCpuMs)))} |`;
  const ratio = (pick: (l: Launch) => number) => median(entry.map((e, i) => pick(e) / pick(stores[i] as Launch)));
  console.log(`\n| start-up, fresh state directory, ${RUNS} rounds in turn (load average ${load.toFixed(1)} before) | wall, median (each run) | CPU, median | main thread's CPU, median |\n| --- | ---: | ---: | ---: |`);
  console.log(row('dynalite + s3rver alone, launch to both answering', stores));
  console.log(row('`npm start` (node infra/local/start.js), launch to the banner (demo data loaded)', entry));
  console.log(`| npm start / stores alone, round by round (median) | ${ratio((l) => l.wallMs).toFixed(1)}x | ${ratio((l) => l.cpuMs).toFixed(1)}x | ${ratio((l) => l.mainCpuMs).toFixed(1)}x |`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await benchStartup();
