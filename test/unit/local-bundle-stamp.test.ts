import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_DIR, BUNDLE_ENTRY, currentBundle, CURRENT_FILE, hashOf } from '../../infra/local/bundle-stamp.js';
import type { Stamp } from '../../infra/local/bundle-stamp.js';

/** `npm start` runs its bundle only while every file the bundle was built from is as it was (start.js). */
describe('the bundle npm start runs: is it current?', () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const build = (id: string, stamp: Partial<Stamp> = {}) => {
    const files = { 'infra/local/main.ts': hashOf('main v1'), 'web/templates/page.njk': hashOf('page v1') };
    write(`${BUNDLE_DIR}/${id}/stamp.json`, JSON.stringify({ root, files, folders: { 'web/templates': ['page.njk'] }, ...stamp }));
    write(`${BUNDLE_DIR}/${CURRENT_FILE}`, id);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sc-bundle-stamp-'));
    write('infra/local/main.ts', 'main v1');
    write('web/templates/page.njk', 'page v1');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is the current build while nothing it was built from changed', () => {
    build('a1');
    expect(currentBundle(root)).toBe(join(root, BUNDLE_DIR, 'a1', BUNDLE_ENTRY));
  });

  it('is none before the first build (npm ci && npm start builds it)', () => {
    expect(currentBundle(root)).toBeUndefined();
  });

  it('is none when a source changed, even to the same size', () => {
    build('a1');
    write('infra/local/main.ts', 'main v2');
    expect(currentBundle(root)).toBeUndefined();
  });

  it('is none when a source is gone', () => {
    build('a1');
    rmSync(join(root, 'web/templates/page.njk'));
    expect(currentBundle(root)).toBeUndefined();
  });

  it('is none when a file was added to a folder of inputs (an image, a template)', () => {
    build('a1');
    write('web/templates/new.njk', 'new');
    expect(currentBundle(root)).toBeUndefined();
  });

  it('is none when the build was made in another checkout (source paths are written into it)', () => {
    build('a1', { root: '/elsewhere' });
    expect(currentBundle(root)).toBeUndefined();
  });

  it('follows the current pointer to the newest build', () => {
    build('a1', { files: { 'infra/local/main.ts': hashOf('main v0') } });
    build('b2');
    expect(currentBundle(root)).toBe(join(root, BUNDLE_DIR, 'b2', BUNDLE_ENTRY));
  });
});
