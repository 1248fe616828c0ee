/**
 * Builds web/generated/ (a build output, not committed): the Nunjucks templates (ours and
 * govuk-frontend's) compiled to JavaScript, one module per template group
 * (templates/<group>.js: a folder of web/templates, or `shared` for the layout, partials and
 * error page), and the static assets (CSS, JS, icons) with content-hashed names
 * (asset-paths.js: the names alone, so pages do not carry the bodies). Functions import the
 * generated modules, so a Lambda bundle needs no
 * template files, no file system and no node_modules at run time; locally the same modules
 * are used.
 *
 *   npm run build:web                  build if any source changed since the last build
 *   npx tsx web/build.ts --force       build whatever the stamp says
 *
 * Everything that loads the modules builds first: npm start (infra/local/main.ts calls
 * buildWeb), typecheck, bench (npm pre/&& scripts), the tests (vitest globalSetup) and cdk
 * synth (cdk.json's app command).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const webDir = dirname(fileURLToPath(import.meta.url));
const root = join(webDir, '..');
const govukDir = join(root, 'node_modules/govuk-frontend/dist/govuk');
const generatedDir = join(webDir, 'generated');
/** Hash of every input of the last build: when it matches, building again is skipped. */
const stampFile = join(generatedDir, '.inputs');

interface Compiler {
  compile(src: string, asyncFilters: string[], extensions: unknown[], name: string, opts: Record<string, unknown>): string;
}

function walk(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry);
      return statSync(full).isDirectory() ? walk(full, suffix) : full.endsWith(suffix) ? [full] : [];
    });
}

const toName = (base: string, file: string, prefix = '') => prefix + relative(base, file).split(sep).join('/');

