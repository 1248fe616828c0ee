/**
 * How the local runtime loads a function's module: by its path, on its first call
 * (invoker.ts). Under tsx (tests, benches, scripts) that is a dynamic import of the source.
 * `npm start` runs a bundle (infra/local/bundle.ts), which swaps this module for one that
 * maps each topology entry to an `import()` of the bundle's own lazily loaded chunk; entries
 * outside that map (none there) come back here.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const importFunction = (root: string, entry: string): Promise<{ handler?: unknown }> => import(pathToFileURL(resolve(root, entry)).href);
