import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { officerPages, officerPhotos } from '../../functions/cases/capability.ts';
import { casePage } from '../../functions/enforcement/capability.ts';

/**
 * What a function's Lambda bundle carries decides most of its cold start (docs/benchmarks.md):
 * these keep out what a function never uses. Built as CDK's NodejsFunction builds it.
 */
async function inputsOf(entry: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    write: false,
    outfile: 'out.mjs',
    metafile: true,
    logLevel: 'silent',
  });
  // Inputs that left code in the output (the metafile also lists what tree shaking dropped).
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint);
  return Object.entries(output?.inputs ?? {})
    .filter(([, i]) => i.bytesInOutput > 0)
    .map(([file]) => file);
}

const fromPackage = (inputs: string[], name: string) => inputs.filter((f) => f.includes(`node_modules/${name}/`));

describe('unit: what function bundles carry', () => {
  it('leaves out the SDK clients a function does not use (shared/clients.ts)', async () => {
    const triage = await inputsOf('functions/cases/triage-api.ts'); // DynamoDB and the bus, no S3
    expect(fromPackage(triage, '@aws-sdk/client-dynamodb')).not.toEqual([]);
    expect(fromPackage(triage, '@aws-sdk/client-eventbridge')).not.toEqual([]);
    expect(fromPackage(triage, '@aws-sdk/client-s3')).toEqual([]);
    const reports = await inputsOf('functions/intake/reports-api.ts'); // DynamoDB only
    expect(fromPackage(reports, '@aws-sdk/client-eventbridge')).toEqual([]);
    expect(fromPackage(reports, '@aws-sdk/client-s3')).toEqual([]);
    const archiver = await inputsOf('functions/archive/archive-event.ts'); // stages in DynamoDB; no S3, no bus
    expect(fromPackage(archiver, '@aws-sdk/client-s3')).toEqual([]);
    expect(fromPackage(archiver, '@aws-sdk/client-eventbridge')).toEqual([]);
    const kpiQueries = await inputsOf('functions/kpis/queries-api.ts'); // counters only
    expect(fromPackage(kpiQueries, '@aws-sdk/client-s3')).toEqual([]);
    const officerHome = await inputsOf('functions/officer-home/pages.ts'); // reads cases (cases/deps.ts), puts no events
    expect(fromPackage(officerHome, '@aws-sdk/client-eventbridge')).toEqual([]);
    const compactor = await inputsOf('functions/archive/compact.ts'); // writes the day's group objects to S3
    expect(fromPackage(compactor, '@aws-sdk/client-s3')).not.toEqual([]);
  }, 120_000);

  it('leaves the S3 client to the KPI functions that write export files', async () => {
    // The export lists link to KpiExportDownload, which signs each download; the POST only asks
    // for an export (KpiExportWriter writes the files). So neither list carries S3 or the presigner.
    for (const entry of ['functions/kpis/pages.ts', 'functions/kpis/exports-api.ts']) {
      const inputs = await inputsOf(entry);
      expect(fromPackage(inputs, '@aws-sdk/client-s3'), entry).toEqual([]);
      expect(fromPackage(inputs, '@aws-sdk/s3-request-presigner'), entry).toEqual([]);
    }
    for (const entry of ['functions/kpis/export-writer.ts', 'functions/kpis/scheduled-exports.ts']) {
      expect(fromPackage(await inputsOf(entry), '@aws-sdk/client-s3'), entry).not.toEqual([]);
    }
    // The download signs with the presigner alone (functions/shared/s3-presign.ts), not the S3 client.
    const download = await inputsOf('functions/kpis/export-download-api.ts');
    expect(fromPackage(download, '@aws-sdk/client-s3')).toEqual([]);
    expect(fromPackage(download, '@aws-sdk/s3-request-presigner')).not.toEqual([]);
  }, 120_000);

  it('leaves the photo upload checks to the function that takes uploads (intake/photo-records.ts)', async () => {
    // The report form states the photo limits and the officer pages read the photo records;
    // only ReportConfirmation checks an uploaded file (image-size) and signs the upload form.
    for (const entry of ['functions/intake/receive-report.ts', 'functions/cases/pages.ts']) {
      const inputs = await inputsOf(entry);
      expect(fromPackage(inputs, 'image-size')).toEqual([]);
      expect(inputs).not.toContain('functions/intake/photos.ts');
    }
    expect(fromPackage(await inputsOf('functions/intake/confirmation.ts'), 'image-size')).not.toEqual([]);
  }, 120_000);

  it('leaves S3 out of the pages that show photos, and the S3 client out of OfficerPhotos, which signs their links', async () => {
    // The S3 client alone is ~0.2x the reference init (docs/benchmarks.md): the pages link each
    // photo to OfficerPhotos, which presigns a GET with the SDK's presigner alone (shared/s3-presign.ts).
    for (const fn of [officerPages, casePage]) {
      const inputs = await inputsOf(fn.entry);
      expect(fromPackage(inputs, '@aws-sdk/client-s3'), fn.name).toEqual([]);
      expect(fromPackage(inputs, '@aws-sdk/s3-request-presigner'), fn.name).toEqual([]);
      expect(inputs, fn.name).toContain('functions/cases/photo-links.ts');
    }
    const photos = await inputsOf(officerPhotos.entry);
    expect(fromPackage(photos, '@aws-sdk/client-s3')).toEqual([]);
    expect(fromPackage(photos, '@aws-sdk/s3-request-presigner')).not.toEqual([]);
  }, 120_000);

  it('gives pages the assets\' names, not their bodies', async () => {
    const page = await inputsOf('functions/kpis/pages.ts');
    expect(page).toContain('web/generated/asset-paths.js');
    expect(page).not.toContain('web/generated/assets.js');
    expect(await inputsOf('web/assets-function.ts')).toContain('web/generated/assets.js');
  }, 120_000);

  it('carries only the zod a function uses: zod is imported as a namespace', async () => {
    // `import { z } from 'zod'` hands esbuild zod's whole namespace as one value, so every
    // bundle that holds one such module carries all of zod (444 KB, ~0.2x the reference's init;
    // docs/benchmarks.md, "zod as a namespace"). `import * as z from 'zod'` lets it keep only
    // what is used.
    const tracked = execFileSync('git', ['ls-files', '--', 'functions', 'events', 'web'], { encoding: 'utf8' }).split('\n');
    const named = tracked.filter((f) => f.endsWith('.ts') && /^import (\{[^}]*\bz\b[^}]*\}|z) from 'zod'/m.test(readFileSync(f, 'utf8')));
    expect(named, "import zod as `import * as z from 'zod'`").toEqual([]);
    for (const entry of ['functions/intake/confirmation.ts', 'functions/funding/desk-pages.ts']) {
      const zod = fromPackage(await inputsOf(entry), 'zod');
      expect(zod).not.toEqual([]);
      expect(zod.filter((f) => f.includes('/locales/') && !f.endsWith('/en.js')), entry).toEqual([]);
    }
  }, 120_000);
});
