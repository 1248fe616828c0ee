import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import { eventConsumer } from '#shared/consumer';
import { declareFunction } from '#shared/wiring';
import { sampleFor } from '#events/samples';
import { ReportReceived } from '#events/intake';
import { repoRoot } from '#infra/local/stack';
import { issueToken } from '#infra/local/auth';
import type { Endpoints } from '#infra/local/stack';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const sampleReport = (reportId: string) => ({
  ...sampleFor(ReportReceived),
  eventId: `evt-${reportId}`,
  reportId,
});

const client = (endpoint: string) =>
  new EventBridgeClient({ endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

const put = (endpoint: string, detail: unknown) =>
  client(endpoint).send(
    new PutEventsCommand({
      Entries: [{ EventBusName: 'safer-communities', Source: ReportReceived.source, DetailType: ReportReceived.detailType, Detail: JSON.stringify(detail) }],
    }),
  );

describe('integration: local EventBridge delivery', () => {
  // Handler modules and their SDK clients load once per process, so one stack serves the file.
  let stack: TestStack;
  let failing = false;
  const attempts: string[] = [];
  beforeAll(async () => {
    stack = await startTestStack({
      wrapInvoke: (spec, invoke) => async (event) => {
        if (spec.name === 'ReportProjector') {
          attempts.push(spec.name);
          if (failing) throw new Error('injected fault');
        }
        return invoke(event);
      },
    });
  });
  afterAll(() => stack.dispose());

  it('retries a failing handler twice, dead-letters it, and delivers it after redrive', async () => {
    failing = true;
    attempts.length = 0;
    const out = await put(stack.endpoints.eventbridge, sampleReport('r-dead'));
    expect(out.FailedEntryCount).toBe(0);
    await stack.settle();
    expect(attempts).toHaveLength(3);
    const dead = stack.bus.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ target: 'ReportReceivedToProjector', attempts: 3, error: 'Error: injected fault' });
    expect((await stack.request('GET', '/reports/r-dead', { role: 'officer' })).status).toBe(404);

    failing = false;
    expect(await stack.bus.redrive()).toBe(1);
    await stack.settle();
    expect(stack.bus.deadLetters()).toHaveLength(0);
    expect((await stack.request('GET', '/reports/r-dead', { role: 'officer' })).status).toBe(200);
  });

  it('applies a duplicate delivery once when the same eventId arrives again', async () => {
    for (let i = 0; i < 3; i += 1) await put(stack.endpoints.eventbridge, sampleReport('r-dup'));
    await stack.settle();
    const res = await stack.request('GET', '/reports?status=untriaged', { role: 'officer' });
    expect(res.status).toBe(200);
    const queue = (await res.json()) as { items: { reportId: string }[] };
    expect(queue.items.filter((r) => r.reportId === 'r-dup')).toHaveLength(1);
  });

  it('applies an event once in each of two functions that consume it, however often it is delivered', async () => {
    const applied: string[] = [];
    const declaration = (name: string) => declareFunction({ name, entry: 'test', description: 'test consumer', subscription: { rule: name, contracts: [ReportReceived] } });
    const consumerA = eventConsumer(declaration('ConsumerA'), async () => void applied.push('A'));
    const consumerB = eventConsumer(declaration('ConsumerB'), async () => void applied.push('B'));
    const envelope = {
      version: '0', id: 'env-1', 'detail-type': ReportReceived.detailType, source: ReportReceived.source, account: '000000000000',
      time: '2024-05-14T08:30:00Z', region: 'eu-west-2', resources: [], detail: sampleReport('r-two-consumers'),
    };
    const context = (functionName: string) => ({ functionName, getRemainingTimeInMillis: () => 30_000, awsRequestId: crypto.randomUUID() }) as unknown as Context;
    for (let i = 0; i < 2; i += 1) {
      await consumerA(structuredClone(envelope), context('ConsumerA'));
      await consumerB({ ...structuredClone(envelope), id: `env-${i + 2}` }, context('ConsumerB'));
    }
    expect(applied.sort()).toEqual(['A', 'B']);
  });

  it('reports entry-level failures in FailedEntryCount for malformed entries', async () => {
    const out = await client(stack.endpoints.eventbridge).send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'safer-communities', Source: 'safer-communities.test', DetailType: 'Ping', Detail: '{"ok":true}' },
          { EventBusName: 'safer-communities', Source: 'safer-communities.test', DetailType: 'Ping', Detail: '{not json' },
          { EventBusName: 'elsewhere', Source: 'safer-communities.test', DetailType: 'Ping', Detail: '{}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['ok', 'MalformedDetail', 'ResourceNotFoundException']);
  });

  it('answers TestEventPattern like EventBridge, and refuses an empty array in a pattern', async () => {
    const eb = client(stack.endpoints.eventbridge);
    const event = JSON.stringify({ id: '1', account: '123456789012', source: 'safer-communities.intake', time: '2024-05-14T08:30:00Z', region: 'eu-west-2', resources: [], 'detail-type': 'ReportReceived', detail: { category: 'enviro.fly-tipping' } });
    const yes = await eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ detail: { category: [{ prefix: 'enviro.' }] } }), Event: event }));
    expect(yes.Result).toBe(true);
    const no = await eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ detail: { category: [{ 'anything-but': { prefix: 'enviro.' } }] } }), Event: event }));
    expect(no.Result).toBe(false);
    await expect(eb.send(new TestEventPatternCommand({ EventPattern: '{"source":[]}', Event: event }))).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
  });
});

describe('integration: local stack survives kill -9', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-kill-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  });

  const start = async (extraEnv: Record<string, string>) => {
    rmSync(join(stateDir, 'endpoints.json'), { force: true });
    child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'infra/local/main.ts'), '--empty'], {
      cwd: repoRoot,
      env: { ...process.env, SC_STATE_DIR: stateDir, SC_GATEWAY_PORT: '0', SC_DYNAMODB_PORT: '0', SC_S3_PORT: '0', SC_EVENTBRIDGE_PORT: '0', ...extraEnv },
      stdio: 'ignore',
    });
    const file = join(stateDir, 'endpoints.json');
    for (let i = 0; i < 300 && !existsSync(file); i += 1) await new Promise((r) => setTimeout(r, 100));
    return JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
  };

  it('delivers an event accepted before the kill once the stack is restarted', async () => {
    const first = await start({ SC_PAUSE_DELIVERY: '1' });
    const out = await put(first.eventbridge, sampleReport('r-kill'));
    expect(out.FailedEntryCount).toBe(0);
    child?.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));

    const second = await start({});
    const token = await issueToken(stateDir, ['officer']);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i += 1) {
      const res = await fetch(`${second.gateway}/reports/r-kill`, { headers: { authorization: `Bearer ${token}` } });
      status = res.status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });
});