const references = /\{%-?\s*(?:from|import|include|extends)\s+["']([^"']+)["']/g;

/**
 * The group a template of ours is built into: `<dir>/…` → `<dir>` (one group per folder of
 * web/templates), and the page shell every page extends — `layout.njk`, `partials/`,
 * `errors/` — → `shared`.
 */
function groupOf(name: string): string {
  const [dir] = name.split('/');
  return !name.includes('/') || dir === 'partials' || dir === 'errors' ? 'shared' : (dir ?? 'shared');
}

interface TemplateGroup {
  readonly name: string;
  /** Template name → source: the group's own templates, then the govuk-frontend ones they use that `shared` does not carry. */
  readonly sources: Map<string, string>;
  /** Whether its templates use `shared` (extend the layout, import a partial): then its module imports shared's. */
  readonly usesShared: boolean;
}

/**
 * Our templates in groups, each with the govuk-frontend templates it uses (followed through
 * imports, includes and extends), by the names pages use: `report/form.njk`,
 * `govuk/components/radios/macro.njk`. A function's bundle carries only the groups its code
 * imports, and unused govuk components stay out of every bundle. A group's templates may use
 * their own group's and `shared`'s; one that uses another group's is refused here.
 */
export function templateGroups(): TemplateGroup[] {
  const templatesDir = join(webDir, 'templates');
  const available = new Map<string, string>([
    ...walk(govukDir, '.njk').map((f) => [toName(govukDir, f, 'govuk/'), f] as const),
    ...walk(templatesDir, '.njk').map((f) => [toName(templatesDir, f), f] as const),
  ]);
  const ours = [...available.keys()].filter((n) => !n.startsWith('govuk/'));
  const names = ['shared', ...new Set(ours.map(groupOf).filter((g) => g !== 'shared'))];
  const sharedNames = new Set<string>();
  return names.map((group) => {
    const sources = new Map<string, string>();
    let usesShared = false;
    const visit = (name: string, from: string) => {
      if (sources.has(name)) return;
      if (group !== 'shared' && !name.startsWith('govuk/') && groupOf(name) !== group) {
        if (groupOf(name) !== 'shared') throw new Error(`${from} uses ${name}, a template of group "${groupOf(name)}": a group's templates may use only their own group's and shared's (layout.njk, partials/, errors/)`);
        usesShared = true;
        return;
      }
      if (group !== 'shared' && sharedNames.has(name)) return; // shared carries it
      const file = available.get(name);
      if (!file) throw new Error(`${from} uses template ${name}, which does not exist`);
      const src = readFileSync(file, 'utf8');
      sources.set(name, src);
      for (const [, ref = ''] of src.matchAll(references)) {
        visit(ref.startsWith('./') || ref.startsWith('../') ? posix.join(posix.dirname(name), ref) : ref, name);
      }
    };
    for (const name of ours.filter((n) => groupOf(n) === group)) visit(name, name);
    if (group === 'shared') for (const name of sources.keys()) sharedNames.add(name);
    return { name: group, sources: new Map([...sources].sort(([a], [b]) => a.localeCompare(b))), usesShared };
  });
}

/** The module of one group: registers its compiled templates (web/template-groups.ts) when imported. */
function compileGroup(group: TemplateGroup): string {
  // Loaded only when building, so the up-to-date check stays quick.
  const compiler = require('nunjucks/src/compiler') as Compiler;
  const entries = [...group.sources].map(([name, src]) => {
    const code = compiler.compile(src, [], [], name, {});
    return `  ${JSON.stringify(name)}: (function () {\n${code}\n})(),`;
  });
  return [
    `// Generated by web/build.ts from web/templates${group.name === 'shared' ? ' (layout.njk, partials/, errors/)' : `/${group.name}/`} and govuk-frontend: do not edit.`,
    '/* eslint-disable */',
    "import { addTemplates } from '../../template-groups.ts';",
    ...(group.usesShared ? ["import './shared.js';"] : []),
    `addTemplates(${JSON.stringify(group.name)}, {`,
    ...entries,
    '});',
    '',
  ].join('\n');
}

/** Which group each of our templates is in, for the error that names the group a function forgot to import. */
function compileGroupIndex(groups: readonly TemplateGroup[]): string {
  const lines = groups.flatMap((g) => [...g.sources.keys()].filter((n) => !n.startsWith('govuk/')).map((n) => `  ${JSON.stringify(n)}: ${JSON.stringify(g.name)},`));
  return ['// Generated by web/build.ts from web/templates: do not edit.', 'export default {', ...lines, '};', ''].join('\n');
}

const hash = (data: Buffer | string) => createHash('sha256').update(data).digest('hex').slice(0, 12);

/**
 * govuk-frontend's CSS with a system font stack in place of GDS Transport (a council
 * service may not use the GOV.UK font) and without its @font-face rules, then ours.
 */
function stylesheet(): string {
  const govuk = readFileSync(join(govukDir, 'govuk-frontend.min.css'), 'utf8')
    .replace(/@font-face\{[^}]*\}/g, '')
    .replaceAll('font-family:GDS Transport,arial,sans-serif', 'font-family:var(--sc-font-family)')
    .replaceAll('font-family:GDS Transport', 'font-family:var(--sc-font-family)');
  if (govuk.includes('GDS Transport') || govuk.includes('/assets/fonts/')) {
    throw new Error('govuk-frontend CSS still names GDS Transport: update the font replacement in web/build.ts');
  }
  return `${govuk}\n${readFileSync(join(webDir, 'assets/app.css'), 'utf8')}`;
}

async function script(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(webDir, 'assets/app.js')],
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output for web/assets/app.js');
  return file.text;
}

interface Asset {
  file: string;
  type: string;
  body: Buffer;
}

async function assets(): Promise<Asset[]> {
  const images = readdirSync(join(webDir, 'assets/images'))
    .sort()
    .map((f) => ({
      file: `images/${f}`,
      type: f.endsWith('.svg') ? 'image/svg+xml' : f.endsWith('.png') ? 'image/png' : 'application/octet-stream',
      body: readFileSync(join(webDir, 'assets/images', f)),
    }));
  return [
    { file: 'app.css', type: 'text/css; charset=utf-8', body: Buffer.from(stylesheet()) },
    { file: 'app.js', type: 'text/javascript; charset=utf-8', body: Buffer.from(await script()) },
    ...images,
  ];
}

/** `app.css` is served as `app.<hash>.css`, cacheable for a year. */
const hashedName = (file: string, body: Buffer) => file.replace(/(\.[a-z0-9]+)$/, `.${hash(body)}$1`);

function compileAssets(list: readonly Asset[]): string {
  const lines = list.map((a) => {
    const text = a.type.startsWith('text/') || a.type.startsWith('image/svg');
    const body = text ? JSON.stringify(a.body.toString('utf8')) : JSON.stringify(a.body.toString('base64'));
    return `  ${JSON.stringify(a.file)}: { path: ${JSON.stringify(hashedName(a.file, a.body))}, type: ${JSON.stringify(a.type)}, encoding: ${JSON.stringify(text ? 'utf8' : 'base64')}, body: ${body} },`;
  });
  return ['// Generated by web/build.ts from web/assets and govuk-frontend: do not edit.', 'export default {', ...lines, '};', ''].join('\n');
}

