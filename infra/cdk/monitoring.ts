import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, RuleTargetInput, EventField, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { AccountRootPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FundingOverspent } from '#events/funding';
import { archiveStalledAfterHours, oldestPendingMetric } from '../../functions/archive/capability.ts';
import { asyncDelivery, metricsNamespace } from './function-defaults.ts';
import type { Capability } from './capability.ts';
import { acknowledge } from './nag.ts';

/**
 * A dead-letter queue is the end of the line: nothing redrives it automatically, its depth is
 * alarmed. (AwsSolutions recognises a queue as a DLQ only when a function names it.)
 */
export function acknowledgeDeadLetterQueue(queue: Queue, options: { namedByAFunction: boolean }): void {
  for (const id of options.namedByAFunction ? ['Serverless-SQSRedrivePolicy'] : ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
    acknowledge(queue, id, 'This queue is itself a dead-letter queue: a message here is alarmed at once and redriven by hand (docs/runbook.md)');
  }
}

/**
 * The encrypted topics people subscribe to. CloudWatch alarms and EventBridge can publish only
 * to a topic whose key lets them, which the AWS-managed SNS key does not: hence our own key.
 */
export class Notifications extends Construct {
  readonly key: Key;
  /** On-call: every alarm. */
  readonly alarms: Topic;
  /** Finance: a funding stream overspent. */
  readonly finance: Topic;

  constructor(scope: Construct, id: string, props: { readonly alarmEmail: string | undefined; readonly financeEmail: string | undefined }) {
    super(scope, id);
    this.key = new Key(this, 'Key', { description: 'Encrypts the alarm and finance notification topics', enableKeyRotation: true });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlarmsAndRulesPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com'), new ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': new AccountRootPrincipal().accountId } },
      }),
    );
    this.alarms = new Topic(this, 'AlarmTopic', { displayName: 'Safer Communities alarms', masterKey: this.key, enforceSSL: true });
    this.finance = new Topic(this, 'FinanceTopic', { displayName: 'Safer Communities funding', masterKey: this.key, enforceSSL: true });
    // Finance hears about money, not about outages; without its own address it falls back to on-call.
    const financeEmail = props.financeEmail ?? props.alarmEmail;
    for (const [topic, address] of [[this.alarms, props.alarmEmail], [this.finance, financeEmail]] as const) {
      if (!address) continue;
      topic.addSubscription(new EmailSubscription(address));
      acknowledge(
        topic,
        'Serverless-SNSRedrivePolicy',
        'An e-mail that SNS cannot deliver after its retries has no one to redrive it to: the alarm stays in ALARM on the dashboard and the overspend stays on the funding page',
      );
    }
  }

  /** Sends the alarm (and its return to OK) to on-call. */
  notify(alarm: Alarm): Alarm {
    const action = new SnsAction(this.alarms);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    return alarm;
  }
}

