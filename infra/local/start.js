// Plain JavaScript: `npm start` is `node infra/local/start.js`, with no TypeScript loader.
/**
 * `npm start`: runs the bundle of infra/local/main.ts (infra/local/bundle.ts), building it
 * first when it is missing or any file it was built from changed (bundle-stamp.js: every
 * source hashed, a few tens of milliseconds). The build runs under tsx in a process of its
 * own, so this one never loads tsx. Arguments pass through: `npm start -- --empty`. Stack
 * traces name the bundle's chunks; `NODE_OPTIONS=--enable-source-maps npm start` maps them to
 * the sources (the build writes linked source maps; off by default, as reading them costs).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE_DYNALITE_WORKER, BUNDLE_ENTRY, currentBundle } from './bundle-stamp.js';

// Before any AWS SDK module loads: its "will require node >=22" notice is about Lambda's runtime, not this machine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let entry = currentBundle(root);
if (!entry) {
  const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'infra/local/bundle.ts')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  entry = currentBundle(root);
  if (!entry) throw new Error('infra/local/bundle.ts built a bundle that is not current: a source changed during the build? Start again.');
}
// dynalite's worker thread, built beside main.js (stores.ts starts it from this file).
process.env.SC_DYNALITE_WORKER = join(entry.slice(0, -BUNDLE_ENTRY.length), BUNDLE_DYNALITE_WORKER);
await import(pathToFileURL(entry).href);
