/**
 * Each function's bundle size and module init against the Powertools reference handler
 * (bench/reference-handler.ts: a Logger, one DynamoDB document client, one zod schema parsed
 * at init). Every bundle is built with the bundling options CDK's NodejsFunction gets
 * (infra/cdk/function-defaults.ts, read from there so the two cannot drift) and imported in a
 * fresh Node process with the NODE_OPTIONS the functions run with, as a cold start.
 *
 * Machine load moves absolute times a lot, so the claim is the ratio: for each function, the
 * reference is imported right before it, round after round, and the function's init is the
 * median of its runs over the median of the reference runs beside it. Each import reports its
 * wall time and the CPU time it used; on a shared machine the wall time mostly measures the
 * scheduler (other processes' turns), so the goal is judged on CPU, and wall is printed beside.
 *
 * `npx tsx bench/bundles.ts` measures this checkout; `--before <checkout>` measures another
 * checkout's topology in the same rounds (e.g. a `git worktree` of an older commit whose
 * `infra/topology.ts` exports `topology` with `name`, `entry` and `triggers`).
 */
import '../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { baseEnvironment, functionDefaults } from '../infra/cdk/function-defaults.ts';
import { repoRoot } from '../infra/local/stack.ts';

const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 7);
/** BENCH_FUNCTIONS=ReportIntake,KpiQueries: only these (and the reference), to re-measure a few after a change. */
const ONLY = process.env.BENCH_FUNCTIONS?.split(',').map((n) => n.trim()).filter(Boolean);
/**
 * BENCH_REFERENCE_ZOD=namespace: the reference with `import * as z from 'zod'` (zod's own
 * advice) in place of `import { z }`, which esbuild cannot tree-shake: to see how much of a
 * function's ratio comes from importing zod the lean way (docs/benchmarks.md).
 */
const REFERENCE_ZOD_NAMESPACE = process.env.BENCH_REFERENCE_ZOD === 'namespace';
/** The goal for HTTP functions (issue 8): init at most this multiple of the reference. */
export const HTTP_INIT_GOAL = 1.5;

interface Fn {
  readonly name: string;
  readonly entry: string;
  readonly http: boolean;
}
interface Checkout {
  readonly root: string;
  readonly functions: readonly Fn[];
  /** Settings every function reads at init, as Lambda would pass them; the values need not be real. */
  readonly env: Record<string, string>;
}
interface Built {
  readonly file: string;
  /** The bundle's code, without its source map. */
  readonly bytes: number;
  readonly env: Record<string, string>;
}

/** A checkout's functions, from its own topology and resource names. */
async function loadCheckout(root: string): Promise<Checkout> {
  const topologyModule = (await import(pathToFileURL(join(root, 'infra/topology.ts')).href)) as {
    topology: readonly { name: string; entry: string; triggers: readonly { kind: string }[] }[];
  };
  const resources = (await import(pathToFileURL(join(root, 'infra/resources.ts')).href)) as Record<string, unknown>;
  const named = (key: string) => Object.values((resources[key] ?? {}) as Record<string, { envVar: string }>);
  const eventBus = resources.eventBus as { envVar: string };
  return {
    root,
    functions: topologyModule.topology.map((fn) => ({ name: fn.name, entry: fn.entry, http: fn.triggers.some((t) => t.kind === 'http') })),
    env: {
      [eventBus.envVar]: 'bench',
      ...Object.fromEntries([...named('tables'), ...named('buckets')].map((d) => [d.envVar, 'bench'])),
      ...Object.fromEntries(named('secrets').map((d) => [d.envVar, 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:bench'])),
    },
  };
}

const { bundling } = functionDefaults;
const lambdaEnvironment = baseEnvironment('bench');
/** NODE_OPTIONS as the functions get them (source maps on), passed as flags to each fresh process. */
const nodeFlags = (lambdaEnvironment.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);

/** esbuild with the options CDK turns NodejsFunction's `bundling` into. */
async function bundle(entry: string | { readonly contents: string; readonly resolveDir: string }, outfile: string): Promise<number> {
  await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { ...entry, loader: 'ts' as const } }),
    outfile,
    bundle: true,
    platform: 'node',
    format: bundling.format,
    target: bundling.target,
    mainFields: [...bundling.mainFields],
    minify: bundling.minify,
    sourcemap: bundling.sourceMap ? 'linked' : false,
    sourcesContent: bundling.sourcesContent,
    external: [...bundling.externalModules],
    banner: { js: bundling.banner },
    logLevel: 'error',
  });
  return statSync(outfile).size;
}

