import { App, Stack, type CfnElement, type NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FunctionSpec } from '#infra/topology';
import { buildStacks } from '../../infra/cdk/build.ts';
import { projectRoot } from '../../infra/cdk/config.ts';
import type { StatelessStack } from '../../infra/cdk/stateless-stack.ts';

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

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Replaces every object `replace` answers for (such as `{ Ref: parameter }`), anywhere in the value. */
function substitute(value: unknown, replace: (node: Json) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => substitute(item, replace));
  if (value === null || typeof value !== 'object') return value;
  const replaced = replace(value as Json);
  if (replaced !== undefined) return replaced;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, replace)]));
}

/** One CloudFormation template as synthesised: the parent's, or a nested stack's. */
export interface StackTemplate {
  readonly name: string;
  readonly template: Json;
}

/**
 * The stateless stack's own template, then each capability's nested stack's, by capability.
 * Size limits (resources, parameters, outputs) hold per template.
 */
export function statelessTemplates(stack: StatelessStack): StackTemplate[] {
  return [
    { name: stack.stackName, template: Template.fromStack(stack).toJSON() },
    ...[...stack.capabilityStacks].map(([name, nested]) => ({ name, template: Template.fromStack(nested).toJSON() })),
  ];
}

/**
 * The stateless stack and its nested stacks read as the one stack they deploy as: every
 * resource of each, a nested stack's parameters replaced by the values the parent passes, and
 * every read of a nested stack's output (the parent's, or another nested stack's through a
 * parameter) by the output's value, so a reference
 * across the split reads as it would inside one stack (`{ Ref: <topic> }`, not a parameter).
 * The outputs are the parent's: a nested stack's only carry values to the parent.
 */
export function statelessTemplate(stack: StatelessStack): Template {
  const [parent, ...nested] = statelessTemplates(stack);
  if (!parent) throw new Error('no stateless template');
  const outputsOf = new Map<string, Json>();
  const resolvedNested = nested.map(({ name, template }, i) => {
    const nestedStack = [...stack.capabilityStacks.values()][i] as NestedStack;
    const resourceId = stack.resolve((nestedStack.nestedStackResource as CfnElement).logicalId) as string;
    const passed: Json = parent.template.Resources[resourceId]?.Properties.Parameters ?? {};
    const resolved = substitute(template, (node) => {
      const keys = Object.keys(node);
      return keys.length === 1 && keys[0] === 'Ref' && typeof node.Ref === 'string' && node.Ref in passed ? passed[node.Ref] : undefined;
    }) as Json;
    outputsOf.set(resourceId, resolved.Outputs ?? {});
    return { name, template: resolved };
  });
  // A read of a nested stack's output, in the parent or (passed on as a parameter) in another
  // nested stack, by the output's value.
  const outputsRead = (value: Json): Json =>
    substitute(value, (node) => {
      const getAtt = node['Fn::GetAtt'];
      if (!Array.isArray(getAtt) || Object.keys(node).length !== 1) return undefined;
      const [id, attribute] = getAtt as [string, string];
      const outputs = outputsOf.get(id);
      if (!outputs || !attribute.startsWith('Outputs.')) return undefined;
      const output = outputs[attribute.slice('Outputs.'.length)];
      if (!output) throw new Error(`${id} has no output ${attribute}`);
      return outputsRead(output.Value);
    }) as Json;
  const resources: Json = {};
  const add = (from: Json, where: string) => {
    for (const [id, resource] of Object.entries(from)) {
      if (id in resources) throw new Error(`logical id ${id} is in two stateless templates (${where})`);
      resources[id] = resource;
    }
  };
  for (const { name, template } of resolvedNested) add(outputsRead(template.Resources ?? {}), name);
  const fromParent = outputsRead(parent.template);
  add(fromParent.Resources ?? {}, parent.name);
  return Template.fromJSON({ ...fromParent, Resources: resources });
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
