import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '#infra/local/auth';
import { settingsFromEnv } from '#infra/local/settings';
import { LOCAL_CREDENTIALS, startLocalStack, type LocalStack, type LocalStackOptions } from '#infra/local/stack';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { FunctionSpec, Role } from '#infra/topology';
import type { BusEvent } from '#infra/local/eventbridge/types';
import type { Invoke } from '#infra/local/invoker';

export interface TestStack extends LocalStack {
  stateDir: string;
  /** Every event on the bus, as the archiver (subscribed to all of them) received it. */
  observed: BusEvent[];
  observedOf: (detailType: string) => BusEvent[];
  /** SDK clients pointed at this stack's DynamoDB and S3, closed by dispose(). */
  dynamodb: DynamoDBClient;
  s3: S3Client;
  token: (role: Role, options?: { organisation?: string; subject?: string }) => Promise<string>;
  request: (method: string, path: string, options?: { role?: Role; json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; body?: string }) => Promise<Response>;
  /** Waits until every delivery on the bus has finished (including retries). */
  settle: () => Promise<void>;
  /** Stops the stack and removes its state directory. */
  dispose: () => Promise<void>;
}

/** A whole local stack on free ports in a fresh state directory. */
export async function startTestStack(options: Partial<LocalStackOptions> & { stateDir?: string } = {}): Promise<TestStack> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'sc-test-'));
  const settings = settingsFromEnv({
    stateDir,
    gatewayPort: 0,
    dynamodbPort: 0,
    s3Port: 0,
    eventbridgePort: 0,
    retryBaseMs: 10,
    ...options.settings,
  });
  const observed: BusEvent[] = [];
  const wrapInvoke = (spec: FunctionSpec, invoke: Invoke): Invoke => {
    const inner = options.wrapInvoke ? options.wrapInvoke(spec, invoke) : invoke;
    if (spec.name !== 'EventArchiver') return inner;
    return async (event) => {
      observed.push(event as BusEvent);
      return inner(event);
    };
  };
  const stack = await startLocalStack({ ...options, settings, wrapInvoke });
  const token: TestStack['token'] = (role, o) => issueToken(stateDir, [role], o);
  const request: TestStack['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.role) headers.authorization = `Bearer ${await token(o.role)}`;
    let body: string | undefined = o.body;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    }
    return fetch(`${stack.endpoints.gateway}${path}`, { method, headers, body, redirect: 'manual' });
  };
  const client = { region: stack.endpoints.region, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient({ ...client, endpoint: stack.endpoints.dynamodb });
  const s3 = new S3Client({ ...client, endpoint: stack.endpoints.s3, forcePathStyle: true });
  return {
    ...stack,
    dynamodb,
    s3,
    stateDir,
    observed,
    observedOf: (detailType) => observed.filter((e) => e['detail-type'] === detailType),
    token,
    request,
    settle: () => stack.bus.idle(),
    dispose: async () => {
      dynamodb.destroy();
      s3.destroy();
      await stack.stop();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
