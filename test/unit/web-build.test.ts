import { describe, expect, it } from 'vitest';
import assetPaths from '../../web/generated/asset-paths.js';
import assets from '../../web/generated/assets.js';
import templates from '../../web/generated/templates.js';
import { buildWeb, generate, staleFiles } from '../../web/build.ts';

describe('unit: web build (web/generated)', () => {
  // The vitest globalSetup built it: a stamp that missed an input would leave it stale here.
  it('matches a fresh build and skips building again when no source changed since the last build', async () => {
    expect(staleFiles(await generate())).toEqual([]);
    expect(await buildWeb()).toEqual({ built: false });
  });

  it('compiles our templates and only the govuk-frontend templates they use', () => {
    const names = Object.keys(templates);
    expect(names).toEqual(expect.arrayContaining(['layout.njk', 'report/form.njk', 'govuk/template.njk', 'govuk/components/radios/template.njk']));
    expect(names).not.toContain('govuk/components/accordion/template.njk');
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
