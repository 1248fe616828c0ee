/**
 * The bundle `npm start` runs (infra/local/start.js): infra/local/main.ts and every topology
 * function, compiled by esbuild into plain ES modules under .build/local/<id>/, so Node loads
 * them without tsx's loader (on Node 20 a loader thread every module, node_modules included,
 * goes through). node_modules stay outside the bundle (`packages: 'external'`), imported as
 * usual; each function is a chunk of its own (code splitting), loaded on its first call as
 * under tsx (function-modules.ts is swapped for a map of the chunks' `import()`s).
 *
 * stamp.json beside the bundle names every file it was built from with its hash: the
 * bundle's sources (esbuild's metafile, web/generated included), what web/generated is
 * built from (web/build.ts: its templates, assets and the installed govuk-frontend and
 * nunjucks), the folders of those (a file added), package.json and tsconfig.json.
 * start.js checks that stamp (plain Node: read and hash) and runs this file only when a file
 * changed: `npm ci && npm start` builds on the first start.
 *
 *   npx tsx infra/local/bundle.ts      build (web/generated first, if its inputs changed)
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildWeb, inputFiles as webInputFiles } from '../../web/build.ts';
import { topology } from '../topology.ts';
import { BUNDLE_DIR, BUNDLE_DYNALITE_WORKER, BUNDLE_ENTRY, CURRENT_FILE, hashOf, type Stamp } from './bundle-stamp.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const here = (file: string) => join(root, 'infra/local', file);
/** Builds other than the newest (and builds left half-done): removed once this old, so a stack still running from one can load its functions' chunks. */
const KEEP_OLD_BUILDS_MS = 24 * 60 * 60_000;

const toPosix = (path: string) => path.split(sep).join('/');

/**
 * Each module keeps its own `import.meta.url` (stack.ts's repoRoot, web/build.ts's folders):
 * the source file's URL, written in, not the chunk's.
 */
const sourceUrls: Plugin = {
  name: 'source-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return {
        contents: source.replaceAll('import.meta.url', url).replaceAll('import.meta.filename', JSON.stringify(args.path)).replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path))),
        loader: 'ts',
      };
    });
  },
};

/** function-modules.ts, bundled: each topology entry's `import()`, so esbuild makes it a lazily loaded chunk. */
const functionChunks = (entries: readonly string[]): Plugin => ({
  name: 'function-chunks',
  setup(b) {
    b.onLoad({ filter: /[\\/]infra[\\/]local[\\/]function-modules\.ts$/ }, () => ({
      resolveDir: here(''),
      loader: 'ts',
      contents: [
        "import { importFunction as bySource } from './function-modules.source.ts';",
        'const chunks: Record<string, () => Promise<{ handler?: unknown }>> = {',
        ...entries.map((e) => `  ${JSON.stringify(e)}: () => import(${JSON.stringify(`../../${e}`)}),`),
        '};',
        `const root = ${JSON.stringify(root)};`,
        'export const importFunction = (from: string, entry: string) => (from === root && chunks[entry] ? chunks[entry]() : bySource(from, entry));',
      ].join('\n'),
    }));
    // The original, for an entry that is not in the topology.
    b.onResolve({ filter: /^\.\/function-modules\.source\.ts$/ }, () => ({ path: here('function-modules.ts'), namespace: 'function-modules-source' }));
    b.onLoad({ filter: /.*/, namespace: 'function-modules-source' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'ts', resolveDir: here('') }));
  },
});

/** The folders the files are in, for the stamp's listings (a file added there is a change). */
const folders = (files: readonly string[]) => [...new Set(files.map((f) => dirname(f)))].sort();

/**
 * How our TypeScript is bundled to run on plain Node here (bench/startup.ts bundles the stores
 * alone the same way): ES modules, node_modules left to Node, paths relative to the repository.
 */
export const nodeBundle = {
  absWorkingDir: root,
  outbase: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Class and function names as in the source (error names, logs), where bundling would rename a clash.
  keepNames: true,
  sourcemap: 'linked',
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** Builds the bundle (web/generated first) and makes it current; returns where it is. */
export async function bundleLocal(): Promise<{ dir: string; ms: number }> {
  const started = performance.now();
  await buildWeb();
  const entries = [...new Set(topology.map((f) => f.entry))].sort();
  const buildsDir = join(root, BUNDLE_DIR);
  const temp = join(buildsDir, `.tmp-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  const result = await build({
    ...nodeBundle,
    // dynalite's worker thread is an entry of its own (stores.ts starts it from the file start.js names).
    entryPoints: [here('main.ts'), here('dynalite-worker.ts')],
    outdir: temp,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // main.ts: web/generated is built before bundling, not at each start.
    define: { 'process.env.SC_LOCAL_BUNDLE': '"yes"' },
    plugins: [functionChunks(entries), sourceUrls],
    metafile: true,
  });
  // Each function a chunk of its own, loaded on its first call, as the invoker loads a source module.
  const chunked = new Set(Object.values(result.metafile.outputs).flatMap((o) => (o.entryPoint ? [o.entryPoint] : [])));
  const missing = entries.filter((e) => !chunked.has(e));
  if (missing.length > 0) throw new Error(`the bundle has no chunk of its own for ${missing.join(', ')}`);
  for (const file of [BUNDLE_ENTRY, BUNDLE_DYNALITE_WORKER]) if (!existsSync(join(temp, file))) throw new Error(`the bundle has no ${file}`);
  const sources = Object.keys(result.metafile.inputs)
    .filter((f) => !f.includes(':'))
    .map((f) => resolve(root, f));
  const watched = [...new Set([...sources, ...webInputFiles(), here('bundle.ts'), here('bundle-stamp.js'), join(root, 'package.json'), join(root, 'tsconfig.json')])].sort();
  const stamp: Stamp = {
    root,
    files: Object.fromEntries(watched.map((f) => [toPosix(relative(root, f)), hashOf(readFileSync(f))])),
    folders: Object.fromEntries(folders(webInputFiles().filter((f) => f.startsWith(join(root, 'web', 'templates', sep)) || f.startsWith(join(root, 'web', 'assets', sep)))).map((d) => [toPosix(relative(root, d)), readdirSync(d).sort()])),
  };
  const id = hashOf(Buffer.from(JSON.stringify(stamp))).slice(0, 16);
  const dir = join(buildsDir, id);
  writeFileSync(join(temp, 'stamp.json'), `${JSON.stringify(stamp, null, 1)}\n`);
  // The same inputs built before (another start at the same time): keep that one, a stack may be running from it.
  if (existsSync(join(dir, 'stamp.json'))) rmSync(temp, { recursive: true, force: true });
  else renameSync(temp, dir);
  // The pointer last: a start that reads it finds a whole build.
  const pointer = join(buildsDir, CURRENT_FILE);
  writeFileSync(`${pointer}.${process.pid}.tmp`, id);
  renameSync(`${pointer}.${process.pid}.tmp`, pointer);
  for (const old of readdirSync(buildsDir)) {
    const path = join(buildsDir, old);
    if (old !== id && statSync(path).isDirectory() && Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
  }
  return { dir: join(dir, BUNDLE_ENTRY), ms: performance.now() - started };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { dir, ms } = await bundleLocal();
  console.error(`[local] bundled the local runtime for npm start in ${(ms / 1000).toFixed(1)} s: ${relative(root, dir)}`);
}
