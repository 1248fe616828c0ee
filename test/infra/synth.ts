import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FunctionSpec } from '#infra/topology';
import { buildStacks } from '../../infra/cdk/build.ts';
import { projectRoot } from '../../infra/cdk/config.ts';

/** The context the CDK CLI would use, so tests synthesise what `cdk synth` does. */
export const cdkContext: Record<string, unknown> = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')).context;

/**
 * One cloud-assembly directory per test file. CDK caches a bundled asset by its output
 * directory (among other things), so apps synthesised into the same one bundle each handler
 * once. Apps in one file synthesise one after the other, so sharing it is safe.
 */
let outdir: string | undefined;

export function removeAssemblies(): void {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
}

/**
 * Builds and synthesises both stacks. With `bundle` (the default) each function is bundled
 * with esbuild, which is slow: call it once per file (in beforeAll), read templates straight
 * away (the next app reuses the directory), and call removeAssemblies in afterAll.
 */
export function synthesise(
  options: { readonly functions?: readonly FunctionSpec[]; readonly bundle?: boolean; readonly context?: Record<string, unknown> } = {},
) {
  outdir ??= mkdtempSync(path.join(tmpdir(), 'safer-communities-cdk-'));
  // An empty list of bundling stacks makes CDK skip bundling: templates are otherwise the same.
  const context = { ...cdkContext, ...options.context, ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}) };
  const app = new App({ context, outdir });
  const stacks = buildStacks(app, options.functions ? { functions: options.functions } : {});
  app.synth();
  return { app, outdir, ...stacks };
}

/** The logical id CloudFormation knows an L2 construct's resource by. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}

/**
 * An entry unlike any in today's topology (a schedule, a `$or` pattern, a DELETE route,
 * bucket reads), to show a new entry needs no CDK change. It reuses an existing handler.
 */
export const fixtureTopology: readonly FunctionSpec[] = [
  {
    name: 'FixtureJob',
    entry: 'functions/health/health.ts',
    description: 'Test fixture: every trigger kind and access level',
    capability: 'fixture',
    triggers: [
      { kind: 'schedule', name: 'Nightly', cron: '0 2 * * ? *' },
      {
        kind: 'events',
        ruleName: 'FixtureEither',
        pattern: {
          $or: [
            { source: ['safer-communities.cases'], 'detail-type': ['CaseOpened'] },
            { source: ['safer-communities.funding'], 'detail-type': ['FundingSpent', 'FundingSpendReversed'] },
          ],
        },
      },
      { kind: 'http', method: 'DELETE', path: '/fixtures/{fixtureId}', auth: ['admin'] },
    ],
    tables: { idempotency: 'readwrite' },
    buckets: { exports: 'read', intake: 'readwrite' },
    memoryMb: 1024,
    timeoutSeconds: 60,
  },
];
