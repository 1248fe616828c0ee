import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilities } from '../../functions/capabilities.ts';
import { FundingOverspent } from '#events/funding';
import { buckets, retention } from '#infra/resources';
import { topology, type FunctionSpec } from '#infra/topology';
import { routeKeyOf } from '#shared/wiring';
import { archiveLayout } from '../../functions/archive/layout.ts';
import { oldestPendingMetric } from '../../functions/archive/capability.ts';
import { buildStacks } from '../../infra/cdk/build.ts';
import { deploymentSettings, tokenTrust } from '../../infra/cdk/config.ts';
import { managedRuleGroups, publicPostPrefixes, publicPostsPerFiveMinutes } from '../../infra/cdk/edge-stack.ts';
import { publicPostThrottle, shareBudget } from '../../infra/cdk/http-api.ts';
import { cdkContext, logicalIdOf, removeAssemblies, statelessTemplate, statelessTemplates, synthesise } from './synth.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const alarmEmail = 'oncall@council.test';
const placeholderIssuer = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_REPLACEME';
const financeEmail = 'finance@council.test';
const production = {
  stage: 'prod',
  jwtIssuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123xyz',
  jwtAudience: 'safer-communities-api',
  alarmEmail,
  financeEmail,
  discSecretArn: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:safer-communities/disc-AbCdEf',
};
const edge = {
  domainName: 'safer.council.test',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  originCertificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/66666666-7777-8888-9999-000000000000',
};

const httpTriggers = (specs: readonly FunctionSpec[]) =>
  specs.flatMap((spec) => spec.triggers.flatMap((t) => (t.kind === 'http' ? [{ spec, trigger: t }] : [])));
const isPublicPost = (t: { auth: unknown; method: string }) => t.auth === 'public' && t.method === 'POST';

/** A template's resources of one type, by logical id. */
const of = (template: Template, type: string): Record<string, Json> => template.findResources(type);

/**
 * CloudFormation takes at most 500 resources, 200 parameters and 200 outputs per stack; the
 * parent and every nested stack must stay well under, with room for capabilities to grow.
 * Prints each stack's size (recorded in infra/cdk/README.md, "Nested stacks").
 */
function expectRoomInEveryStack(built: ReturnType<typeof synthesise>, stage: string): void {
  const sizes = statelessTemplates(built.stateless).map(({ name, template }) => ({
    name,
    resources: Object.keys(template.Resources ?? {}).length,
    parameters: Object.keys(template.Parameters ?? {}).length,
    outputs: Object.keys(template.Outputs ?? {}).length,
  }));
  console.log(`stateless stack sizes (${stage}):\n${sizes.map((s) => `  ${s.name}: ${s.resources} resources, ${s.parameters} parameters, ${s.outputs} outputs`).join('\n')}`);
  // The parent, then one nested stack per capability.
  expect(sizes.map((s) => s.name)).toEqual([built.stateless.stackName, ...capabilities.map((c) => c.name)]);
  for (const { name, resources, parameters, outputs } of sizes) {
    expect(resources, name).toBeLessThan(400);
    expect(parameters, name).toBeLessThan(200);
    expect(outputs, name).toBeLessThan(200);
  }
}

