import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { memoryMbOf, timeoutSecondsOf } from '../function-settings.ts';
import type { FunctionSpec } from '../topology.ts';
import { runAsFunction } from './function-env.ts';
import { importFunction } from './function-modules.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export class FunctionTimeoutError extends Error {
  override name = 'FunctionTimeoutError';
}

function lambdaContext(spec: FunctionSpec, region: string, deadline: number): Context {
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: spec.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${spec.name}`,
    memoryLimitInMB: String(memoryMbOf(spec)),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${spec.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type Invoke = (event: unknown) => Promise<unknown>;

export interface InvokerOptions {
  /** Where `spec.entry` is relative to. */
  root: string;
  region: string;
  /** The resource variables the function was granted (see function-env.ts); none if absent. */
  environment?: Readonly<Record<string, string>>;
  /** Wraps the invoke: tests use it to inject faults. */
  wrap?: (spec: FunctionSpec, invoke: Invoke) => Invoke;
}

/**
 * Runs a topology function in this process, as Lambda would: the module is loaded once (its
 * clients and settings at module scope), each call gets a context and the function's timeout
 * (the one CDK sets), and both the load and the call see only the function's own environment.
 */
export function createInvoker(spec: FunctionSpec, options: InvokerOptions): Invoke {
  // One copy per function, kept across calls like a warm Lambda's environment.
  const environment = { ...options.environment };
  let loaded: Promise<Handler> | undefined;
  const load = () =>
    (loaded ??= importFunction(options.root, spec.entry).then((m) => {
      if (typeof m.handler !== 'function') throw new Error(`${spec.entry} does not export a handler function`);
      return m.handler as Handler;
    }));
  const timeoutMs = timeoutSecondsOf(spec) * 1000;
  const run = async (event: unknown) => {
    const handler = await load();
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        handler(event, lambdaContext(spec, options.region, deadline)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new FunctionTimeoutError(`${spec.name} timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  const invoke: Invoke = (event) => runAsFunction(spec.name, environment, () => run(event));
  return options.wrap ? options.wrap(spec, invoke) : invoke;
}
