import { Match, Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets, secrets, tables, type BucketName, type SecretName, type TableName } from '#infra/resources';
import { routeKeyOf } from '#shared/wiring';
import { topology, type FunctionSpec, type Trigger } from '#infra/topology';
import { fixtureTopology, logicalIdOf, removeAssemblies, statelessTemplate, synthesise } from './synth.ts';

type Json = Record<string, any>;
interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** The logical id prefix of CDK's singleton custom-resource function (AwsCustomResource), which reads the Cognito client secret at deploy. */
const CDK_SECRET_READER = 'AWS679f53fac002430cb0da5b7982bd2287';
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
function single<T>(items: readonly T[]): T {
  const [item, ...rest] = items;
  if (item === undefined || rest.length > 0) throw new Error(`expected exactly one item, got ${items.length}`);
  return item;
}
const tableNames = Object.keys(tables) as TableName[];
const bucketNames = Object.keys(buckets) as BucketName[];
const secretNames = Object.keys(secrets) as SecretName[];
const triggersOf = <K extends Trigger['kind']>(specs: readonly FunctionSpec[], kind: K) =>
  specs.flatMap((spec) => spec.triggers.filter((t): t is Extract<Trigger, { kind: K }> => t.kind === kind).map((trigger) => ({ spec, trigger })));

/** Minified code also has strings such as "from" in a parser: keep what looks like a module id. */
const packageSpecifier = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?$/i;
const optionalSdkSigners = ['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'];
const dynamoReads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const dynamoWrites = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * Reads a synthesised stateless stack and its capabilities' nested stacks as one: each
 * function's resources, role statements and triggers.
 */
function statelessView(built: ReturnType<typeof synthesise>) {
  const template = statelessTemplate(built.stateless);
  const resources = (type: string): Record<string, Json> => template.findResources(type);
  const functionId = (spec: FunctionSpec) => {
    const fn = built.stateless.functions.get(spec.name);
    if (!fn) throw new Error(`no function for ${spec.name}`);
    return logicalIdOf(fn);
  };
  const functionOf = (spec: FunctionSpec): Json => {
    const fn = resources('AWS::Lambda::Function')[functionId(spec)];
    if (!fn) throw new Error(`no AWS::Lambda::Function for ${spec.name}`);
    return fn;
  };
  const fnArn = (spec: FunctionSpec) => ({ 'Fn::GetAtt': [functionId(spec), 'Arn'] });
  /** What triggers invoke: the function's live alias (a Ref to an alias is its ARN). */
  const aliasArn = (spec: FunctionSpec) => {
    const alias = built.stateless.aliases.get(spec.name);
    if (!alias) throw new Error(`no alias for ${spec.name}`);
    return { Ref: logicalIdOf(alias) };
  };
  const statementsOf = (spec: FunctionSpec): Statement[] => {
    const roleId: string = functionOf(spec).Properties.Role['Fn::GetAtt'][0];
    return Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  };
  /** Actions of the statements whose resources name the given import (a table, bucket or bus). */
  const actionsOn = (spec: FunctionSpec, exportName: string) =>
    statementsOf(spec)
      .filter((s) => JSON.stringify(s.Resource).includes(JSON.stringify(exportName)))
      .flatMap((s) => asArray(s.Action));
  const ruleFor = (spec: FunctionSpec, pattern: unknown): Json | undefined =>
    Object.values(resources('AWS::Events::Rule')).find(
      (r) =>
        JSON.stringify(r.Properties.EventPattern) === JSON.stringify(pattern) &&
        r.Properties.Targets.some((t: Json) => JSON.stringify(t.Arn) === JSON.stringify(aliasArn(spec))),
    );
  const routeFor = (routeKey: string): Json | undefined =>
    Object.values(resources('AWS::ApiGatewayV2::Route')).find((r) => r.Properties.RouteKey === routeKey);
  /** The rules that deliver to functions (not the finance notification). */
  const functionRules = () =>
    Object.values(resources('AWS::Events::Rule')).filter((r) => r.Properties.Targets.some((t: Json) => t.Arn?.Ref && resources('AWS::Lambda::Alias')[t.Arn.Ref]));
  return { template, resources, functionId, functionOf, fnArn, aliasArn, statementsOf, actionsOn, ruleFor, routeFor, functionRules };
}

