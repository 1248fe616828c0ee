import type { App } from 'aws-cdk-lib';
import type { FunctionSpec } from '#infra/topology';
import { apiAuthConfig } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/**
 * Both stacks, environment-agnostic (account and region come from the deploying profile).
 * Stateful resources live apart so the functions can be replaced, or the stack destroyed and
 * rebuilt, without touching data; the stateful stack is termination-protected.
 */
export function buildStacks(app: App, options: { readonly functions?: readonly FunctionSpec[] } = {}) {
  const stateful = new StatefulStack(app, 'SaferCommunitiesStateful', {
    description: 'Safer Communities: event bus, tables and buckets (retained)',
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, 'SaferCommunitiesStateless', {
    description: 'Safer Communities: functions, triggers and HTTP API, generated from infra/topology.ts',
    sharedResources: stateful.exports,
    auth: apiAuthConfig(app.node),
    ...(options.functions ? { functions: options.functions } : {}),
  });
  // The stateless stack imports the stateful stack's exports by name, so CDK sees no reference.
  stateless.addStackDependency(stateful, 'imports the exported table, bucket and bus names');
  return { stateful, stateless };
}
