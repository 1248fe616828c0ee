import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localBucketName } from '#infra/local/stores';
import { startTestStack } from '../support/local-stack.ts';

describe('integration: stopping the local stack', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-stop-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('lets a delivery under way finish its writes before the stores stop', { timeout: 60_000 }, async () => {
    let started = () => {};
    const writerStarted = new Promise<void>((resolve) => (started = resolve));
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const stack = await startTestStack({
      stateDir,
      wrapInvoke: (spec, invoke) =>
        spec.name !== 'KpiExportWriter'
          ? invoke
          : async (event) => {
              started();
              await held;
              return invoke(event);
            },
    });
    try {
      const res = await stack.request('POST', '/kpis/exports', { role: 'officer', json: { from: '2024-04-01', to: '2024-04-30' } });
      expect(res.status).toBe(202);
      await writerStarted;
    } finally {
      // Stopped while KpiExportWriter is under way; it goes on a moment later.
      const stopping = stack.dispose();
      setTimeout(release, 100);
      await stopping;
    }
    // What it wrote is on disk: the stores stopped after it, not under it.
    const dir = join(stateDir, 's3', localBucketName('ExportsBucket'), 'kpis', '2024-04-01_2024-04-30');
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('._S3rver_object')).sort()).toEqual(['kpis.csv._S3rver_object', 'kpis.html._S3rver_object', 'kpis.json._S3rver_object']);
  });
});
