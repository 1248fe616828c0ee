import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { functionSettings } from '#infra/function-settings';
import { scopeVariables } from '#infra/local/function-env';
import { createInvoker, FunctionTimeoutError, type Invoke } from '#infra/local/invoker';
import type { FunctionSpec } from '#infra/topology';

/** What test/support/fixtures/env-probe.ts reports. */
interface Probe {
  atLoad: Record<string, string>;
  before: Record<string, string>;
  after: Record<string, string>;
  has: string[];
  keys: string[];
  spread: string[];
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PROBE = 'test/support/fixtures/env-probe.ts';
const spec = (name: string, extra: Partial<FunctionSpec> = {}): FunctionSpec => ({ name, entry: PROBE, description: 'probe', capability: 'test', memoryMb: 512, timeoutSeconds: 10, triggers: [], ...extra });
const invoker = (name: string, environment: Record<string, string>, extra: Partial<FunctionSpec> = {}) =>
  createInvoker(spec(name, extra), { root: repoRoot, region: 'eu-west-2', environment });
const probe = (invoke: Invoke, event: { gate?: Promise<void>; set?: Record<string, string> } = {}) => invoke(event) as Promise<Probe>;

// The process holds every resource variable, as the local stack's process does.
Object.assign(process.env, { TABLE_NAME: 'process-table', EVENT_BUS_NAME: 'process-bus', INTAKE_BUCKET: 'process-intake', DISC_WEBHOOK_SECRET: 'process-secret' });
scopeVariables(['TABLE_NAME', 'EVENT_BUS_NAME', 'INTAKE_BUCKET', 'DISC_WEBHOOK_SECRET']);

describe('unit: local invoker — each function sees only its grants', () => {
  // Runs first: the probe module is loaded (once per process, as on a warm Lambda) by this call.
  it('reads only the granted resource variables at module load when a function is first invoked', async () => {
    const seen = await probe(invoker('TableOnly', { TABLE_NAME: 'granted-table' }));
    expect(seen.atLoad).toEqual({ TABLE_NAME: 'granted-table', AWS_REGION: 'eu-west-2' });
  });

  it('reads an ungranted resource variable as unset, and shared variables as they are, when invoked', async () => {
    const seen = await probe(invoker('BusOnly', { EVENT_BUS_NAME: 'granted-bus' }));
    expect(seen.before).toEqual({ EVENT_BUS_NAME: 'granted-bus', AWS_REGION: 'eu-west-2' });
    expect(seen.after).toEqual(seen.before);
    expect(seen.has.sort()).toEqual(['AWS_REGION', 'EVENT_BUS_NAME']);
    expect(seen.keys.sort()).toEqual(['AWS_REGION', 'EVENT_BUS_NAME']);
    expect(seen.spread.sort()).toEqual(['AWS_REGION', 'EVENT_BUS_NAME']);
  });

  it('keeps two functions apart when their invocations interleave', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const a = probe(invoker('A', { TABLE_NAME: 'a-table' }), { gate });
    const b = probe(invoker('B', { INTAKE_BUCKET: 'b-intake', DISC_WEBHOOK_SECRET: 'b-secret' }), { gate });
    open();
    const [seenA, seenB] = await Promise.all([a, b]);
    expect(seenA.after).toEqual({ TABLE_NAME: 'a-table', AWS_REGION: 'eu-west-2' });
    expect(seenB.after).toEqual({ INTAKE_BUCKET: 'b-intake', DISC_WEBHOOK_SECRET: 'b-secret', AWS_REGION: 'eu-west-2' });
  });

  it('keeps what a function writes to a resource variable its own, across its calls', async () => {
    const own = invoker('Writer', { TABLE_NAME: 'granted-table' });
    expect((await probe(own, { set: { TABLE_NAME: 'written-table', SC_SHARED_BY_WRITER: 'x' } })).before.TABLE_NAME).toBe('written-table');
    expect((await probe(own)).before.TABLE_NAME).toBe('written-table');
    expect((await probe(invoker('Other', { TABLE_NAME: 'other-table' }))).before.TABLE_NAME).toBe('other-table');
    expect(process.env.TABLE_NAME).toBe('process-table');
    // Variables that are not resources stay shared, as the whole process is one here.
    expect(process.env.SC_SHARED_BY_WRITER).toBe('x');
  });

  it('shows code outside any function the whole process environment, and takes its assignments, when nothing runs', () => {
    expect(process.env.TABLE_NAME).toBe('process-table');
    expect('EVENT_BUS_NAME' in process.env).toBe(true);
    // Assigning a variable that exists already (npm start sets the bus endpoint after the rest).
    process.env.TABLE_NAME = 'reassigned-table';
    expect(process.env.TABLE_NAME).toBe('reassigned-table');
    process.env.TABLE_NAME = 'process-table';
    process.env.SC_WRITTEN_BY_TEST = 'yes';
    expect(process.env.SC_WRITTEN_BY_TEST).toBe('yes');
    delete process.env.SC_WRITTEN_BY_TEST;
    expect('SC_WRITTEN_BY_TEST' in process.env).toBe(false);
  });
});

describe('unit: local invoker — timeouts as CDK sets them', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Starts an invocation that never finishes by itself; reports how it settled. */
  const hang = (invoke: Invoke) => {
    const outcome: { error?: unknown } = {};
    const settled = invoke({ gate: new Promise<void>(() => undefined) }).catch((error: unknown) => void (outcome.error = error));
    return { outcome, settled };
  };

  it('times a function out after 10 s when its entry sets no timeout', async () => {
    expect(functionSettings.timeoutSeconds).toBe(10);
    const invoke = invoker('NoTimeout', {});
    await probe(invoke); // loads the module with real timers
    vi.useFakeTimers();
    const { outcome, settled } = hang(invoke);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(outcome.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await settled;
    expect(outcome.error).toBeInstanceOf(FunctionTimeoutError);
    expect((outcome.error as Error).message).toBe('NoTimeout timed out after 10000 ms');
  });

  it('times a function out after its own timeout when its entry sets one', async () => {
    const invoke = invoker('OwnTimeout', {}, { timeoutSeconds: 3 });
    await probe(invoke);
    vi.useFakeTimers();
    const { outcome, settled } = hang(invoke);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(outcome.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    await settled;
    expect((outcome.error as Error).message).toBe('OwnTimeout timed out after 3000 ms');
  });
});
