import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, SourceMapMode, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import path from 'node:path';
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
export const accessLogRetention = RetentionDays.ONE_YEAR;

/** Stage-wide HTTP API throttling; a council's traffic is far below it, a flood is not. */
export const apiThrottle = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * What every function shares; a FunctionSpec adds only its entry, description, sizing and
 * environment. Bundled locally with esbuild (no Docker) as one ES module per function, with
 * the AWS SDK inside so the deployed code runs the SDK versions that were tested.
 */
export const functionDefaults = {
  handler: 'handler',
  // nodejs22.x: the newest runtime whose Node major the local stack (Node 20+) also exercises.
  runtime: Runtime.NODEJS_22_X,
  architecture: Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(10),
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
    // CommonJS dependencies call require(); an ES module has none until we make one.
    banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
} satisfies NodejsFunctionProps;

export function baseEnvironment(serviceName: string): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: serviceName,
    POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
    NODE_OPTIONS: '--enable-source-maps',
  };
}