describe('infra: stack', () => {
  let built: ReturnType<typeof synthesise>;
  let view: ReturnType<typeof statelessView>;
  let stateful: Template;

  // Bundling all 51 functions: about 65 s on a quiet machine, past the project's 300 s at load 13
  // (seen 2026-12-02). A limit for a hung synth, not a measure of speed.
  beforeAll(() => {
    built = synthesise();
    view = statelessView(built);
    stateful = Template.fromStack(built.stateful);
  }, 900_000);
  afterAll(removeAssemblies);

  const tableExport = (name: TableName) => built.stateful.exports.tableNames[name];
  const bucketExport = (name: BucketName) => built.stateful.exports.bucketNames[name];

  it('creates one arm64 nodejs22.x function per topology entry when synthesised', () => {
    // Besides ours, only CDK's own reader of the Cognito client secret (staff-sign-in.ts, checked in sign-in.test.ts).
    const ours = Object.keys(view.resources('AWS::Lambda::Function')).filter((id) => !id.startsWith(CDK_SECRET_READER));
    expect(Object.keys(view.resources('AWS::Lambda::Function')).length - ours.length).toBe(1);
    expect(ours).toHaveLength(topology.length);
    for (const spec of topology) {
      const props = view.functionOf(spec).Properties;
      expect(props.Runtime, spec.name).toBe('nodejs22.x');
      expect(props.Architectures, spec.name).toEqual(['arm64']);
      expect(props.Handler, spec.name).toBe('index.handler');
      expect(props.TracingConfig, spec.name).toEqual({ Mode: 'Active' });
      expect(props.LoggingConfig.LogGroup, spec.name).toBeDefined();
      expect(props.Environment.Variables, spec.name).toMatchObject({
        POWERTOOLS_SERVICE_NAME: spec.name,
        POWERTOOLS_METRICS_NAMESPACE: 'SaferCommunities',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('bundles each handler as an ES module with its dependencies and the AWS SDK inside when synthesised', () => {
    for (const spec of topology) {
      // The code's S3 key is its asset hash, and the assembly stages the asset under that hash.
      const assetHash = String(view.functionOf(spec).Properties.Code.S3Key).replace(/\.zip$/, '');
      const bundle = readFileSync(path.join(built.outdir, `asset.${assetHash}`, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire as __createRequire } from 'node:module';"), spec.name).toBe(true);
      const loadedAtRunTime = [...bundle.matchAll(/(?:\brequire\(|\bfrom\s*|\bimport\()\s*["']([^"']+)["']/g)]
        .map((m) => m[1] ?? '')
        .filter((id) => packageSpecifier.test(id) && !id.startsWith('node:') && !builtinModules.includes(id));
      // Only the SDK's optional SigV4a signers, required inside try/catch, stay outside.
      expect([...new Set(loadedAtRunTime)].filter((id) => !optionalSdkSigners.includes(id)), spec.name).toEqual([]);
    }
  });

  it('gives a function the name of a table, bucket or bus only when its entry uses it', () => {
    for (const spec of topology) {
      const env: Json = view.functionOf(spec).Properties.Environment.Variables;
      for (const name of tableNames) {
        const expected = spec.tables?.[name] ? { 'Fn::ImportValue': tableExport(name) } : undefined;
        expect(env[tables[name].envVar], `${spec.name} ${name}`).toEqual(expected);
      }
      for (const name of bucketNames) {
        const expected = spec.buckets?.[name] ? { 'Fn::ImportValue': bucketExport(name) } : undefined;
        expect(env[buckets[name].envVar], `${spec.name} ${name}`).toEqual(expected);
      }
      const bus = spec.putsEvents ? { 'Fn::ImportValue': built.stateful.exports.busName } : undefined;
      expect(env.EVENT_BUS_NAME, spec.name).toEqual(bus);
    }
  });

  it('gives every HTTP function the public address (the API\'s endpoint by default), and no other function', () => {
    for (const spec of topology) {
      const env: Json = view.functionOf(spec).Properties.Environment.Variables;
      const http = spec.triggers.some((t) => t.kind === 'http');
      if (http) expect(env.SC_PUBLIC_URL, spec.name).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HttpApi/), 'ApiEndpoint'] });
      else expect(env.SC_PUBLIC_URL, spec.name).toBeUndefined();
    }
  });

  it('gives only the functions that declare a secret its ARN, read access and the secrets extension (and staff pages the session key)', () => {
    const withSecrets = topology.filter((spec) => spec.secrets?.length);
    expect(withSecrets.map((s) => s.name)).toContain('DiscWebhook');
    for (const spec of topology) {
      const props = view.functionOf(spec).Properties;
      const env: Json = props.Environment.Variables;
      const secretStatements = view.statementsOf(spec).filter((st: Json) => asArray(st.Action).some((a: string) => a.startsWith('secretsmanager:')));
      for (const name of secretNames) {
        const declared = spec.secrets?.includes(name) ?? false;
        const expected = declared ? { 'Fn::ImportValue': built.stateful.exports.secretArns[name] } : undefined;
        expect(env[secrets[name].envVar], `${spec.name} ${name}`).toEqual(expected);
      }
      // Staff pages read the session key (a signed-in browser's cookie); the sign-in function also the client secret.
      const staffPages = spec.triggers.some((t) => t.kind === 'http' && t.page && t.auth !== 'public');
      const signsIn = spec.name === 'StaffSignIn';
      const sessionKey = JSON.stringify({ Ref: logicalIdOf(built.stateless.staffSignIn.sessionSecret) });
      const secretsRead = secretStatements.flatMap((st: Json) => asArray(st.Resource)).map((r) => JSON.stringify(r));
      expect(secretsRead.includes(sessionKey), `${spec.name} reads the session key`).toBe(staffPages || signsIn);
      expect(secretsRead.some((r) => r !== sessionKey), `${spec.name} secretsmanager grants`).toBe(Boolean(spec.secrets?.length) || signsIn);
      expect(props.Layers !== undefined, `${spec.name} layer ${JSON.stringify(props.Layers)}`).toBe(Boolean(spec.secrets?.length) || staffPages || signsIn);
    }
    stateful.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { GenerateStringKey: 'subjectKey', ExcludePunctuation: true, PasswordLength: 64 },
    });
  });

  it('delivers each events trigger by a rule with the contract pattern, two retries and a dead-letter queue', () => {
    const triggers = triggersOf(topology, 'events');
    expect(triggers.length).toBeGreaterThan(0);
    expect(view.functionRules()).toHaveLength(triggers.length);
    for (const { spec, trigger } of triggers) {
      const rule = view.ruleFor(spec, trigger.pattern);
      expect(rule, `${trigger.ruleName} → ${spec.name}`).toBeDefined();
      const target = rule?.Properties.Targets[0];
      expect(rule?.Properties.EventBusName).toEqual({ 'Fn::ImportValue': built.stateful.exports.busName });
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600 });
      expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][1]).toBe('Arn');
    }
  });

  it('retries async invocations twice into an encrypted, TLS-only dead-letter queue when an entry has async triggers', () => {
    const queues = view.resources('AWS::SQS::Queue');
    const queuePolicies = Object.values(view.resources('AWS::SQS::QueuePolicy'));
    const invokeConfigs = Object.values(view.resources('AWS::Lambda::EventInvokeConfig'));
    for (const spec of topology) {
      const async = spec.triggers.some((t) => t.kind !== 'http');
      const props = view.functionOf(spec).Properties;
      const config = invokeConfigs.find((c) => c.Properties.FunctionName.Ref === view.functionId(spec));
      if (!async) {
        expect(props.DeadLetterConfig, spec.name).toBeUndefined();
        continue;
      }
      expect(config?.Properties, spec.name).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600 });
      const queueId: string = props.DeadLetterConfig.TargetArn['Fn::GetAtt'][0];
      expect(queues[queueId]?.Properties, spec.name).toEqual({ MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
      const tlsOnly = queuePolicies.some(
        (p) =>
          p.Properties.Queues.some((q: Json) => q.Ref === queueId) &&
          p.Properties.PolicyDocument.Statement.some(
            (s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          ),
      );
      expect(tlsOnly, spec.name).toBe(true);
    }
  });

  it('routes each http trigger as METHOD path, with a JWT authorizer unless the route is public or a page', () => {
    const triggers = triggersOf(topology, 'http');
    expect(Object.keys(view.resources('AWS::ApiGatewayV2::Route'))).toHaveLength(triggers.length);
    const integrations = view.resources('AWS::ApiGatewayV2::Integration');
    for (const { spec, trigger } of triggers) {
      const routeKey = routeKeyOf(trigger);
      const route = view.routeFor(routeKey);
      expect(route, routeKey).toBeDefined();
      expect(route?.Properties.AuthorizationType ?? 'NONE', routeKey).toBe(trigger.auth === 'public' || trigger.page ? 'NONE' : 'JWT');
      const integrationId: string = route?.Properties.Target['Fn::Join'][1][1].Ref;
      expect(integrations[integrationId]?.Properties.IntegrationUri, routeKey).toEqual(view.aliasArn(spec));
    }
    // Without context jwtIssuer the API trusts the staff sign-in pool this deployment makes, in one deployment.
    const [pool] = Object.keys(view.resources('AWS::Cognito::UserPool'));
    const [client] = Object.keys(view.resources('AWS::Cognito::UserPoolClient'));
    const [authorizer, ...others] = Object.values(view.resources('AWS::ApiGatewayV2::Authorizer'));
    expect(others).toEqual([]);
    expect(authorizer?.Properties.AuthorizerType).toBe('JWT');
    const { Issuer: issuer, Audience: audience } = authorizer?.Properties.JwtConfiguration ?? {};
    expect(JSON.stringify(issuer)).toMatch(/https:\/\/cognito-idp\./);
    expect(JSON.stringify(issuer)).toContain(JSON.stringify({ Ref: pool }));
    expect(audience).toEqual([{ Ref: client }]);
  });

  it('logs and throttles the API stage when it is created', () => {
    // How the throttle budget is shared between routes: operations.test.ts.
    view.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
    const stage = Object.values(view.resources('AWS::ApiGatewayV2::Stage'))[0];
    const format: Json = JSON.parse(stage?.Properties.AccessLogSettings.Format);
    expect(format.requestId).toBe('$context.requestId');
    expect(Object.values(format)).not.toContain('$context.identity.sourceIp');
  });

  it('schedules each schedule trigger in Europe/London when the topology has any', () => {
    const schedules = Object.values(view.resources('AWS::Scheduler::Schedule'));
    const triggers = triggersOf(topology, 'schedule');
    expect(schedules).toHaveLength(triggers.length);
    for (const { spec, trigger } of triggers) {
      const schedule = schedules.find((s) => JSON.stringify(s.Properties.Target.Arn) === JSON.stringify(view.aliasArn(spec)));
      expect(schedule?.Properties.ScheduleExpressionTimezone, trigger.name).toBe('Europe/London');
    }
  });

  it('keeps every table on demand with PITR, SSE, TTL and its indexes, and retains it', () => {
    const found = stateful.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(found)).toHaveLength(tableNames.length);
    for (const name of tableNames) {
      const def = tables[name];
      const table = found[logicalIdOf(built.stateful.tables[name])];
      expect(table?.DeletionPolicy, name).toBe('Retain');
      expect(table?.Properties, name).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
      });
      expect(table?.Properties.KeySchema[0], name).toEqual({ AttributeName: def.partitionKey, KeyType: 'HASH' });
      const indexes = (table?.Properties.GlobalSecondaryIndexes ?? []).map((i: Json) => i.IndexName);
      expect(indexes, name).toEqual(def.globalIndexes.map((i) => i.name));
    }
  });

  it('blocks public access, versions, encrypts, logs, expires and requires TLS on every bucket', () => {
    const found = stateful.findResources('AWS::S3::Bucket');
    const policies = Object.values(stateful.findResources('AWS::S3::BucketPolicy'));
    for (const name of bucketNames) {
      const def = buckets[name] as (typeof buckets)[BucketName] & { infrequentAccessAfterDays?: number };
      const id = logicalIdOf(built.stateful.buckets[name]);
      const props = found[id]?.Properties;
      expect(found[id]?.DeletionPolicy, name).toBe('Retain');
      expect(props.PublicAccessBlockConfiguration, name).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(props.VersioningConfiguration, name).toEqual({ Status: 'Enabled' });
      expect(props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm, name).toBe('AES256');
      expect(props.LoggingConfiguration.DestinationBucketName.Ref, name).toBeDefined();
      const [rule, ...byPrefix] = props.LifecycleConfiguration.Rules;
      expect(rule.ExpirationInDays, name).toBe(def.expireAfterDays);
      const prefixes: readonly { prefix: string; days: number }[] = 'prefixExpirations' in def ? def.prefixExpirations : [];
      expect(byPrefix.map((r: Json) => ({ prefix: r.Prefix, days: r.ExpirationInDays })), name).toEqual(prefixes);
      expect(rule.NoncurrentVersionExpiration.NoncurrentDays, name).toBeGreaterThan(0);
      const ia = def.infrequentAccessAfterDays;
      expect(rule.Transitions, name).toEqual(ia ? [{ StorageClass: 'STANDARD_IA', TransitionInDays: ia }] : undefined);
      const tlsOnly = policies.some(
        (p) =>
          p.Properties.Bucket.Ref === id &&
          p.Properties.PolicyDocument.Statement.some(
            (s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          ),
      );
      expect(tlsOnly, name).toBe(true);
    }
  });

  it('archives every event on the bus for a year', () => {
    stateful.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 365 });
  });

  it('grants no DynamoDB actions when an entry declares no tables', () => {
    const without = topology.filter((spec) => Object.keys(spec.tables ?? {}).length === 0);
    expect(without.length).toBeGreaterThan(0);
    for (const spec of without) {
      const actions = view.statementsOf(spec).flatMap((s) => asArray(s.Action));
      expect(actions.filter((a) => a.startsWith('dynamodb:')), spec.name).toEqual([]);
    }
  });

  it('grants each table exactly the access an entry declares, and none to other tables', () => {
    for (const spec of topology) {
      for (const name of tableNames) {
        const actions = view.actionsOn(spec, tableExport(name));
        const access = spec.tables?.[name];
        const where = `${spec.name} on ${name} (${access ?? 'none'})`;
        if (!access) expect(actions, where).toEqual([]);
        if (access === 'read') {
          expect(actions, where).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
          expect(actions.filter((a) => dynamoWrites.includes(a)), where).toEqual([]);
        }
        if (access === 'write') {
          expect(actions, where).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
          expect(actions.filter((a) => dynamoReads.includes(a)), where).toEqual([]);
        }
        if (access === 'readwrite') {
          expect(actions, where).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
        }
      }
    }
  });

  it('grants each bucket only the object actions an entry declares, and never deletes', () => {
    for (const spec of topology) {
      const all = view.statementsOf(spec).flatMap((s) => asArray(s.Action));
      expect(all.filter((a) => a.startsWith('s3:') && (a.includes('*') || a.includes('Delete'))), spec.name).toEqual([]);
      for (const name of bucketNames) {
        const actions = view.actionsOn(spec, bucketExport(name));
        const access = spec.buckets?.[name];
        const where = `${spec.name} on ${name} (${access ?? 'none'})`;
        if (!access) expect(actions, where).toEqual([]);
        if (access === 'read') expect(actions.sort(), where).toEqual(['s3:GetObject', 's3:ListBucket']);
        if (access === 'write') expect(actions.sort(), where).toEqual(['s3:AbortMultipartUpload', 's3:PutObject']);
      }
    }
  });

  it('lets a function put events only when its entry says it puts events', () => {
    for (const spec of topology) {
      const putEvents = view.statementsOf(spec).filter((s) => asArray(s.Action).includes('events:PutEvents'));
      expect(putEvents.length > 0, spec.name).toBe(spec.putsEvents === true);
      for (const statement of putEvents) {
        expect(JSON.stringify(statement.Resource)).toContain(JSON.stringify(built.stateful.exports.busName));
      }
    }
  });

  it('grants on all resources only what X-Ray needs, and attaches no managed policies but CodeDeploy\'s own', () => {
    for (const spec of topology) {
      const unscoped = view.statementsOf(spec).filter((s) => s.Resource === '*').flatMap((s) => asArray(s.Action));
      expect(unscoped.sort(), spec.name).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
    // CodeDeploy's role exists only for gradual (production) releases; this default synth has none.
    const release = built.stateless.node.tryFindChild('ReleaseRole');
    const releaseRole = release ? logicalIdOf(release as never) : undefined;
    for (const [id, role] of Object.entries(view.resources('AWS::IAM::Role'))) {
      if (id.startsWith(CDK_SECRET_READER)) {
        // CDK's reader of the Cognito client secret (its singleton custom-resource function): the basic execution policy only.
        expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
        expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWSLambdaBasicExecutionRole');
      } else if (id === releaseRole) {
        expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWSCodeDeployRoleForLambdaLimited');
        expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
      } else {
        expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
      }
    }
  });

  it('outputs the API URL and the bus, table and bucket names', () => {
    view.template.hasOutput('HttpApiUrl', {});
    const outputs = stateful.findOutputs('*');
    const exported = Object.values(outputs).map((o: Json) => o.Export?.Name);
    expect(exported).toEqual(
      expect.arrayContaining([
        built.stateful.exports.busName,
        ...tableNames.map((n) => tableExport(n)),
        ...bucketNames.map((n) => bucketExport(n)),
      ]),
    );
  });
});

