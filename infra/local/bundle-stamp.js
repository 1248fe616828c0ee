// Plain JavaScript: start.js runs it with no loader, before any TypeScript is compiled.
/**
 * Where `npm start`'s bundle lives and whether it is current (infra/local/bundle.ts builds it,
 * infra/local/start.js runs it). Each build is a folder .build/local/<id>/ with a stamp.json
 * naming every file it was built from and its hash; .build/local/current names the newest.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BUNDLE_DIR = '.build/local';
export const CURRENT_FILE = 'current';
export const BUNDLE_ENTRY = 'infra/local/main.js';
/** dynalite's worker thread (dynalite-worker.ts), an entry of its own beside main.js: start.js names it to stores.ts in SC_DYNALITE_WORKER. */
export const BUNDLE_DYNALITE_WORKER = 'infra/local/dynalite-worker.js';

/** @param {Uint8Array | string} data */
export const hashOf = (data) => createHash('sha1').update(data).digest('hex');

const sameList = (/** @type {readonly string[]} */ a, /** @type {readonly string[]} */ b) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The current build's entry (an absolute path) when every file its stamp names still has the
 * hash it was built from and every folder it lists has the same files; undefined when there is
 * no build or anything changed.
 * @param {string} root the repository
 * @returns {string | undefined}
 */
export function currentBundle(root) {
  try {
    const dir = join(root, BUNDLE_DIR, readFileSync(join(root, BUNDLE_DIR, CURRENT_FILE), 'utf8').trim());
    /** @type {import('./bundle-stamp.js').Stamp} */
    const stamp = JSON.parse(readFileSync(join(dir, 'stamp.json'), 'utf8'));
    if (stamp.root !== root) return undefined;
    for (const [file, hash] of Object.entries(stamp.files)) if (hashOf(readFileSync(join(root, file))) !== hash) return undefined;
    for (const [folder, names] of Object.entries(stamp.folders)) if (!sameList(readdirSync(join(root, folder)).sort(), names)) return undefined;
    return join(dir, BUNDLE_ENTRY);
  } catch {
    // No build yet, a file gone: build.
    return undefined;
  }
}
