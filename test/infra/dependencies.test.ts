import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot as root, sourceFiles } from '../support/source-files.ts';

/** Subpath imports (package.json `imports`), as folders of the repository. */
const subpaths: Record<string, string> = { '#events/': 'events/', '#shared/': 'functions/shared/', '#infra/': 'infra/' };

interface Import {
  readonly file: string;
  /** What the import names, as written. */
  readonly target: string;
  /** The file it names, relative to the repository root; undefined for a package. */
  readonly resolved?: string;
}

function resolveImport(file: string, target: string): string | undefined {
  if (target.startsWith('.')) return relative(root, resolve(root, dirname(file), target));
  const alias = Object.keys(subpaths).find((a) => target.startsWith(a));
  return alias ? `${subpaths[alias]}${target.slice(alias.length)}` : undefined;
}

/** The imports (static, dynamic, type-only and re-exports) of every source file under a folder. */
function importsUnder(folder: string): Import[] {
  return sourceFiles(folder).flatMap((file) =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => {
      const target = m[1] ?? '';
      const resolved = resolveImport(file, target);
      return { file, target, ...(resolved ? { resolved } : {}) };
    }),
  );
}

/** The capability a file belongs to: its first folder under functions/ (`shared` and files at the top are none). */
export function capabilityOf(path: string | undefined): string | undefined {
  const m = /^functions\/([^/]+)\//.exec(path ?? '');
  return m && m[1] !== 'shared' ? m[1] : undefined;
}

/**
 * Every cycle between capabilities, each once, as the capabilities in order and, for each
 * step, one import that makes it: `cases → enforcement → cases (functions/cases/pages.ts
 * imports ../enforcement/record-action.ts; …)`.
 */
export function capabilityCycles(imports: readonly Import[]): string[] {
  const edges = new Map<string, Map<string, Import>>();
  for (const i of imports) {
    const from = capabilityOf(i.file);
    const to = capabilityOf(i.resolved);
    if (!from || !to || from === to) continue;
    const out = edges.get(from) ?? new Map<string, Import>();
    if (!out.has(to)) out.set(to, i);
    edges.set(from, out);
  }
  const cycles = new Map<string, string>();
  const walk = (path: readonly string[]) => {
    const here = path.at(-1) ?? '';
    for (const next of edges.get(here)?.keys() ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = path.slice(at);
        // One name per cycle, whichever capability it was entered from.
        const first = loop.indexOf([...loop].sort()[0] ?? '');
        const turned = [...loop.slice(first), ...loop.slice(0, first)];
        const steps = turned.map((c, k) => edges.get(c)?.get(turned[(k + 1) % turned.length] ?? ''));
        cycles.set(turned.join(' → '), `${[...turned, turned[0]].join(' → ')} (${steps.map((s) => `${s?.file} imports ${s?.target}`).join('; ')})`);
      } else walk([...path, next]);
    }
  };
  for (const start of edges.keys()) walk([start]);
  return [...cycles.values()].sort();
}

describe('infra: dependencies point one way (infra → functions → events)', () => {
  it('has nothing under functions/, web/ or events/ import infra/', () => {
    const offending = ['functions', 'web', 'events']
      .flatMap((folder) => importsUnder(folder))
      .filter(({ target }) => target.startsWith('#infra/') || /(^|\/)infra\//.test(target));
    expect(offending).toEqual([]);
  });

  it('has nothing under events/ import functions/', () => {
    const offending = importsUnder('events').filter(({ target }) => target.startsWith('#shared/') || target.includes('functions/'));
    expect(offending).toEqual([]);
  });

  it('has functions/shared import no capability', () => {
    const offending = importsUnder('functions/shared').filter(({ resolved }) => resolved?.startsWith('functions/') && !resolved.startsWith('functions/shared/'));
    expect(offending).toEqual([]);
  });

  it('has no import cycle between capabilities (the folders under functions/)', () => {
    expect(capabilityCycles(importsUnder('functions'))).toEqual([]);
  });
});

describe('infra: the cycle check catches a cycle', () => {
  const imports = (pairs: [string, string][]): Import[] =>
    pairs.map(([file, resolved]) => ({ file, target: `./${resolved}`, resolved }));

  it('names each step of a two-capability cycle once, with an import that makes it', () => {
    const found = capabilityCycles(
      imports([
        ['functions/enforcement/actions-api.ts', 'functions/cases/deps.ts'],
        ['functions/cases/pages.ts', 'functions/enforcement/record-action.ts'],
        ['functions/cases/case-model.ts', 'functions/shared/london-time.ts'],
      ]),
    );
    expect(found).toEqual([
      'cases → enforcement → cases (functions/cases/pages.ts imports ./functions/enforcement/record-action.ts; functions/enforcement/actions-api.ts imports ./functions/cases/deps.ts)',
    ]);
  });

  it('finds a longer cycle and leaves one-way arrows and shared code alone', () => {
    expect(
      capabilityCycles(
        imports([
          ['functions/a/x.ts', 'functions/b/y.ts'],
          ['functions/b/y.ts', 'functions/c/z.ts'],
          ['functions/c/z.ts', 'functions/a/w.ts'],
          ['functions/d/v.ts', 'functions/a/x.ts'],
          ['functions/shared/s.ts', 'functions/d/v.ts'],
          ['functions/d/v.ts', 'functions/shared/s.ts'],
        ]),
      ).map((c) => c.split(' (')[0]),
    ).toEqual(['a → b → c → a']);
  });
});