describe('infra: a new topology entry', () => {
  let built: ReturnType<typeof synthesise>;
  let view: ReturnType<typeof statelessView>;
  const spec = single(fixtureTopology);

  beforeAll(() => {
    built = synthesise({ functions: fixtureTopology });
    view = statelessView(built);
  });
  afterAll(removeAssemblies);

  it('synthesises with its own sizing when the entry sets memory and timeout', () => {
    expect(view.functionOf(spec).Properties).toMatchObject({ MemorySize: 1024, Timeout: 60 });
  });

  it('keeps a $or pattern verbatim when the trigger spans sources', () => {
    const { trigger } = single(triggersOf([spec], 'events'));
    expect(trigger.pattern).toHaveProperty('$or');
    expect(view.ruleFor(spec, trigger.pattern)).toBeDefined();
  });

  it('schedules in Europe/London with two retries, a dead-letter queue and an invoke-only role when it has a schedule', () => {
    const schedule = single(Object.values(view.resources('AWS::Scheduler::Schedule')));
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/London',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: view.aliasArn(spec), RetryPolicy: { MaximumRetryAttempts: 2 } },
    });
    expect(schedule.Properties.Target.DeadLetterConfig.Arn).toEqual(view.functionOf(spec).Properties.DeadLetterConfig.TargetArn);

    const roleId: string = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0];
    const statements = Object.values(view.resources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const invoke = statements.filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
    expect(invoke.map((s) => s.Resource)).toEqual([view.aliasArn(spec)]);
  });

  it('adds a JWT route when the entry names roles', () => {
    expect(view.routeFor('DELETE /fixtures/{fixtureId}')?.Properties.AuthorizationType).toBe('JWT');
  });

  it('grants reads without writes on a read bucket, and both on a readwrite bucket', () => {
    const read = view.actionsOn(spec, built.stateful.exports.bucketNames.exports);
    expect(read.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    const readwrite = view.actionsOn(spec, built.stateful.exports.bucketNames.intake);
    expect(readwrite.sort()).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
  });
});