/** Just the hashed names, for the pages: only StaticAssets carries the bodies. */
function compileAssetPaths(list: readonly Asset[]): string {
  const lines = list.map((a) => `  ${JSON.stringify(a.file)}: ${JSON.stringify(hashedName(a.file, a.body))},`);
  return ['// Generated by web/build.ts from web/assets: do not edit.', 'export default {', ...lines, '};', ''].join('\n');
}

/** Types for the generated modules: tsc reads these, so `typecheck` builds first too. */
const declarations = {
  'assets.d.ts': "declare const assets: Record<string, { path: string; type: string; encoding: 'utf8' | 'base64'; body: string }>;\nexport default assets;\n",
  'asset-paths.d.ts': 'declare const assetPaths: Record<string, string>;\nexport default assetPaths;\n',
  'templates/groups.d.ts': 'declare const groups: Record<string, string>;\nexport default groups;\n',
};

export async function generate(): Promise<Record<string, string>> {
  const header = '// Generated by web/build.ts: do not edit.\n';
  const list = await assets();
  const groups = templateGroups();
  return {
    ...Object.fromEntries(groups.map((g) => [`templates/${g.name}.js`, compileGroup(g)])),
    // A group's module is imported for what it registers: it exports nothing.
    ...Object.fromEntries(groups.map((g) => [`templates/${g.name}.d.ts`, `${header}export {};\n`])),
    'templates/groups.js': compileGroupIndex(groups),
    'assets.js': compileAssets(list),
    'asset-paths.js': compileAssetPaths(list),
    ...Object.fromEntries(Object.entries(declarations).map(([name, text]) => [name, header + text])),
  };
}

export function staleFiles(files: Record<string, string>): string[] {
  return Object.entries(files)
    .filter(([name, content]) => {
      const path = join(generatedDir, name);
      return !existsSync(path) || readFileSync(path, 'utf8') !== content;
    })
    .map(([name]) => name);
}

/**
 * Everything the output depends on: our templates and assets, this file, and the installed
 * govuk-frontend (by version: its files change only with it). Cheap next to a build.
 */
export function inputsHash(): string {
  const h = createHash('sha256');
  const files = inputFiles();
  for (const file of files.slice(0, -2)) h.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const file of files.slice(-2)) h.update(readFileSync(file));
  return h.digest('hex');
}

/** The files web/generated is built from (inputsHash): this file, the templates and assets, then govuk-frontend's and nunjucks' package.json. */
export function inputFiles(): string[] {
  return [
    fileURLToPath(import.meta.url),
    ...walk(join(webDir, 'templates'), ''),
    ...walk(join(webDir, 'assets'), ''),
    join(govukDir, '../../package.json'),
    require.resolve('nunjucks/package.json'),
  ];
}

/**
 * Builds web/generated/ unless the last build had the same inputs. Each file is written
 * to a temporary name and renamed, and the stamp (the inputs' hash and the files written)
 * last, so a reader (another test run, an interrupted build) never sees a half-written module
 * taken for a fresh one. Files an earlier build wrote and this one does not are removed.
 */
export async function buildWeb(options: { force?: boolean } = {}): Promise<{ built: boolean }> {
  const inputs = inputsHash();
  const [stamped = '', ...names] = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').split('\n') : [];
  const fresh = stamped === inputs && names.length > 0 && names.every((n) => existsSync(join(generatedDir, n)));
  if (fresh && !options.force) return { built: false };
  mkdirSync(join(generatedDir, 'templates'), { recursive: true });
  const files = await generate();
  const written = Object.keys(files).sort();
  for (const [name, content] of [...Object.entries(files), ['.inputs', [inputs, ...written].join('\n')] as const]) {
    const path = join(generatedDir, name);
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    writeFileSync(temp, content);
    renameSync(temp, path);
  }
  // What an earlier build wrote and this one did not (a group whose folder is gone, the one templates.js of before).
  for (const old of walk(generatedDir, '').map((f) => toName(generatedDir, f)).filter((f) => !basename(f).startsWith('.') && !written.includes(f))) {
    rmSync(join(generatedDir, old));
  }
  return { built: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { built } = await buildWeb({ force: process.argv.includes('--force') });
  // stderr: stdout may be a CDK app's or a test reporter's.
  if (built) console.error('web/generated: built templates/<group>.js, assets.js, asset-paths.js and their types');
}
