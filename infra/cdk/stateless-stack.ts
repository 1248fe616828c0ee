import { CfnOutput, Duration, NestedStack, Stack, type CfnResource, type StackProps } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaApplication, LambdaDeploymentConfig, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Alias } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { topology, type FunctionSpec } from '#infra/topology';
import { Capability } from './capability.ts';
import { tokenTrust, type ApiAuthConfig, type DeploymentConfig, type DeploymentStyle } from './config.ts';
import { anyAlarm, Monitoring, Notifications } from './monitoring.ts';
import { acknowledge } from './nag.ts';
import { SaferCommunitiesHttpApi } from './http-api.ts';
import { importSharedResources, type SharedResourceExports } from './stateful-stack.ts';
import { staffSignIn as staffSignInCapability } from '../../functions/sign-in/capability.ts';
import { signInConfig, StaffSignIn } from './staff-sign-in.ts';

export interface StatelessStackProps extends StackProps {
  readonly sharedResources: SharedResourceExports;
  readonly auth: ApiAuthConfig;
  readonly deployment: DeploymentConfig;
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

const deploymentConfigs: Record<DeploymentStyle, ILambdaDeploymentConfig> = {
  canary: LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  linear: LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  'all-at-once': LambdaDeploymentConfig.ALL_AT_ONCE,
};

/**
 * Functions, their triggers and the HTTP API, all generated from the topology: a new entry
 * there appears here with no change to this code. Each capability is built in a nested stack
 * of its own (its functions, roles, log groups, aliases, rules, schedules, dead-letter queues
 * and their alarms, its routes and integrations, its deployment groups), so no CloudFormation
 * stack nears the 500-resource limit as capabilities grow; this stack keeps what they share:
 * the HTTP API and its stage, the topics, the region-wide alarms, the dashboard, the schedule
 * group and CodeDeploy's application and role (infra/cdk/README.md, "Nested stacks").
 */
export class StatelessStack extends Stack {
  readonly httpApi: SaferCommunitiesHttpApi;
  readonly capabilities = new Map<string, Capability>();
  /** The nested stack each capability is built in, by capability name. */
  readonly capabilityStacks = new Map<string, NestedStack>();
  readonly notifications: Notifications;
  readonly monitoring: Monitoring;
  readonly staffSignIn: StaffSignIn;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const shared = importSharedResources(new Construct(this, 'Shared'), props.sharedResources);
    const { deployment } = props;
    this.httpApi = new SaferCommunitiesHttpApi(this, 'HttpApi', {
      auth: props.auth,
      budget: { rateLimit: deployment.apiRateLimit, burstLimit: deployment.apiBurstLimit },
      edge: deployment.edge,
    });
    this.notifications = new Notifications(this, 'Notifications', { alarmEmail: deployment.alarmEmail, financeEmail: deployment.financeEmail });
    const scheduleGroup = new CfnScheduleGroup(this, 'Schedules', { name: `${this.stackName}-jobs` });
    // One alarm each for every function's errors and throttles, in place of two per function:
    // the stack must stay under CloudFormation's 500 resources.
    const lambdaErrors = this.notifications.notify(
      anyAlarm(this, 'LambdaErrors', new Metric({ namespace: 'AWS/Lambda', metricName: 'Errors' }), 'A function failed (docs/runbook.md "Function errors"); also rolls back a release in progress'),
    );
    this.notifications.notify(
      anyAlarm(this, 'LambdaThrottles', new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles' }), 'A function was throttled (docs/runbook.md "Function throttles")', Duration.minutes(5)),
    );
    // CodeDeploy (an application and its role) only where releases shift traffic gradually.
    const gradual = deployment.deployment !== 'all-at-once';
    const releases = gradual
      ? { gradual, application: new LambdaApplication(this, 'Releases'), config: deploymentConfigs[deployment.deployment], role: this.releaseRole(), rollbackAlarm: lambdaErrors }
      : { gradual };

    const byCapability = new Map<string, FunctionSpec[]>();
    for (const spec of props.functions ?? topology) {
      const capability = capabilityOf(spec);
      byCapability.set(capability, [...(byCapability.get(capability) ?? []), spec]);
    }
    // One nested stack per capability, in the order the capabilities are registered.
    for (const capability of byCapability.keys()) this.capabilityStack(capability);
    // The sign-in provider (the Cognito pool, its client, the client secret and the custom
    // resource that reads it, the session key) is built in the sign-in capability's nested stack,
    // beside the sign-in function; the staff pages' stacks take the session key's ARN from it.
    this.staffSignIn = new StaffSignIn(this.capabilityStack(staffSignInCapability.name), 'StaffSignIn', {
      config: signInConfig(this.node, deployment.stage, deployment.edge?.domainName),
      // The public address: the edge's domain, else the API's endpoint (not the $default stage's
      // URL, which ends in a slash: the callback would read //sign-in/callback). With an edge the
      // endpoint is disabled and has no address at all.
      apiUrl: deployment.edge ? `https://${deployment.edge.domainName}` : this.httpApi.api.apiEndpoint,
    });
    this.httpApi.trust(tokenTrust(props.auth, this.staffSignIn.provider));
    for (const [capability, specs] of byCapability) {
      const nested = this.capabilityStack(capability);
      // A schedule names its group by name, not by a reference: make the group exist first.
      if (specs.some((spec) => spec.triggers.some((t) => t.kind === 'schedule'))) {
        (nested.nestedStackResource as CfnResource).addResourceDependency(scheduleGroup);
      }
      this.capabilities.set(
        capability,
        new Capability(nested, constructId(capability), {
          specs,
          shared,
          httpApi: this.httpApi,
          staffSignIn: this.staffSignIn,
          notifications: this.notifications,
          releases,
          scheduleGroupName: scheduleGroup.name as string,
        }),
      );
    }
    this.monitoring = new Monitoring(this, 'Monitoring', {
      notifications: this.notifications,
      bus: shared.bus,
      httpApiId: this.httpApi.api.apiId,
      scheduleGroupName: (props.functions ?? topology).some((spec) => spec.triggers.some((t) => t.kind === 'schedule')) ? (scheduleGroup.name as string) : undefined,
      capabilities: this.capabilities,
    });
    if (this.httpApi.originDomain) {
      new CfnOutput(this, 'OriginDomainTarget', {
        value: this.httpApi.originDomain.regionalDomainName,
        description: `Point origin.${deployment.edge?.domainName} here (CNAME or Route 53 alias)`,
      });
    }

    new CfnOutput(this, 'HttpApiUrl', { value: this.httpApi.url, description: 'Base URL of the HTTP API' });
  }

