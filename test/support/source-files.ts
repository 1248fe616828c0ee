import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');

/** The TypeScript and JavaScript files under a folder of the repository (not generated code), relative to its root. */
export function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated' && entry.name !== 'node_modules') walk(path);
      } else if (/\.(ts|js)$/.test(entry.name)) found.push(relative(repoRoot, path));
    }
  };
  walk(join(repoRoot, folder));
  return found.sort();
}
