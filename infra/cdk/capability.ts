import { Annotations, Aws, Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type CfnRule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import path from 'node:path';
import { signIn } from '../../functions/sign-in/capability.ts';
import type { StaffSignIn } from './staff-sign-in.ts';
import { secrets, tables, type BucketName, type TableName } from '#infra/resources';
import { environmentOf, memoryMbOf, timeoutSecondsOf } from '#infra/function-settings';
import { Alias, ParamsAndSecretsLayerVersion, ParamsAndSecretsVersions } from 'aws-cdk-lib/aws-lambda';
import { LambdaDeploymentGroup, type ILambdaApplication, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { GraphWidget, TextWidget, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { Access, EmittedEvent, FunctionSpec, Trigger } from '#infra/topology';
import { deniedToPublicFunctions, isPublicFunction, leadingKeyPatterns } from '#infra/least-privilege';
import { deploymentSettings, projectRoot } from './config.ts';
import {
  asyncDelivery,
  baseEnvironment,
  defaultsAcknowledgements,
  functionDefaults,
  functionLogRetention,
} from './function-defaults.ts';
import type { SaferCommunitiesHttpApi } from './http-api.ts';
import { acknowledge, wildcardResourceFinding } from './nag.ts';
import type { SharedResources } from './stateful-stack.ts';
import { acknowledgeDeadLetterQueue, deadLetterAlarm, type Notifications } from './monitoring.ts';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';

type EventsTrigger = Extract<Trigger, { kind: 'events' }>;
type ScheduleTrigger = Extract<Trigger, { kind: 'schedule' }>;

export interface CapabilityProps {
  readonly specs: readonly FunctionSpec[];
  readonly shared: SharedResources;
  readonly httpApi: SaferCommunitiesHttpApi;
  readonly staffSignIn: StaffSignIn;
  readonly notifications: Notifications;
  /** How a new version takes traffic; every function shares one application and role. */
  /** Gradual releases of HTTP functions through CodeDeploy, or (outside production) releases at once. */
  readonly releases:
    | {
        readonly gradual: true;
        readonly application: ILambdaApplication;
        readonly config: ILambdaDeploymentConfig;
        readonly role: Role;
        /** The alarm that rolls a release back: any function error in the region. */
        readonly rollbackAlarm: IAlarm;
      }
    | { readonly gradual: false };
  /** The group every schedule is created in, so its Scheduler metrics are this system's alone. */
  readonly scheduleGroupName: string;
}

/** What callers invoke: every trigger goes to this alias, which CodeDeploy moves between versions. */
export const liveAlias = 'live';

/** What each access level lets a function do to an S3 bucket: objects by key, never deletes. */
const bucketActions: Record<Access, { readonly onObjects: string[]; readonly onBucket: string[] }> = {
  read: { onObjects: ['s3:GetObject'], onBucket: ['s3:ListBucket'] },
  write: { onObjects: ['s3:PutObject', 's3:AbortMultipartUpload'], onBucket: [] },
  readwrite: { onObjects: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], onBucket: ['s3:ListBucket'] },
};

/**
 * The item actions each access level allows on a table whose grant names its key families.
 * Never Scan (it has no leading key, so no key condition can hold it in) and never a table-wide
 * action. Deletes and batch writes are for staff and internal functions only.
 */
const itemActions: Record<Access, readonly string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
  readwrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
};

/** Warning id for a grant wider than least privilege (a function declaring no key families or events). */
export const leastPrivilegeWarning = 'safer-communities:least-privilege';

/**
 * The functions of one capability (one folder under functions/), generated from their
 * topology entries: each gets its own role holding only the grants its entry declares, its
 * own log group, and its triggers.
 */
export class Capability extends Construct {
  readonly functions = new Map<string, NodejsFunction>();
  readonly aliases = new Map<string, Alias>();
  readonly deadLetterQueues = new Map<string, Queue>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: CapabilityProps,
  ) {
    super(scope, id);
    for (const spec of props.specs) this.addFunction(spec);
  }

  private addFunction(spec: FunctionSpec): void {
    const role = new Role(this, `${spec.name}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      // Not the spec's description: IAM allows only Latin-1 characters here.
      description: `Runs the ${spec.name} function`,
    });
    acknowledge(role, defaultsAcknowledgements.tracing.id, defaultsAcknowledgements.tracing.reason);
    const logGroup = new LogGroup(this, `${spec.name}Logs`, { retention: functionLogRetention });
    logGroup.grantWrite(role);

    const deliveredAsync = spec.triggers.some((t) => t.kind === 'events' || t.kind === 'schedule');
    const deadLetters = deliveredAsync
      ? new Queue(this, `${spec.name}DeadLetters`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: asyncDelivery.deadLetterRetention,
        })
      : undefined;
    if (deadLetters) acknowledgeDeadLetterQueue(deadLetters, { namedByAFunction: true });

    // Staff pages take a session cookie (its key is a secret); the sign-in function also talks to the provider.
    const staffPages = spec.triggers.some((t) => t.kind === 'http' && t.page && t.auth !== 'public');
    const signsIn = spec.name === signIn.name;
    const fn = new NodejsFunction(this, spec.name, {
      ...functionDefaults,
      entry: path.join(projectRoot, spec.entry),
      description: spec.description,
      memorySize: memoryMbOf(spec),
      timeout: Duration.seconds(timeoutSecondsOf(spec)),
      role,
      logGroup,
      environment: {
        ...deploymentSettings(this.node),
        ...baseEnvironment(spec.name),
        ...this.resourceEnvironment(spec),
        ...(spec.triggers.some((t) => t.kind === 'http') ? this.props.httpApi.httpEnvironment : {}),
        ...(staffPages ? { ...this.props.httpApi.pageAuthEnvironment, ...this.props.staffSignIn.pageEnvironment } : {}),
        ...(signsIn ? this.props.staffSignIn.signInEnvironment : {}),
      },
      // Secrets are read at run time through the extension, so they never sit in the template
      // or the function's configuration, and a rotation needs no redeploy.
      ...(spec.secrets?.length || staffPages || signsIn ? { paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103) } : {}),
      ...(deadLetters ? { deadLetterQueue: deadLetters } : {}),
    });
    acknowledge(fn, defaultsAcknowledgements.runtime.id, defaultsAcknowledgements.runtime.reason);
    acknowledge(fn, defaultsAcknowledgements.latestRuntime.id, defaultsAcknowledgements.latestRuntime.reason);
    if (!deadLetters) {
      acknowledge(
        fn,
        'Serverless-LambdaDLQ',
        `${spec.name} is only invoked synchronously by the HTTP API: the caller gets the failure as a 5xx, which the HttpApi5xx and errors alarms report; a dead-letter queue only receives failed asynchronous invocations`,
      );
    }
    this.functions.set(spec.name, fn);
    const alias = this.release(spec, fn, deadLetters);

    for (const [name, access] of Object.entries(spec.tables ?? {}) as [TableName, Access | undefined][]) {
      if (access) this.allowTableAccess(spec, role, name, this.props.shared.tables[name], access);
    }
    for (const [name, access] of Object.entries(spec.buckets ?? {}) as [BucketName, Access | undefined][]) {
      if (access) this.allowBucketAccess(role, this.props.shared.buckets[name], access);
    }
    if (spec.putsEvents) this.allowPublishingEvents(spec, role);
    for (const name of spec.secrets ?? []) this.props.shared.secrets[name].grantRead(role);
    if (staffPages) this.props.staffSignIn.grantPages(role);
    if (signsIn) this.props.staffSignIn.grantSignIn(role);

    for (const trigger of spec.triggers) {
      switch (trigger.kind) {
        case 'http':
          this.props.httpApi.route(trigger, alias);
          break;
        case 'events':
          this.deliverEvents(spec, alias, trigger, this.required(deadLetters));
          break;
        case 'schedule':
          this.runOnSchedule(spec, alias, trigger, this.required(deadLetters));
          break;
      }
    }
  }

  /**
   * Publishes the function as a version behind the `live` alias, which CodeDeploy shifts to a
   * new version gradually and rolls back when the function's error alarm fires. The alarms
   * (errors, throttles, dead letters) go to on-call.
   */
  private release(spec: FunctionSpec, fn: NodejsFunction, deadLetters: Queue | undefined): Alias {
    const alias = new Alias(this, `${spec.name}Live`, {
      aliasName: liveAlias,
      version: fn.currentVersion,
      description: `${spec.name}: the version that takes traffic`,
      // Async settings belong to the qualifier that is invoked: the alias.
      ...(deadLetters ? { retryAttempts: asyncDelivery.retryAttempts, maxEventAge: asyncDelivery.maxEventAge } : {}),
    });
    this.aliases.set(spec.name, alias);
    if (deadLetters) {
      acknowledge(
        alias,
        'Serverless-LambdaAsyncFailureDestination',
        `Failed asynchronous invocations of ${spec.name} go to its dead-letter queue (the function's DeadLetterConfig), which is alarmed at depth 1 and holds the original event for a redrive`,
      );
    }
    const { notifications, releases } = this.props;
    // Errors and throttles are alarmed once for all functions (StatelessStack's LambdaErrors and
    // LambdaThrottles): an alarm per function cost two resources each, and the stack must stay
    // under CloudFormation's 500 (docs/runbook.md). The dashboard still shows each function.
    if (deadLetters) {
      this.deadLetterQueues.set(spec.name, deadLetters);
      notifications.notify(deadLetterAlarm(this, `${spec.name}DeadLettersAlarm`, deadLetters, spec.name));
    }
    // Gradual releases for what people call directly (HTTP): a consumer's or job's failures are
    // retried and dead-lettered, then redriven after a rollback, so they are released at once.
    if (releases.gradual && spec.triggers.some((t) => t.kind === 'http')) {
      new LambdaDeploymentGroup(this, `${spec.name}Deployment`, {
        application: releases.application,
        alias,
        deploymentConfig: releases.config,
        role: releases.role,
        alarms: [releases.rollbackAlarm],
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
    }
    return alias;
  }

  /** This capability's row of the dashboard: a title, then traffic, failures and latency. */
  dashboardRow(capability: string): IWidget[] {
    const aliases = [...this.aliases.entries()];
    const queues = [...this.deadLetterQueues.entries()];
    return [
      new TextWidget({ markdown: `## ${capability}\n${aliases.map(([name]) => name).join(', ')}`, width: 4, height: 6 }),
      new GraphWidget({
        title: `${capability}: invocations`,
        left: aliases.map(([name, a]) => a.metricInvocations({ label: name, statistic: 'Sum' })),
        width: 5,
      }),
      new GraphWidget({
        title: `${capability}: errors and throttles`,
        left: aliases.flatMap(([name, a]) => [a.metricErrors({ label: `${name} errors`, statistic: 'Sum' }), a.metricThrottles({ label: `${name} throttles`, statistic: 'Sum' })]),
        width: 5,
      }),
      new GraphWidget({
        title: `${capability}: duration p95`,
        left: aliases.map(([name, a]) => a.metricDuration({ label: name, statistic: 'p95' })),
        width: 5,
      }),
      new GraphWidget({
        title: `${capability}: dead letters`,
        left: queues.map(([name, q]) => q.metricApproximateNumberOfMessagesVisible({ label: name, statistic: 'Maximum' })),
        width: 5,
      }),
    ];
  }

  /** The same variables the local runtime gives the function (infra/function-settings.ts). */
  private resourceEnvironment(spec: FunctionSpec): Record<string, string> {
    const { shared } = this.props;
    return environmentOf(spec, {
      table: (name) => shared.tables[name].tableName,
      bucket: (name) => shared.buckets[name].bucketName,
      bus: () => shared.bus.eventBusName,
      secret: (name) => ({ [secrets[name].envVar]: shared.secrets[name].secretArn }),
    });
  }

  /**
   * The main table: only the item actions of the access level, only on partitions (of the table
   * and of its indexes) in the declared key families. A Query on gsi1 names gsi1pk as its leading
   * key, so a function that lists through the index declares that family too (`CASES`).
   * Without declared families the grant is the whole table as before (and a public function
   * still gets no Scan, delete or batch write), with a warning on the synth.
   */
  private allowTableAccess(spec: FunctionSpec, role: Role, name: TableName, table: ITable, access: Access): void {
    const prefixes = spec.keyPrefixes?.[name];
    const resources = [table.tableArn, ...(tables[name].globalIndexes.length > 0 ? [`${table.tableArn}/index/*`] : [])];
    const publicFunction = isPublicFunction(spec);
    const actions = itemActions[access].filter((a) => !publicFunction || !(deniedToPublicFunctions as readonly string[]).includes(a));
    if (prefixes) {
      role.addToPolicy(
        new PolicyStatement({
          actions,
          resources,
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(prefixes) },
            // ForAllValues holds for a request with no leading key at all: refuse those.
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        }),
      );
    } else if (publicFunction) {
      role.addToPolicy(new PolicyStatement({ actions, resources }));
    } else if (access === 'read') table.grantReadData(role);
    else if (access === 'write') table.grantWriteData(role);
    else table.grantReadWriteData(role);
    if (!prefixes && name === 'main') {
      Annotations.of(role).addWarningV2(
        leastPrivilegeWarning,
        `${spec.name} is granted the whole ${name} table: declare its key families (tables: { ${name}: { access, prefixes } } in its capability.ts, see docs/security.md "Least privilege")`,
      );
    }
    if (tables[name].globalIndexes.length > 0) {
      acknowledge(
        role,
        wildcardResourceFinding(role, `${table.tableArn}/index/*`),
        `Covers only the indexes of the ${name} table, which resources.ts defines; the grant names the table itself`,
      );
    }
  }

  private allowBucketAccess(role: Role, bucket: IBucket, access: Access): void {
    const { onObjects, onBucket } = bucketActions[access];
    const objects = bucket.arnForObjects('*');
    role.addToPolicy(new PolicyStatement({ actions: onObjects, resources: [objects] }));
    if (onBucket.length > 0) role.addToPolicy(new PolicyStatement({ actions: onBucket, resources: [bucket.bucketArn] }));
    acknowledge(
      role,
      wildcardResourceFinding(role, objects),
      'Object keys are made at run time (dates, ids); access is limited to this one bucket and to the listed object actions',
    );
  }

  /**
   * Only the events the function declares it emits, one statement per source, so a public
   * function cannot put another capability's events (a forged FundingSpent). Without `emits`
   * it may put anything on the bus, as before, with a warning on the synth.
   */
  private allowPublishingEvents(spec: FunctionSpec, role: Role): void {
    if (!spec.emits) {
      this.props.shared.bus.grantPutEventsTo(role);
      Annotations.of(role).addWarningV2(
        leastPrivilegeWarning,
        `${spec.name} may put any event on the bus: declare the contracts it emits (emits: [...] in its capability.ts, see docs/security.md "Least privilege")`,
      );
      return;
    }
    const bySource = new Map<string, Set<string>>();
    for (const event of spec.emits as readonly EmittedEvent[]) bySource.set(event.source, (bySource.get(event.source) ?? new Set()).add(event.detailType));
    for (const [source, detailTypes] of bySource) {
      role.addToPolicy(
        new PolicyStatement({
          actions: ['events:PutEvents'],
          resources: [this.props.shared.bus.eventBusArn],
          conditions: { StringEquals: { 'events:source': source, 'events:detail-type': [...detailTypes].sort() } },
        }),
      );
    }
  }

  /** One rule per trigger on the custom bus, delivering with Lambda async semantics. */
  private deliverEvents(spec: FunctionSpec, fn: Alias, trigger: EventsTrigger, deadLetters: Queue): void {
    const rule = new Rule(this, trigger.ruleName, {
      eventBus: this.props.shared.bus,
      description: `${trigger.ruleName}: delivers to ${spec.name}`,
      // The typed EventPattern cannot express `$or` or content filters such as `prefix`, so this
      // placeholder only satisfies the L2 validation; the template gets the contract's pattern
      // verbatim (set on the L1: a property override would deep-merge with the placeholder).
      eventPattern: { account: [Aws.ACCOUNT_ID] },
    });
    (rule.node.defaultChild as CfnRule).eventPattern = trigger.pattern;
    rule.addTarget(
      new LambdaFunction(fn, {
        deadLetterQueue: deadLetters,
        retryAttempts: asyncDelivery.retryAttempts,
        maxEventAge: asyncDelivery.maxEventAge,
      }),
    );
  }

  /** EventBridge Scheduler, on London time so "9am on the 1st" survives the clocks changing. */
  private runOnSchedule(spec: FunctionSpec, fn: Alias, trigger: ScheduleTrigger, deadLetters: Queue): void {
    const role = this.schedulerRole(spec, fn, deadLetters);
    new CfnSchedule(this, `${spec.name}${trigger.name}Schedule`, {
      description: `${trigger.name}: runs ${spec.name}`,
      scheduleExpression: trigger.cron.startsWith('cron(') ? trigger.cron : `cron(${trigger.cron})`,
      scheduleExpressionTimezone: 'Europe/London',
      groupName: this.props.scheduleGroupName,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: fn.functionArn,
        roleArn: role.roleArn,
        input: JSON.stringify({ schedule: trigger.name, scheduledTime: '<aws.scheduler.scheduled-time>' }),
        retryPolicy: {
          maximumRetryAttempts: asyncDelivery.retryAttempts,
          maximumEventAgeInSeconds: asyncDelivery.maxEventAge.toSeconds(),
        },
        deadLetterConfig: { arn: deadLetters.queueArn },
      },
    });
  }

  private readonly schedulerRoles = new Map<string, Role>();

  private schedulerRole(spec: FunctionSpec, fn: Alias, deadLetters: Queue): Role {
    let role = this.schedulerRoles.get(spec.name);
    if (!role) {
      role = new Role(this, `${spec.name}SchedulerRole`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
        description: `Lets EventBridge Scheduler run ${spec.name}`,
      });
      // The alias itself, not `${arn}:*` as grantInvoke adds: schedules invoke the live alias.
      role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
      deadLetters.grantSendMessages(role);
      this.schedulerRoles.set(spec.name, role);
    }
    return role;
  }

  private required(queue: Queue | undefined): Queue {
    if (!queue) throw new Error('an async trigger needs a dead-letter queue');
    return queue;
  }
}
