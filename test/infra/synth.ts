import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FunctionSpec } from '#infra/topology';
import { buildStacks } from '../../infra/cdk/build.ts';
import { projectRoot } from '../../infra/cdk/config.ts';

/** The context the CDK CLI would use, so tests synthesise what `cdk synth` does. */
export const cdkContext: Record<string, unknown> = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')).context;

/**
 * Builds and synthesises both stacks. Bundling runs esbuild once per function, so call it
 * once per file (in beforeAll).
 */
export function synthesise(options: { readonly functions?: readonly FunctionSpec[] } = {}) {
  const app = new App({ context: cdkContext });
  const stacks = buildStacks(app, options);
  app.synth();
  return { app, ...stacks };
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
