import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.ts';
import groupIndex from '../../web/generated/templates/groups.js';
import '../../web/generated/templates/report.js'; // this file loads the report group (and shared), nothing else
import { templateGroups } from '../../web/build.ts';
import { page, render } from '../../web/render.ts';

/**
 * A function's bundle carries only the template groups its code imports
 * (web/generated/templates/<group>.js), so a page that names a template of a group its
 * function does not import fails on AWS, while locally (every function in one process) some
 * other function may have loaded it. These catch that before it ships.
 */

const usesShared = new Map(templateGroups().map((g) => [g.name, g.usesShared]));

/** Template names in quotes in a bundle's own code (the generated group modules left out). */
const namedTemplates = (code: string) => [...new Set([...code.matchAll(/["'`]((?:[\w-]+\/)*[\w-]+\.njk)["'`]/g)].map((m) => m[1] ?? ''))];

/** The groups a bundle imports, with shared when one of them extends the layout. */
function loadedGroups(code: string): Set<string> {
  const imported = [...code.matchAll(/generated\/templates\/([\w-]+)\.js["']/g)].map((m) => m[1] ?? '').filter((g) => g !== 'groups');
  return new Set([...imported, ...(imported.some((g) => usesShared.get(g)) ? ['shared'] : [])]);
}

/** What a bundle names that its groups do not carry: `funding/index.njk (group funding)`. */
function uncovered(code: string): string[] {
  const loaded = loadedGroups(code);
  return namedTemplates(code)
    .filter((name) => !loaded.has(groupIndex[name] ?? ''))
    .map((name) => `${name} (${groupIndex[name] ? `group ${groupIndex[name]}` : 'no such template'})`);
}

/** The generated group modules stay imports in the output, so the bundle's code shows which it loads. */
const groupsExternal: Plugin = {
  name: 'template-groups-external',
  setup(b) {
    b.onResolve({ filter: /generated\/templates\/[\w-]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

describe('unit: template groups', () => {
  it('renders a template of a group the module imports', () => {
    expect(render('report/accessibility.njk')).toContain('Accessibility statement');
    expect(page('errors/problem.njk', { heading: 'Test', message: 'shared comes with report' }).statusCode).toBe(200);
  });

  it('names the group to import when a template of a group the function did not load is rendered', () => {
    expect(() => page('funding/index.njk')).toThrow(
      /^template funding\/index\.njk is in the template group "funding", which this function does not load: add import '…\/web\/generated\/templates\/funding\.js' to the module that renders it/,
    );
    expect(() => render('kpis/dashboard.njk')).toThrow(/template group "kpis"/);
    expect(() => render('report/nothing.njk')).toThrow(/^no template report\/nothing\.njk/);
  });

  it('finds a template a bundle names but does not load', () => {
    const code = `import "../../web/generated/templates/report.js"; page("report/form.njk"); page('funding/index.njk'); render(\`errors/problem.njk\`); page("report/typo.njk");`;
    expect(uncovered(code)).toEqual(['funding/index.njk (group funding)', 'report/typo.njk (no such template)']);
    expect(uncovered(`import "./generated/templates/funding.js"; page('funding/index.njk');`)).toEqual([]);
  });

  it('every function imports the groups of the templates its code names', async () => {
    const { outputFiles } = await build({
      entryPoints: Object.fromEntries(topology.map((fn) => [fn.name, fn.entry])),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      outdir: 'out',
      write: false,
      plugins: [groupsExternal],
      logLevel: 'silent',
    });
    const byFunction = Object.fromEntries(outputFiles.map((f) => [f.path.replace(/^.*\/out\/|\.js$/g, ''), f.text]));
    expect(Object.keys(byFunction).sort()).toEqual(topology.map((fn) => fn.name).sort());
    const missing = Object.fromEntries(Object.entries(byFunction).flatMap(([name, code]) => (uncovered(code).length > 0 ? [[name, uncovered(code)]] : [])));
    expect(missing).toEqual({});
    // The check sees the pages: these name templates and import their groups.
    for (const name of ['ReportIntake', 'OfficerPages', 'KpiPages', 'NotFound']) expect(namedTemplates(byFunction[name] ?? '')).not.toEqual([]);
    expect(loadedGroups(byFunction.OfficerHome ?? '')).toEqual(new Set(['officer', 'shared']));
  }, 120_000);
});