describe('infra: operations (alarms, data protection, throttles, releases) with default context', () => {
  let built: ReturnType<typeof synthesise>;
  let stateless: Template;
  let stateful: Template;
  let alarmTopic: string;
  let financeTopic: string;
  let alarms: Json[];

  beforeAll(() => {
    // cdk-nag and the assertions read templates, not code: no bundling.
    built = synthesise({ bundle: false, context: { alarmEmail, financeEmail } });
    stateless = statelessTemplate(built.stateless);
    stateful = Template.fromStack(built.stateful);
    alarmTopic = logicalIdOf(built.stateless.notifications.alarms);
    financeTopic = logicalIdOf(built.stateless.notifications.finance);
    alarms = Object.values(of(stateless, 'AWS::CloudWatch::Alarm'));
  });
  afterAll(removeAssemblies);

  const alarmsWhere = (predicate: (props: Json) => boolean) => alarms.filter((a) => predicate(a.Properties));
  const mentions = (value: unknown, id: string) => JSON.stringify(value).includes(JSON.stringify(id));

  it('pins both stacks to eu-west-2 when context names no region', () => {
    expect(built.stateful.region).toBe('eu-west-2');
    expect(built.stateless.region).toBe('eu-west-2');
    expect(built.edge).toBeUndefined();
  });

  it('sends every alarm, and its return to OK, to the on-call topic, which e-mails the address in context', () => {
    // Every dead-letter queue's, the errors and throttles of all functions, the API's 5xx, schedules, the archive.
    expect(alarms.length).toBeGreaterThan(Object.keys(of(stateless, 'AWS::SQS::Queue')).length + 3);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions, alarm.Properties.AlarmDescription).toEqual([{ Ref: alarmTopic }]);
      expect(alarm.Properties.OKActions, alarm.Properties.AlarmDescription).toEqual([{ Ref: alarmTopic }]);
    }
    stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: alarmEmail, TopicArn: { Ref: alarmTopic } });
    for (const topic of [alarmTopic, financeTopic]) {
      expect(of(stateless, 'AWS::SNS::Topic')[topic]?.Properties.KmsMasterKeyId, topic).toBeDefined();
    }
  });

  it('alarms on any message in every dead-letter queue', () => {
    const queues = Object.keys(of(stateless, 'AWS::SQS::Queue'));
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) {
      const watching = alarmsWhere(
        (p) => p.MetricName === 'ApproximateNumberOfMessagesVisible' && mentions(p.Dimensions, queue) && p.Threshold === 0 && p.ComparisonOperator === 'GreaterThanThreshold',
      );
      expect(watching, queue).toHaveLength(1);
    }
  });

  it('alarms on the first error and the first throttle of any function, once for all (the stack stays under 500 resources)', () => {
    for (const metric of ['Errors', 'Throttles']) {
      const watching = alarmsWhere((p) => p.Namespace === 'AWS/Lambda' && p.MetricName === metric && p.Dimensions === undefined);
      expect(watching, metric).toHaveLength(1);
      expect(watching[0]?.Properties.Threshold).toBe(0);
      expect(watching[0]?.Properties.AlarmActions).toEqual([{ Ref: alarmTopic }]);
    }
    // Each function's own errors and throttles are on the dashboard, not an alarm apiece.
    expect(alarmsWhere((p) => p.Namespace === 'AWS/Lambda' && p.Dimensions !== undefined)).toEqual([]);
  });

  it('keeps the stateless stack and each capability\'s nested stack under 400 resources, 200 parameters and 200 outputs', () => {
    expectRoomInEveryStack(built, 'dev');
  });

  it('builds each capability\'s functions, triggers, routes and their alarms in its own nested stack, and the shared parts in the parent', () => {
    const [parent, ...nested] = statelessTemplates(built.stateless);
    const count = (template: Json | undefined, type: string) => Object.values((template?.Resources ?? {}) as Record<string, Json>).filter((r) => r.Type === type).length;
    for (const type of ['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Permission', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Integration', 'AWS::Scheduler::Schedule']) {
      expect(count(parent?.template, type), type).toBe(0);
    }
    const shared = {
      'AWS::ApiGatewayV2::Api': 1,
      'AWS::ApiGatewayV2::Stage': 1,
      'AWS::ApiGatewayV2::Authorizer': 1,
      'AWS::SNS::Topic': 2,
      'AWS::CloudWatch::Dashboard': 1,
      'AWS::Scheduler::ScheduleGroup': 1,
      'AWS::CloudFormation::Stack': nested.length,
    };
    for (const [type, expected] of Object.entries(shared)) {
      expect(count(parent?.template, type), type).toBe(expected);
      for (const { name, template } of nested) expect(count(template, type), `${type} in ${name}`).toBe(0);
    }
    // CDK's own custom-resource function (it reads the Cognito client secret at deploy time) is
    // built beside the user pool, in the sign-in capability's stack, and nowhere else.
    const cdkProvider = (template: Json | undefined) =>
      Object.entries((template?.Resources ?? {}) as Record<string, Json>).filter(([id, r]) => id.startsWith('AWS679f53fac002430cb0da5b7982bd2287') && r.Type === 'AWS::Lambda::Function').length;
    expect(nested.filter(({ template }) => cdkProvider(template) > 0).map(({ name }) => name)).toEqual(['sign-in']);
    for (const { name, template } of nested) {
      const specs = topology.filter((spec) => spec.capability === name);
      const triggers = specs.flatMap((spec) => spec.triggers);
      expect(count(template, 'AWS::Lambda::Function') - cdkProvider(template), name).toBe(specs.length);
      expect(count(template, 'AWS::ApiGatewayV2::Route'), name).toBe(triggers.filter((t) => t.kind === 'http').length);
      expect(count(template, 'AWS::Events::Rule'), name).toBe(triggers.filter((t) => t.kind === 'events').length);
      expect(count(template, 'AWS::Scheduler::Schedule'), name).toBe(triggers.filter((t) => t.kind === 'schedule').length);
      expect(count(template, 'AWS::CloudWatch::Alarm'), name).toBe(specs.filter((spec) => spec.triggers.some((t) => t.kind !== 'http')).length);
    }
  });

  it('alarms on HTTP API 5xx answers', () => {
    const api = logicalIdOf(built.stateless.httpApi.api);
    expect(alarmsWhere((p) => p.Namespace === 'AWS/ApiGateway' && p.MetricName === '5xx' && mentions(p.Dimensions, api))).toHaveLength(1);
  });

  it('puts every schedule in one group and alarms on its failed, dropped and dead-lettered invocations', () => {
    const schedules = Object.values(of(stateless, 'AWS::Scheduler::Schedule'));
    expect(schedules.length).toBe(topology.flatMap((s) => s.triggers).filter((t) => t.kind === 'schedule').length);
    const group = Object.values(of(stateless, 'AWS::Scheduler::ScheduleGroup'))[0]?.Properties.Name;
    for (const schedule of schedules) expect(schedule.Properties.GroupName).toEqual(group);
    const [failures, ...others] = alarmsWhere((p) => JSON.stringify(p.Metrics ?? []).includes('AWS/Scheduler'));
    expect(others).toEqual([]);
    const watched = (failures?.Properties.Metrics as Json[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    expect(watched.map((m) => m.MetricName).sort()).toEqual(['InvocationDroppedCount', 'InvocationsSentToDeadLetterCount', 'TargetErrorCount']);
    for (const m of watched) expect(m.Dimensions).toEqual([{ Name: 'ScheduleGroup', Value: group }]);
  });

  it('alarms when the archive stalls: an old unsealed event, or no report from the compactor at all', () => {
    const [stalled, ...others] = alarmsWhere((p) => p.MetricName === oldestPendingMetric.name);
    expect(others).toEqual([]);
    expect(stalled?.Properties).toMatchObject({
      Namespace: 'SaferCommunities',
      Dimensions: [{ Name: 'service', Value: 'ArchiveCompactor' }],
      TreatMissingData: 'breaching',
      Period: 86_400,
    });
    expect(topology.some((s) => s.name === oldestPendingMetric.service && s.triggers.some((t) => t.kind === 'schedule'))).toBe(true);
  });

  it('tells finance, on their own topic, when a funding stream is overspent', () => {
    const rules = Object.values(of(stateless, 'AWS::Events::Rule')).filter((r) => mentions(r.Properties.Targets, financeTopic));
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.EventPattern).toEqual({ source: [FundingOverspent.source], 'detail-type': [FundingOverspent.detailType] });
    const target = rules[0]?.Properties.Targets[0];
    expect(target.Arn).toEqual({ Ref: financeTopic });
    expect(target.DeadLetterConfig).toBeDefined();
    expect(JSON.stringify(target.InputTransformer)).toContain('$.detail.stream');
    stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: financeEmail, TopicArn: { Ref: financeTopic } });
    // Finance's address never receives the operational alarms.
    const onCall = Object.values(of(stateless, 'AWS::SNS::Subscription')).filter((s) => s.Properties.TopicArn.Ref === alarmTopic);
    expect(onCall.map((s) => s.Properties.Endpoint)).toEqual([alarmEmail]);
  });

  it('draws a dashboard row for every capability in functions/capabilities.ts', () => {
    const body = JSON.stringify(Object.values(of(stateless, 'AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody);
    for (const capability of capabilities) expect(body, capability.name).toContain(`## ${capability.name}`);
  });

  it('retains the bus and its archive', () => {
    for (const type of ['AWS::Events::EventBus', 'AWS::Events::Archive']) {
      const [resource, ...rest] = Object.values(of(stateful, type));
      expect(rest).toEqual([]);
      expect(resource?.DeletionPolicy, type).toBe('Retain');
      expect(resource?.UpdateReplacePolicy, type).toBe('Retain');
    }
  });

  it('locks the archive bucket in governance mode, and keeps free text from the public for less time than the events', () => {
    const bucket = of(stateful, 'AWS::S3::Bucket')[logicalIdOf(built.stateful.buckets.archive)];
    expect(bucket?.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket?.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: retention.publicTextDays } },
    });
    const rules: Json[] = bucket?.Properties.LifecycleConfiguration.Rules;
    const expiry = (prefix: string | undefined) => rules.find((r) => r.Prefix === prefix && r.ExpirationInDays)?.ExpirationInDays;
    expect(expiry(undefined)).toBe(retention.archiveDays);
    expect(expiry(archiveLayout.publicText)).toBe(retention.publicTextDays);
    expect(retention.publicTextDays).toBeLessThan(retention.archiveDays);
    // A lock no longer than the shortest retention, so lifecycle removes text on time.
    expect(buckets.archive.lockDays).toBeLessThanOrEqual(retention.publicTextDays);
  });

  it('shares one stage-wide budget between the routes, with the fixed tight share on public POSTs', () => {
    const stage = Object.values(of(stateless, 'AWS::ApiGatewayV2::Stage'))[0]?.Properties;
    const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = stage.RouteSettings;
    const triggers = httpTriggers(topology);
    expect(Object.keys(settings).sort()).toEqual(triggers.map(({ trigger }) => routeKeyOf(trigger)).sort());
    const rate = Object.values(settings).reduce((sum, s) => sum + s.ThrottlingRateLimit, 0);
    const burst = Object.values(settings).reduce((sum, s) => sum + s.ThrottlingBurstLimit, 0);
    expect(rate).toBeLessThanOrEqual(built.deployment.apiRateLimit);
    expect(burst).toBeLessThanOrEqual(built.deployment.apiBurstLimit);
    const publicPosts = triggers.filter(({ trigger }) => isPublicPost(trigger));
    expect(publicPosts.length).toBeGreaterThan(0);
    for (const { trigger } of triggers) {
      const s = settings[routeKeyOf(trigger)];
      if (isPublicPost(trigger)) expect(s, routeKeyOf(trigger)).toEqual({ ThrottlingRateLimit: publicPostThrottle.rateLimit, ThrottlingBurstLimit: publicPostThrottle.burstLimit });
      else {
        // Tighter on public POSTs than on any other route.
        expect(s?.ThrottlingRateLimit, routeKeyOf(trigger)).toBeGreaterThan(publicPostThrottle.rateLimit);
        expect(s?.ThrottlingBurstLimit, routeKeyOf(trigger)).toBeGreaterThan(publicPostThrottle.burstLimit);
      }
    }
    const least = Math.min(...Object.values(settings).map((s) => s.ThrottlingRateLimit));
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBe(least);
    expect(Object.values(of(stateless, 'AWS::ApiGatewayV2::Api'))[0]?.Properties.DisableExecuteApiEndpoint).toBe(false);
  });

  it('publishes every function as a version behind a live alias, released at once outside production', () => {
    const aliases = of(stateless, 'AWS::Lambda::Alias');
    expect(Object.keys(aliases)).toHaveLength(topology.length);
    for (const spec of topology) {
      const aliasId = logicalIdOf(built.stateless.aliases.get(spec.name) as never);
      const alias = aliases[aliasId];
      expect(alias?.Properties.Name, spec.name).toBe('live');
      expect(alias?.Properties.FunctionVersion['Fn::GetAtt'][1], spec.name).toBe('Version');
      expect(alias?.UpdatePolicy, spec.name).toBeUndefined();
    }
    expect(Object.keys(of(stateless, 'AWS::CodeDeploy::DeploymentGroup'))).toEqual([]);
  });
});

