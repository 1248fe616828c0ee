import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../topology.ts';

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
    memoryLimitInMB: String(spec.memoryMb ?? 512),
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

/**
 * Runs a topology function in this process, as Lambda would: the module is loaded once (its
 * clients and settings at module scope), each call gets a context and the function's timeout.
 */
export function createInvoker(spec: FunctionSpec, root: string, region: string, wrap?: (spec: FunctionSpec, invoke: Invoke) => Invoke): Invoke {
  let loaded: Promise<Handler> | undefined;
  const load = () =>
    (loaded ??= import(pathToFileURL(resolve(root, spec.entry)).href).then((m: { handler?: unknown }) => {
      if (typeof m.handler !== 'function') throw new Error(`${spec.entry} does not export a handler function`);
      return m.handler as Handler;
    }));
  const invoke: Invoke = async (event) => {
    const handler = await load();
    const timeoutMs = (spec.timeoutSeconds ?? 30) * 1000;
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        handler(event, lambdaContext(spec, region, deadline)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new FunctionTimeoutError(`${spec.name} timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  return wrap ? wrap(spec, invoke) : invoke;
}
