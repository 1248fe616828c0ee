import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { topology, type FunctionSpec } from '#infra/topology';
import { Capability } from './capability.ts';
import type { ApiAuthConfig } from './config.ts';
import { SaferCommunitiesHttpApi } from './http-api.ts';
import { importSharedResources, type SharedResourceExports } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly sharedResources: SharedResourceExports;
  readonly auth: ApiAuthConfig;
  /** Defaults to the topology; a test may pass a subset. */
  readonly functions?: readonly FunctionSpec[];
}

/** The capability a function belongs to: the one whose declarations list it. */
export const capabilityOf = (spec: FunctionSpec): string => spec.capability;

const constructId = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');

/**
 * Functions, their triggers and the HTTP API, all generated from the topology: a new entry
 * there appears here with no change to this code.
 */
export class StatelessStack extends Stack {
  readonly httpApi: SaferCommunitiesHttpApi;
  readonly capabilities = new Map<string, Capability>();

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const shared = importSharedResources(new Construct(this, 'Shared'), props.sharedResources);
    this.httpApi = new SaferCommunitiesHttpApi(this, 'HttpApi', { auth: props.auth });

    const byCapability = new Map<string, FunctionSpec[]>();
    for (const spec of props.functions ?? topology) {
      const capability = capabilityOf(spec);
      byCapability.set(capability, [...(byCapability.get(capability) ?? []), spec]);
    }
    for (const [capability, specs] of byCapability) {
      this.capabilities.set(capability, new Capability(this, constructId(capability), { specs, shared, httpApi: this.httpApi }));
    }

    new CfnOutput(this, 'HttpApiUrl', { value: this.httpApi.url, description: 'Base URL of the HTTP API' });
  }

  /** Every generated function by its topology name. */
  get functions(): ReadonlyMap<string, NodejsFunction> {
    return new Map([...this.capabilities.values()].flatMap((c) => [...c.functions]));
  }
}