/**
 * One import of the bundle in a new process: wall milliseconds (module init, as on a cold
 * start) and the CPU milliseconds it took, which a busy machine inflates far less.
 */
function initOnce(built: Built): { wall: number; cpu: number } {
  const url = JSON.stringify(pathToFileURL(built.file).href);
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${url}); const w = performance.now() - t; const u = process.cpuUsage(c); console.log(w, (u.user + u.system) / 1000);`;
  const out = execFileSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], { env: built.env }).toString().trim();
  const [wall, cpu] = (out.split('\n').at(-1) ?? '').split(' ').map(Number);
  return { wall: wall ?? NaN, cpu: cpu ?? NaN };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Samples {
  readonly wall: number[];
  readonly cpu: number[];
  /** The reference runs made right before each of this bundle's runs. */
  readonly refWall: number[];
  readonly refCpu: number[];
}
interface Measured {
  readonly bytes: number;
  /** Median wall and CPU milliseconds of its imports. */
  readonly wall: number;
  readonly cpu: number;
  /** Each median over the median of the reference imports made beside it. */
  readonly wallRatio: number;
  readonly cpuRatio: number;
}
interface Row {
  readonly name: string;
  readonly http: boolean;
  readonly after?: Built;
  readonly before?: Built;
}

const kb = (bytes: number) => `${(bytes / 1024).toLocaleString('en-GB', { maximumFractionDigits: 0 })} KB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;
const times = (r: number) => `${r.toFixed(2)}×`;

