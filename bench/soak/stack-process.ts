/**
 * The soak's stack in a process of its own, so that the memory the soak reports is the stack's
 * alone: the soak's event lists, its recount and its read of the archive stay in the soak's
 * process. `startSoakStack()` forks this module and returns a handle whose every call is
 * answered here, over the IPC channel; run as the child, this module starts the local stack
 * with the soak's faults (faults.ts: seeded throttling and throwing handlers, dynalite in this
 * process so its throttle hook sees each request), counts event deliveries, and serves
 * `SoakStackCalls`.
 */
import '../../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalFaults, type FaultRates } from '../../infra/local/faults.ts';
import { settingsFromEnv } from '../../infra/local/settings.ts';
import { repoRoot, startLocalStack, type Endpoints } from '../../infra/local/stack.ts';
import { memoryFigures, memorySampler, type MemoryFigures } from './memory.ts';

/** A dead letter as the soak reports it. */
export interface DeadLetterSummary {
  eventId: string;
  detailType: string;
  target: string;
  error: string;
}

/** What the soak asks of its stack. */
export interface SoakStackCalls {
  /** Event deliveries so far (each attempt of each target). */
  deliveries(): number;
  /** Deliveries the bus owes. */
  pending(): number;
  idle(): Promise<void>;
  deadLetters(): DeadLetterSummary[];
  faultsOn(rates: FaultRates): void;
  faultsOff(): void;
  faultCounts(): LocalFaults['counts'];
  s3Stop(): Promise<void>;
  s3Start(): Promise<void>;
  dynamoKill(): Promise<void>;
  dynamoRevive(): Promise<void>;
  /** The stack process's memory, after a full garbage collection. */
  memory(): Promise<MemoryFigures>;
  /** Samples the memory into a CSV every `everyMs` (memory.ts), tagged with `setRound`'s round. */
  sampleMemory(file: string, everyMs: number): void;
  setRound(round: number): void;
  stop(): Promise<void>;
}

const callNames = ['deliveries', 'pending', 'idle', 'deadLetters', 'faultsOn', 'faultsOff', 'faultCounts', 's3Stop', 's3Start', 'dynamoKill', 'dynamoRevive', 'memory', 'sampleMemory', 'setRound', 'stop'] as const satisfies readonly (keyof SoakStackCalls)[];

export type SoakStack = { readonly endpoints: Endpoints; readonly pid: number } & {
  [K in keyof SoakStackCalls]: (...args: Parameters<SoakStackCalls[K]>) => Promise<Awaited<ReturnType<SoakStackCalls[K]>>>;
};

interface Config {
  stateDir: string;
  seed: number;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
type FromChild = { ready: Endpoints } | { log: string } | { failed: string } | Reply;

/** Forks the stack's process and waits for its stack to be up. */
export async function startSoakStack(config: Config, log: (line: string) => void): Promise<SoakStack> {
  const child = fork(join(repoRoot, 'bench/soak/stack-process.ts'), [JSON.stringify(config)], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let gone: Error | undefined;
  const endpoints = await new Promise<Endpoints>((resolve, reject) => {
    child.on('message', (m: FromChild) => {
      if ('ready' in m) resolve(m.ready);
      else if ('failed' in m) reject(new Error(`the soak's stack did not start: ${m.failed}`));
      else if ('log' in m) log(m.log);
      else {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.ok) w?.resolve(m.value);
        else w?.reject(new Error(m.error));
      }
    });
    child.on('exit', (code, signal) => {
      gone = new Error(`the soak's stack process ended (${signal ?? `exit code ${code}`})`);
      reject(gone);
      for (const w of waiting.values()) w.reject(gone);
      waiting.clear();
    });
  });
  const call = (name: string, args: unknown[]) =>
    new Promise((resolve, reject) => {
      if (gone) return reject(gone);
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      // A channel closed before 'exit' is seen answers here, not as an 'error' event on the child.
      child.send({ id, name, args }, (e) => {
        if (!e) return;
        waiting.delete(id);
        reject(new Error(`the soak's stack process is not there to answer "${name}": ${e.message}`));
      });
    });
  const ended = new Promise<void>((done) => child.once('exit', () => done()));
  const remote = Object.fromEntries(callNames.map((name) => [name, (...args: unknown[]) => call(name, args)]));
  return { ...remote, endpoints, pid: child.pid ?? 0, stop: () => call('stop', []).then(() => ended) } as SoakStack;
}

/** In the child: starts the stack and answers the soak's calls. */
async function serve(config: Config) {
  const send = (m: FromChild) => process.send?.(m);
  const faults = new LocalFaults(config.seed);
  let deliveries = 0;
  let round = 0;
  const settings = settingsFromEnv({ stateDir: config.stateDir, gatewayPort: 0, dynamodbPort: 0, s3Port: 0, eventbridgePort: 0, retryBaseMs: 100 });
  const stack = await startLocalStack({
    settings,
    faults,
    wrapInvoke: (spec, invoke) => {
      if (!spec.triggers.some((t) => t.kind === 'events')) return invoke;
      return (event) => {
        deliveries += 1;
        return invoke(event);
      };
    },
    log: (line) => {
      if (!line.startsWith('dead letter:')) send({ log: line });
    },
  });
  let sampler: ReturnType<typeof memorySampler> | undefined;
  const gc = (globalThis as { gc?: () => void }).gc;
  const calls: SoakStackCalls = {
    deliveries: () => deliveries,
    pending: () => stack.bus.pending,
    idle: () => stack.bus.idle(),
    deadLetters: () => stack.bus.deadLetters().map((d) => ({ eventId: d.event.id, detailType: d.event['detail-type'], target: d.target, error: d.error })),
    faultsOn: (rates) => faults.on(rates),
    faultsOff: () => faults.off(),
    faultCounts: () => ({ ...faults.counts }),
    s3Stop: () => stack.stores.s3.stop(),
    s3Start: () => stack.stores.s3.start(),
    dynamoKill: () => stack.stores.dynamo.kill(),
    dynamoRevive: () => stack.stores.dynamo.revive(),
    memory: async () => {
      // Twice: the first collection's finalisers free more for the second.
      gc?.();
      gc?.();
      return memoryFigures(await stack.stores.dynamo.openIterators());
    },
    sampleMemory: (file, everyMs) => {
      sampler = memorySampler(file, everyMs, () => ({ round, deliveries }), () => stack.stores.dynamo.openIterators());
    },
    setRound: (n) => {
      round = n;
    },
    stop: async () => {
      await sampler?.stop();
      await stack.stop();
    },
  };
  process.on('message', (m: { id: number; name: keyof SoakStackCalls; args: unknown[] }) => {
    const f = calls[m.name] as ((...a: unknown[]) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!f) throw new Error(`the soak's stack has no call "${m.name}"`);
        return f(...m.args);
      })
      .then(
        (value) => {
          send({ id: m.id, ok: true, value });
          if (m.name === 'stop') process.disconnect();
        },
        (e: unknown) => send({ id: m.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
      );
  });
  // The soak's process gone (killed, or ended without stop()): stop the stack and end too.
  process.on('disconnect', () => void stack.stop().then(() => process.exit(0)));
  send({ ready: stack.endpoints });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve(JSON.parse(process.argv[2] ?? 'null') as Config).catch((e: unknown) => {
    process.send?.({ failed: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exit(1);
  });
}