describe('infra: a production deployment behind a custom domain', () => {
  let built: ReturnType<typeof synthesise>;
  let stateless: Template;
  let stateful: Template;
  let edgeTemplate: Template;

  beforeAll(() => {
    built = synthesise({ bundle: false, context: { ...production, ...edge } });
    stateless = statelessTemplate(built.stateless);
    stateful = Template.fromStack(built.stateful);
    edgeTemplate = Template.fromStack(built.edge as never);
  });
  afterAll(removeAssemblies);

  it('puts CloudFront and WAF in us-east-1 and the rest in eu-west-2', () => {
    expect(built.edge?.region).toBe('us-east-1');
    expect(built.stateless.region).toBe('eu-west-2');
  });

  it('serves the domain through CloudFront with the web ACL, TLS 1.2 and no caching, from the API\'s origin domain', () => {
    const distribution = Object.values(of(edgeTemplate, 'AWS::CloudFront::Distribution'))[0]?.Properties.DistributionConfig;
    expect(distribution.Aliases).toEqual([edge.domainName]);
    const edgeStack = built.edge as NonNullable<typeof built.edge>;
    expect(distribution.WebACLId).toEqual({ 'Fn::GetAtt': [edgeStack.resolve(edgeStack.webAcl.logicalId), 'Arn'] });
    expect(distribution.ViewerCertificate).toMatchObject({ AcmCertificateArn: edge.certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021' });
    expect(distribution.Origins[0].DomainName).toBe(`origin.${edge.domainName}`);
    expect(distribution.Origins[0].CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it('runs the managed rule groups and a per-address rate limit on POSTs to the public routes', () => {
    const acl = Object.values(of(edgeTemplate, 'AWS::WAFv2::WebACL'))[0]?.Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    const rules: Json[] = acl.Rules;
    for (const name of managedRuleGroups) {
      expect(rules.find((r) => r.Statement.ManagedRuleGroupStatement?.Name === name)?.Statement.ManagedRuleGroupStatement.VendorName, name).toBe('AWS');
    }
    const rate = rules.find((r) => r.Statement.RateBasedStatement)?.Statement.RateBasedStatement;
    expect(rate).toMatchObject({ Limit: publicPostsPerFiveMinutes, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
    const [method, paths] = rate.ScopeDownStatement.AndStatement.Statements;
    expect(method.ByteMatchStatement).toMatchObject({ FieldToMatch: { Method: {} }, SearchString: 'POST' });
    const prefixes = publicPostPrefixes(topology);
    const publicPosts = httpTriggers(topology).filter(({ trigger }) => isPublicPost(trigger));
    for (const { trigger } of publicPosts) expect(prefixes.some((p) => trigger.path.startsWith(p)), trigger.path).toBe(true);
    const matched = (paths.OrStatement?.Statements ?? [paths]).map((s: Json) => s.ByteMatchStatement.SearchString);
    expect(matched.sort()).toEqual(prefixes);
  });

  it('switches the execute-api endpoint off and maps the API to its origin domain', () => {
    expect(Object.values(of(stateless, 'AWS::ApiGatewayV2::Api'))[0]?.Properties.DisableExecuteApiEndpoint).toBe(true);
    stateless.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: `origin.${edge.domainName}`,
      DomainNameConfigurations: [{ CertificateArn: edge.originCertificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    expect(Object.keys(of(stateless, 'AWS::ApiGatewayV2::ApiMapping'))).toHaveLength(1);
  });

  it('imports the DISC secret made by hand instead of generating a placeholder', () => {
    // The Notify key's secret is still made (finance put the key in after the first deploy); the DISC one is not.
    expect(Object.keys(of(stateful, 'AWS::SecretsManager::Secret')).filter((id) => /disc/i.test(id))).toEqual([]);
    const outputs = Object.values(stateful.findOutputs('*')).map((o: Json) => o.Value);
    expect(outputs).toContainEqual(production.discSecretArn);
  });

  it('shifts traffic to a new version of each HTTP function by canary in production, rolled back on any function error', () => {
    const groups = of(stateless, 'AWS::CodeDeploy::DeploymentGroup');
    const configs = new Set(Object.values(groups).map((g) => g.Properties.DeploymentConfigName));
    expect([...configs]).toEqual(['CodeDeployDefault.LambdaCanary10Percent5Minutes']);
    const http = topology.filter((spec) => spec.triggers.some((t) => t.kind === 'http'));
    expect(Object.keys(groups)).toHaveLength(http.length);
    const aliases = of(stateless, 'AWS::Lambda::Alias');
    for (const spec of http) {
      const alias = aliases[logicalIdOf(built.stateless.aliases.get(spec.name) as never)];
      const group = groups[alias?.UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName.Ref]?.Properties;
      expect(group?.AutoRollbackConfiguration, spec.name).toEqual({ Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'] });
      const [watched] = group?.AlarmConfiguration.Alarms ?? [];
      const errors = of(stateless, 'AWS::CloudWatch::Alarm')[watched?.Name.Ref]?.Properties;
      expect(errors?.MetricName, spec.name).toBe('Errors');
    }
    expectRoomInEveryStack(built, 'prod');
  });
});

describe('infra: deployment context is checked before anything is built', () => {
  const build = (context: Record<string, unknown>) => () => buildStacks(new App({ context: { ...cdkContext, ...context } }));

  it('refuses a production synth while the issuer, the DISC secret and the alarm e-mail are placeholders, naming each', () => {
    expect(build({ stage: 'prod', jwtIssuer: placeholderIssuer, jwtAudience: 'safer-communities-api' })).toThrow(/jwtIssuer is a placeholder[\s\S]*alarmEmail[\s\S]*discSecretArn/);
    // Without jwtIssuer the API trusts the sign-in pool: nothing to refuse there.
    expect(build({ stage: 'prod' })).toThrow(/^refusing a production synth:\n {2}- alarmEmail[^\n]*\n {2}- discSecretArn[^\n]*$/);
  });

  it.each([
    ['the placeholder issuer', { jwtIssuer: placeholderIssuer, jwtAudience: 'safer-communities-api' }, /jwtIssuer is a placeholder/],
    ['no alarm e-mail', { alarmEmail: undefined }, /alarmEmail is missing/],
    ['an example alarm e-mail', { alarmEmail: 'oncall@example.com' }, /alarmEmail is missing or a placeholder/],
    ['no DISC secret', { discSecretArn: undefined }, /discSecretArn is missing/],
  ])('refuses a production synth with %s alone', (_name, change, message) => {
    expect(build({ ...production, ...change })).toThrow(message);
  });

  it('refuses an edge without both certificates, in the right regions', () => {
    expect(build({ domainName: edge.domainName })).toThrow(/certificateArn must be an ACM certificate in us-east-1/);
    expect(build({ ...edge, certificateArn: edge.originCertificateArn })).toThrow(/us-east-1/);
    expect(build({ ...edge, originCertificateArn: edge.certificateArn })).toThrow(/originCertificateArn must be an ACM certificate in eu-west-2/);
  });

  it('refuses a throttle budget too small to share between the routes', () => {
    const routes = [
      { routeKey: 'POST /reports', publicPost: true },
      { routeKey: 'GET /cases', publicPost: false },
    ];
    expect(() => shareBudget({ rateLimit: 1, burstLimit: 100 }, routes)).toThrow(/too small to share between 2 routes/);
    expect(() => shareBudget({ rateLimit: 100, burstLimit: 5 }, routes)).toThrow(/raise them/);
    expect(shareBudget({ rateLimit: 11, burstLimit: 25 }, routes)).toEqual([
      { routeKey: 'POST /reports', ...publicPostThrottle },
      { routeKey: 'GET /cases', rateLimit: 10, burstLimit: 20 },
    ]);
  });

  it('accepts the settings the functions read, the officer pages\' among them, and refuses any other name', () => {
    const settingsOf = (settings: Record<string, unknown>) => deploymentSettings(new App({ context: { settings } }).node);
    const officer = { SC_STAFF_DIRECTORY: { 'u-123': 'Jo Marsh' }, SC_DUPLICATE_DISTANCE_METRES: '250', SC_DUPLICATE_WITHIN_DAYS: '7' };
    expect(settingsOf({ SC_COUNCIL_NAME: 'Melton Borough Council', ...officer })).toEqual({
      SC_COUNCIL_NAME: 'Melton Borough Council',
      SC_STAFF_DIRECTORY: '{"u-123":"Jo Marsh"}',
      SC_DUPLICATE_DISTANCE_METRES: '250',
      SC_DUPLICATE_WITHIN_DAYS: '7',
    });
    expect(() => settingsOf({ SC_DUPLICATE_RADIUS: '250' })).toThrow(/SC_DUPLICATE_RADIUS is not a setting the functions read/);
    expect(() => settingsOf({ SC_STAFF: '{}' })).toThrow(/SC_STAFF is not a setting/);
  });

  it('pins the region the context names', () => {
    const app = new App({ context: { ...cdkContext, region: 'eu-west-1', 'aws:cdk:bundling-stacks': [] } });
    const { stateful, stateless } = buildStacks(app, { functions: [] });
    expect([stateful.region, stateless.region]).toEqual(['eu-west-1', 'eu-west-1']);
  });
});

describe('infra: whose tokens the API accepts', () => {
  const provider = { issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Pool1', clientId: 'client-1' };

  it('trusts the staff sign-in provider, its client id the audience, when context names no issuer', () => {
    expect(tokenTrust({ jwtAudience: [] }, provider)).toEqual({ issuer: provider.issuer, audience: ['client-1'], jwksUrl: `${provider.issuer}/.well-known/jwks.json` });
    expect(tokenTrust({ jwtAudience: ['reports-cli', 'client-1'], jwksUrl: 'https://keys.council.test/jwks' }, provider)).toEqual({
      issuer: provider.issuer,
      audience: ['client-1', 'reports-cli'],
      jwksUrl: 'https://keys.council.test/jwks',
    });
  });

  it('trusts context jwtIssuer with its own audiences instead, when set', () => {
    expect(tokenTrust({ jwtIssuer: 'https://login.council.test/', jwtAudience: ['api'] }, provider)).toEqual({
      issuer: 'https://login.council.test/',
      audience: ['api'],
      jwksUrl: 'https://login.council.test/.well-known/jwks.json',
    });
  });

  it('refuses jwtIssuer without an audience, saying what to add', () => {
    expect(() => buildStacks(new App({ context: { ...cdkContext, jwtIssuer: 'https://login.council.test' } }))).toThrow(/jwtAudience must name at least one audience .*when jwtIssuer is set/);
  });
});