export async function benchBundles(options: { readonly before?: string } = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bundles-'));
  try {
    const after = await loadCheckout(repoRoot);
    const before = options.before ? await loadCheckout(resolve(options.before)) : undefined;
    const baseEnv: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...lambdaEnvironment,
      AWS_REGION: 'eu-west-2',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    delete baseEnv.NODE_OPTIONS; // passed as flags instead, so the parent's own (tsx) do not leak in
    const envOf = (checkout: Checkout) => ({ ...baseEnv, ...checkout.env });
    const built = async (root: string, entry: string, name: string, env: Record<string, string>): Promise<Built> => {
      const file = join(dir, `${name}.mjs`);
      return { file, bytes: await bundle(join(root, entry), file), env };
    };

    const referenceFile = join(repoRoot, 'bench/reference-handler.ts');
    const namespaced = () => {
      const source = readFileSync(referenceFile, 'utf8');
      const contents = source.replace("import { z } from 'zod';", "import * as z from 'zod';");
      if (contents === source) throw new Error("BENCH_REFERENCE_ZOD=namespace: the reference no longer has `import { z } from 'zod';` to replace");
      return { contents, resolveDir: dirname(referenceFile) };
    };
    const reference: Built = REFERENCE_ZOD_NAMESPACE
      ? { file: join(dir, 'reference.mjs'), bytes: await bundle(namespaced(), join(dir, 'reference.mjs')), env: envOf(after) }
      : await built(repoRoot, 'bench/reference-handler.ts', 'reference', envOf(after));
    writeFileSync(join(dir, 'empty.ts'), 'export const handler = async () => ({ statusCode: 200 });\n');
    const empty = await built(dir, 'empty.ts', 'empty', envOf(after));

    const rows = new Map<string, Row>();
    for (const [tag, checkout] of [['after', after], ['before', before]] as const) {
      for (const fn of checkout?.functions ?? []) {
        if (ONLY && !ONLY.includes(fn.name)) continue;
        const row = rows.get(fn.name) ?? { name: fn.name, http: fn.http };
        rows.set(fn.name, { ...row, http: row.http || fn.http, [tag]: await built(checkout!.root, fn.entry, `${tag}-${fn.name}`, envOf(checkout!)) });
      }
    }
    const all: Row[] = [...rows.values(), { name: '(empty handler)', http: false, after: empty }];

    // Round after round, each function right after a reference run, so load hits both alike.
    const samples = new Map<Built, Samples>();
    const refWall: number[] = [];
    const refCpu: number[] = [];
    for (let round = 0; round < RUNS; round += 1) {
      for (const row of all) {
        const ref = initOnce(reference);
        refWall.push(ref.wall);
        refCpu.push(ref.cpu);
        for (const b of [row.after, row.before]) {
          if (!b) continue;
          const s = samples.get(b) ?? { wall: [], cpu: [], refWall: [], refCpu: [] };
          const own = initOnce(b);
          s.wall.push(own.wall);
          s.cpu.push(own.cpu);
          s.refWall.push(ref.wall);
          s.refCpu.push(ref.cpu);
          samples.set(b, s);
        }
      }
    }
    const measured = (b: Built | undefined): Measured | undefined => {
      const s = b && samples.get(b);
      if (!b || !s) return undefined;
      return { bytes: b.bytes, wall: median(s.wall), cpu: median(s.cpu), wallRatio: median(s.wall) / median(s.refWall), cpuRatio: median(s.cpu) / median(s.refCpu) };
    };

    const ref = { wall: median(refWall), cpu: median(refCpu) };
    const cell = (m: Measured | undefined, f: (m: Measured) => string) => (m ? f(m) : '—');
    const over = (row: Row, m: Measured | undefined) => row.http && m !== undefined && m.cpuRatio > HTTP_INIT_GOAL;
    const pair = (row: Row, f: (m: Measured) => string) => (before ? [cell(measured(row.before), f), cell(measured(row.after), f)] : [cell(measured(row.after), f)]);
    const cols = before ? ['before', 'after'] : [''];
    const head = (what: string) => cols.map((c) => (c ? `${what} ${c}` : what));
    console.log(`\n| function | HTTP | ${[...head('bundle'), ...head('init CPU'), ...head('× ref CPU'), ...head('× ref wall')].join(' | ')} |`);
    console.log(`| --- | :-: | ${Array.from({ length: cols.length * 4 }, () => '---:').join(' | ')} |`);
    const refCells = (f: string) => cols.map(() => f);
    if (REFERENCE_ZOD_NAMESPACE) console.log('\n(reference with `import * as z from \'zod\'`, BENCH_REFERENCE_ZOD=namespace)');
    console.log(`| **Powertools reference** | | ${[...refCells(kb(reference.bytes)), ...refCells(ms(ref.cpu)), ...refCells('1.00×'), ...refCells('1.00×')].join(' | ')} |`);
    const overGoal: string[] = [];
    for (const row of all) {
      const a = measured(row.after);
      if (over(row, a)) overGoal.push(`${row.name} (${times(a!.cpuRatio)})`);
      const ratio = pair(row, (m) => times(m.cpuRatio));
      if (over(row, a)) ratio[ratio.length - 1] += ' ✗';
      console.log(`| ${row.name} | ${row.http ? 'yes' : ''} | ${[...pair(row, (m) => kb(m.bytes)), ...pair(row, (m) => ms(m.cpu)), ...ratio, ...pair(row, (m) => times(m.wallRatio))].join(' | ')} |`);
    }
    console.log(
      `\nInit: median of ${RUNS} fresh-process imports per bundle (node ${nodeFlags.join(' ')}), each right after an import of the reference; × ref is that median over the median of the reference imports beside it. Reference: ${ms(ref.cpu)} CPU, ${ms(ref.wall)} wall (${refWall.length} imports).`,
    );
    console.log(overGoal.length ? `HTTP functions over ${HTTP_INIT_GOAL}× the reference (CPU): ${overGoal.join(', ')}` : `Every HTTP function is within ${HTTP_INIT_GOAL}× the reference (CPU).`);
  } finally {
    if (process.env.BENCH_KEEP_BUNDLES) console.log(`(bundles kept in ${dir})`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--before');
  await benchBundles(at > 0 ? { before: process.argv[at + 1]! } : {});
}
