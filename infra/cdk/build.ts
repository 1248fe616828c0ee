import { Annotations, type App } from 'aws-cdk-lib';
import type { FunctionSpec } from '#infra/topology';
import { topology } from '#infra/topology';
import { apiAuthConfig, deploymentConfig, placeholderWarning, placeholderWarnings } from './config.ts';
import { EdgeStack } from './edge-stack.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/**
 * Both stacks, in the region context names (eu-west-2 by default; the account comes from the
 * deploying profile), and the edge stack in us-east-1 when a domain is set. Stateful
 * resources live apart so the functions can be replaced, or the stack destroyed and rebuilt,
 * without touching data; the stateful stack is termination-protected.
 */
export function buildStacks(app: App, options: { readonly functions?: readonly FunctionSpec[] } = {}) {
  const deployment = deploymentConfig(app.node);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const env = { region: deployment.region, ...(account ? { account } : {}) };
  const stateful = new StatefulStack(app, 'SaferCommunitiesStateful', {
    description: 'Safer Communities: event bus, tables and buckets (retained)',
    terminationProtection: true,
    env,
    discSecretArn: deployment.discSecretArn,
  });
  const stateless = new StatelessStack(app, 'SaferCommunitiesStateless', {
    description: 'Safer Communities: functions, triggers and HTTP API, generated from infra/topology.ts',
    sharedResources: stateful.exports,
    auth: apiAuthConfig(app.node),
    deployment,
    env,
    ...(options.functions ? { functions: options.functions } : {}),
  });
  const placeholders = placeholderWarnings(deployment, apiAuthConfig(app.node));
  for (const warning of placeholders.disc) Annotations.of(stateful).addWarningV2(placeholderWarning, warning);
  for (const warning of placeholders.auth) Annotations.of(stateless).addWarningV2(placeholderWarning, warning);
  // The stateless stack imports the stateful stack's exports by name, so CDK sees no reference.
  stateless.addStackDependency(stateful, 'imports the exported table, bucket and bus names');
  const edge = deployment.edge
    ? new EdgeStack(app, 'SaferCommunitiesEdge', {
        description: 'Safer Communities: CloudFront and WAF in front of the API (us-east-1)',
        env: { region: 'us-east-1', ...(account ? { account } : {}) },
        edge: deployment.edge,
        functions: options.functions ?? topology,
      })
    : undefined;
  return { stateful, stateless, edge, deployment };
}
