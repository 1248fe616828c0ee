import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signatureHeaders } from '../../functions/disc/signature.ts';
import { localSecret } from '#infra/local/auth';
import { repoRoot, type Endpoints } from '#infra/local/stack';
import type { DeadLetter } from '#infra/local/eventbridge/journal';
import { topology, type FunctionSpec } from '#infra/topology';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/** The topology with one grant taken from three functions, each read a different way. */
const withoutGrants: Record<string, (fn: FunctionSpec) => FunctionSpec> = {
  // Reads its table name at module scope.
  ReportsApi: (fn) => ({ ...fn, tables: {} }),
  // Reads its table name on each event delivered.
  EventArchiver: (fn) => ({ ...fn, tables: {} }),
  // Reads its secrets on each request.
  DiscWebhook: (fn) => ({ ...fn, secrets: [] }),
};

describe('integration: local runtime — a missing grant fails locally', () => {
  let stack: TestStack;
  const logs: string[] = [];
  const deadLetters: DeadLetter[] = [];

  beforeAll(async () => {
    const functions = topology.map((fn) => withoutGrants[fn.name]?.(fn) ?? fn);
    expect(functions.filter((fn, i) => fn !== topology[i]).map((fn) => fn.name).sort()).toEqual(Object.keys(withoutGrants).sort());
    stack = await startTestStack({ functions, log: (line) => logs.push(line), onDeadLetter: (letter) => deadLetters.push(letter) });
  });
  afterAll(() => stack.dispose());

  it('fails with ConfigurationError when a function reads a table it was not granted', async () => {
    const res = await stack.request('GET', '/reports/r-1', { role: 'officer' });
    expect(res.status).toBe(500);
    expect(logs.join('\n')).toContain('ConfigurationError: environment variable TABLE_NAME is not set');
  });

  it('dead-letters the event with ConfigurationError when a consumer writes to a table it was not granted', async () => {
    const events = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials: stack.endpoints.credentials });
    const out = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: stack.endpoints.eventBusName, Source: 'safer-communities.test', DetailType: 'Ping', Detail: '{}' }] }));
    events.destroy();
    expect(out.FailedEntryCount).toBe(0);
    await stack.settle();
    // Only this event's letters: a schedule firing meanwhile would dead-letter its events too.
    const ours = deadLetters.filter((l) => l.event.id === out.Entries?.[0]?.EventId);
    expect(ours.map((l) => [l.target, l.error])).toEqual([['AllEventsToArchive', 'ConfigurationError: environment variable TABLE_NAME is not set: is the resource granted to this function?']]);
  });

  it('refuses a correctly signed DISC incident when the webhook was not granted its secret', async () => {
    const body = JSON.stringify({ incidentId: 'INC-GRANT' });
    const secret = process.env.DISC_WEBHOOK_SECRET ?? localSecret(stack.stateDir, 'disc-webhook');
    // The handler answers 500 itself and logs the error (Powertools writes errors to stderr).
    const out: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => out.push(String(chunk)) > 0);
    let status: number;
    try {
      const res = await fetch(`${stack.endpoints.gateway}/integrations/disc/incidents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body) },
        body,
      });
      status = res.status;
    } finally {
      stderr.mockRestore();
    }
    expect(status).toBe(500);
    expect(out.join('')).toContain('"message":"set DISC_SECRET_ARN (AWS) or DISC_WEBHOOK_SECRET and DISC_SUBJECT_KEY (local)"');
  });

  it('keeps working for the functions that hold their grants', async () => {
    const res = await stack.request('GET', '/cases', { role: 'officer' });
    expect(res.status).toBe(200);
  });

  it('records credentials in endpoints.json that dynalite, s3rver and the bus accept', async () => {
    const endpoints = JSON.parse(readFileSync(join(stack.stateDir, 'endpoints.json'), 'utf8')) as Endpoints;
    expect(endpoints.credentials).toEqual({ accessKeyId: expect.any(String), secretAccessKey: expect.any(String) });
    const { credentials, region } = endpoints;
    const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region, credentials });
    const s3 = new S3Client({ endpoint: endpoints.s3, region, credentials, forcePathStyle: true });
    const events = new EventBridgeClient({ endpoint: endpoints.eventbridge, region, credentials });
    const wrongS3 = new S3Client({ endpoint: endpoints.s3, region, credentials: { accessKeyId: 'AKIANOTLOCAL', secretAccessKey: 'not-the-secret' }, forcePathStyle: true });
    try {
      expect((await dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual(expect.arrayContaining(Object.values(endpoints.tables)));
      expect((await s3.send(new ListObjectsV2Command({ Bucket: endpoints.buckets.exports }))).$metadata.httpStatusCode).toBe(200);
      const put = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: endpoints.eventBusName, Source: 'safer-communities.test', DetailType: 'Ping', Detail: '{}' }] }));
      expect(put.FailedEntryCount).toBe(0);
      // The key matters: s3rver refuses any other access key id (it does not check SigV4 signatures).
      await expect(wrongS3.send(new ListObjectsV2Command({ Bucket: endpoints.buckets.exports }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    } finally {
      for (const client of [dynamodb, s3, events, wrongS3]) client.destroy();
      await stack.settle();
    }
  });
});

describe('integration: local runtime — isolation under Node’s own module loader', () => {
  interface Probe {
    atLoad: Record<string, string>;
    after: Record<string, string>;
    keys: string[];
  }

  it('shows each function only its grants, at module load and when invoked, when run as npm start runs it', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/support/fixtures/env-probe-main.ts'], { cwd: repoRoot });
    const { first, together } = JSON.parse(stdout) as { first: Probe; together: [Probe, Probe] };
    expect(first.atLoad).toEqual({ TABLE_NAME: 'a-table', AWS_REGION: 'eu-west-2' });
    expect(together[0].after).toEqual({ TABLE_NAME: 'a-table', AWS_REGION: 'eu-west-2' });
    expect(together[1].after).toEqual({ EVENT_BUS_NAME: 'b-bus', AWS_REGION: 'eu-west-2' });
    expect(together[1].keys.sort()).toEqual(['AWS_REGION', 'EVENT_BUS_NAME']);
  });
});