/** Any message at all in a dead-letter queue is an event or a run that nobody processed. */
export function deadLetterAlarm(scope: Construct, id: string, queue: Queue, what: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: `${what}: a dead letter is waiting (docs/runbook.md "Dead letters")`,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** A count that should always be zero, alarmed on the first one in a minute. */
export function anyAlarm(scope: Construct, id: string, metric: IMetric, description: string, period = Duration.minutes(1)): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: description,
    metric: 'with' in metric ? (metric as Metric).with({ period, statistic: 'Sum' }) : metric,
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

export interface StackAlarmsProps {
  readonly notifications: Notifications;
  readonly bus: IEventBus;
  readonly httpApiId: string;
  readonly scheduleGroupName: string | undefined;
  readonly capabilities: ReadonlyMap<string, Capability>;
}

/**
 * The alarms that belong to the whole system rather than to one function (those are made
 * with each function, in capability.ts), the finance notification and the dashboard.
 */
export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: StackAlarmsProps) {
    super(scope, id);
    const { notifications } = props;
    const add = (alarm: Alarm) => this.alarms.push(notifications.notify(alarm));

    add(
      anyAlarm(
        this,
        'HttpApi5xx',
        new Metric({ namespace: 'AWS/ApiGateway', metricName: '5xx', dimensionsMap: { ApiId: props.httpApiId } }),
        'The HTTP API answered 5xx: a function failed or timed out behind a route (docs/runbook.md "HttpApi5xx")',
        Duration.minutes(5),
      ),
    );

    if (props.scheduleGroupName) {
      const scheduler = (metricName: string) =>
        new Metric({ namespace: 'AWS/Scheduler', metricName, dimensionsMap: { ScheduleGroup: props.scheduleGroupName ?? '' }, statistic: 'Sum', period: Duration.minutes(5) });
      add(
        new Alarm(this, 'ScheduleFailures', {
          alarmDescription: 'EventBridge Scheduler could not run a scheduled job (docs/runbook.md "ScheduleFailures")',
          metric: new MathExpression({
            expression: 'FILL(errors, 0) + FILL(dropped, 0) + FILL(dead, 0)',
            usingMetrics: {
              errors: scheduler('TargetErrorCount'),
              dropped: scheduler('InvocationDroppedCount'),
              dead: scheduler('InvocationsSentToDeadLetterCount'),
            },
            period: Duration.minutes(5),
            label: 'failed schedule invocations',
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    // The compactor reports how old the oldest unsealed event is on every run; no report
    // at all (the job stopped running) is as bad as an old one.
    add(
      new Alarm(this, 'ArchiveStalled', {
        alarmDescription: `Events have waited more than ${archiveStalledAfterHours} hours to reach the archive bucket, or the compactor has not reported for a day (docs/runbook.md "ArchiveStalled")`,
        metric: new Metric({
          namespace: metricsNamespace,
          metricName: oldestPendingMetric.name,
          dimensionsMap: { service: oldestPendingMetric.service },
          statistic: 'Maximum',
          period: Duration.days(1),
        }),
        threshold: archiveStalledAfterHours,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.BREACHING,
      }),
    );

    // Not an alarm: a business notification, straight from the event, to the finance topic.
    const overspent = new Rule(this, 'FundingOverspentToFinance', {
      eventBus: props.bus,
      description: 'Tells finance when a funding stream is overspent',
      eventPattern: { source: [FundingOverspent.source], detailType: [FundingOverspent.detailType] },
    });
    const overspentDeadLetters = new Queue(this, 'FundingOverspentDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: asyncDelivery.deadLetterRetention,
    });
    acknowledgeDeadLetterQueue(overspentDeadLetters, { namedByAFunction: false });
    overspent.addTarget(
      new SnsTopic(notifications.finance, {
        deadLetterQueue: overspentDeadLetters,
        retryAttempts: asyncDelivery.retryAttempts,
        maxEventAge: asyncDelivery.maxEventAge,
        message: RuleTargetInput.fromText(
          `Funding stream ${EventField.fromPath('$.detail.stream')} is overspent for ${EventField.fromPath('$.detail.financialYear')}: ` +
            `${EventField.fromPath('$.detail.remainingPence')} pence remaining after spend ${EventField.fromPath('$.detail.causedBy')}. ` +
            'See the funding page for the ledger.',
        ),
      }),
    );
    add(deadLetterAlarm(this, 'FundingOverspentDeadLettersAlarm', overspentDeadLetters, 'The overspend notification to finance'));

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '# Safer Communities\nOne row per capability (functions/capabilities.ts); alarms in docs/runbook.md.', width: 24, height: 2 }),
      new GraphWidget({
        title: 'HTTP API',
        left: [
          new Metric({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensionsMap: { ApiId: props.httpApiId }, statistic: 'Sum' }),
          new Metric({ namespace: 'AWS/ApiGateway', metricName: '4xx', dimensionsMap: { ApiId: props.httpApiId }, statistic: 'Sum' }),
          new Metric({ namespace: 'AWS/ApiGateway', metricName: '5xx', dimensionsMap: { ApiId: props.httpApiId }, statistic: 'Sum' }),
        ],
        right: [new Metric({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensionsMap: { ApiId: props.httpApiId }, statistic: 'p95' })],
        width: 24,
      }),
    );
    for (const [name, capability] of props.capabilities) this.dashboard.addWidgets(...capability.dashboardRow(name));
  }
}