  /** The nested stack a capability is built in (made the first time it is asked for). */
  private capabilityStack(capability: string): NestedStack {
    const existing = this.capabilityStacks.get(capability);
    if (existing) return existing;
    const nested = new NestedStack(this, constructId(capability), {
      description: `Safer Communities: the ${capability} capability, generated from its declarations`,
    });
    this.capabilityStacks.set(capability, nested);
    return nested;
  }

  /** Every function's live alias (what its triggers invoke) by its topology name. */
  get aliases(): ReadonlyMap<string, Alias> {
    return new Map([...this.capabilities.values()].flatMap((c) => [...c.aliases]));
  }

  /** Every generated function by its topology name. */
  get functions(): ReadonlyMap<string, NodejsFunction> {
    return new Map([...this.capabilities.values()].flatMap((c) => [...c.functions]));
  }

  /** The role CodeDeploy uses to shift the live aliases. */
  private releaseRole(): Role {
    const releaseRole = new Role(this, 'ReleaseRole', {
      assumedBy: new ServicePrincipal('codedeploy.amazonaws.com'),
      description: 'Lets CodeDeploy shift the live aliases between function versions',
    });
    acknowledge(
      releaseRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
      'CodeDeploy for Lambda attaches its own limited service policy (alias updates, invoking hooks tagged for it); CDK adds it to the role of every Lambda deployment group',
    );
    return releaseRole;
  }
}
