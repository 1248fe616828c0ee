import { describe, expect, it } from 'vitest';
import assetPaths from '../../web/generated/asset-paths.js';
import assets from '../../web/generated/assets.js';
import groupIndex from '../../web/generated/templates/groups.js';
import { buildWeb, generate, staleFiles, templateGroups } from '../../web/build.ts';

describe('unit: web build (web/generated)', () => {
  // The vitest globalSetup built it: a stamp that missed an input would leave it stale here.
  it('matches a fresh build and skips building again when no source changed since the last build', async () => {
    expect(staleFiles(await generate())).toEqual([]);
    expect(await buildWeb()).toEqual({ built: false });
  });

  it('compiles our templates and only the govuk-frontend templates they use, one group per folder', () => {
    const groups = new Map(templateGroups().map((g) => [g.name, g]));
    const names = (group: string) => [...(groups.get(group)?.sources.keys() ?? [])];
    expect([...groups.keys()]).toEqual(expect.arrayContaining(['shared', 'report', 'cases', 'funding', 'kpis']));
    expect(names('shared')).toEqual(expect.arrayContaining(['layout.njk', 'partials/csrf.njk', 'errors/problem.njk', 'govuk/template.njk', 'govuk/components/footer/template.njk']));
    // A group carries its folder and the govuk components it uses that shared does not carry.
    expect(names('report')).toEqual(expect.arrayContaining(['report/form.njk', 'govuk/components/radios/template.njk']));
    expect(names('report')).not.toContain('govuk/template.njk');
    expect(names('report')).not.toContain('layout.njk');
    expect(names('report').filter((n) => !n.startsWith('govuk/') && !n.startsWith('report/'))).toEqual([]);
    expect(groups.get('report')?.usesShared).toBe(true);
    for (const g of groups.values()) expect([...g.sources.keys()]).not.toContain('govuk/components/accordion/template.njk');
    expect(groupIndex['report/form.njk']).toBe('report');
    expect(groupIndex['layout.njk']).toBe('shared');
    expect(groupIndex['govuk/template.njk']).toBeUndefined();
  });

  it('serves a stylesheet with a system font and no GOV.UK typeface', () => {
    const css = assets['app.css']?.body ?? '';
    expect(css).toContain('--sc-font-family: system-ui');
    expect(css).not.toMatch(/GDS Transport|@font-face|\/assets\/fonts\//);
  });

  it('names each asset by a hash of its content', () => {
    for (const [file, asset] of Object.entries(assets)) {
      expect(asset.path).toMatch(/\.[0-9a-f]{12}\.[a-z0-9]+$/);
      expect(asset.path.replace(/\.[0-9a-f]{12}(\.[a-z0-9]+)$/, '$1')).toBe(file);
    }
  });

  it('gives pages the same hashed names without the bodies', () => {
    expect(assetPaths).toEqual(Object.fromEntries(Object.entries(assets).map(([file, asset]) => [file, asset.path])));
  });
});
