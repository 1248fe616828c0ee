/**
 * Each function's bundle size and module init time against an empty handler, bundled with the
 * settings CDK uses (ESM, minified, SDK inside) and loaded in a fresh Node process each time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buckets, eventBus, secrets, tables } from '../infra/resources.ts';
import { repoRoot } from '../infra/local/stack.ts';
import { topology } from '../infra/topology.ts';

const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 5);
const banner = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

// Init reads its settings from the environment, as on Lambda; the values need not be real.
const env: Record<string, string> = {
  ...process.env,
  AWS_REGION: 'eu-west-2',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  [eventBus.envVar]: 'bench',
  ...Object.fromEntries([...Object.values(tables), ...Object.values(buckets)].map((d) => [d.envVar, 'bench'])),
  ...Object.fromEntries(Object.values(secrets).map((d) => [d.envVar, 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:bench'])),
};

async function bundle(entry: string, outfile: string) {
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', minify: true, banner: { js: banner }, logLevel: 'silent' });
  return statSync(outfile).size;
}

/** Median milliseconds to import the bundle in a new process (module init, as a cold start). */
function initMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const times = Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env }).toString().trim()));
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
}

export async function benchBundles() {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bundles-'));
  try {
    const emptyEntry = join(dir, 'empty.ts');
    writeFileSync(emptyEntry, 'export const handler = async () => ({ statusCode: 200 });\n');
    const emptySize = await bundle(emptyEntry, join(dir, 'empty.mjs'));
    const emptyInit = initMs(join(dir, 'empty.mjs'));
    const rows: string[] = [];
    for (const fn of topology) {
      const out = join(dir, `${fn.name}.mjs`);
      const size = await bundle(join(repoRoot, fn.entry), out);
      const init = initMs(out);
      rows.push(`| ${fn.name} | ${(size / 1024).toFixed(0)} KB | ${(size / emptySize).toFixed(0)}× | ${init.toFixed(0)} ms | ${(init / emptyInit).toFixed(1)}× |`);
    }
    console.log(`\n| function | bundle | vs empty | init (median of ${RUNS}) | vs empty |\n| --- | ---: | ---: | ---: | ---: |`);
    console.log(`| (empty handler) | ${(emptySize / 1024).toFixed(1)} KB | 1× | ${emptyInit.toFixed(1)} ms | 1.0× |`);
    for (const r of rows) console.log(r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
