import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, OutputFormat, SourceMapMode, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import path from 'node:path';
import { functionSettings } from '../function-settings.ts';
import { projectRoot } from './config.ts';

/** Powertools Metrics namespace shared by every function. */
export const metricsNamespace = 'SaferCommunities';

/** Lambda async semantics for events and schedules: two retries, then the dead-letter queue. */
export const asyncDelivery = {
  retryAttempts: 2,
  maxEventAge: Duration.hours(6),
  deadLetterRetention: Duration.days(14),
} as const;

export const functionLogRetention = RetentionDays.THREE_MONTHS;

/**
 * What every function shares; a FunctionSpec adds only its entry, description, sizing and
 * environment. Bundled locally with esbuild (no Docker) as one ES module per function, with
 * the AWS SDK inside so the deployed code runs the SDK versions that were tested.
 */
export const functionDefaults = {
  handler: 'handler',
  runtime: Runtime.NODEJS_22_X,
  architecture: Architecture.ARM_64,
  memorySize: functionSettings.memoryMb,
  timeout: Duration.seconds(functionSettings.timeoutSeconds),
  tracing: Tracing.ACTIVE,
  loggingFormat: LoggingFormat.JSON,
  projectRoot,
  depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
  bundling: {
    format: OutputFormat.ESM,
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourceMap: true,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: false,
    externalModules: [],
    forceDockerBundling: false,
    logLevel: LogLevel.WARNING,
    // CommonJS dependencies call require(); an ES module has none until we make one.
    banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
} satisfies NodejsFunctionProps;

/** cdk-nag findings the defaults above cause on every function, and why they stand. */
export const defaultsAcknowledgements = {
  runtime: {
    id: 'AwsSolutions-L1',
    reason:
      'nodejs22.x on purpose: the local stack runs the same handlers on Node 20, and 22 is the nearest Lambda runtime; move to nodejs24.x together with the local Node',
  },
  latestRuntime: {
    id: 'Serverless-LambdaLatestVersion',
    reason:
      'nodejs22.x on purpose, as for AwsSolutions-L1: the local stack runs the same handlers on Node 20/22; move to nodejs24.x together with the local Node',
  },
  tracing: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
  },
} as const;

export function baseEnvironment(serviceName: string): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: serviceName,
    POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
    NODE_OPTIONS: '--enable-source-maps',
  };
}
