import { randomUUID } from 'node:crypto';
import { Journal, type DeadLetter } from './journal.ts';
import { compilePattern, flattenEvent, InvalidEventPatternError, type CompiledPattern } from './pattern.ts';
import type { BusEvent, BusRule } from './types.ts';
import { waitAtMost } from '../wait.ts';

export interface BusOptions {
  name: string;
  region: string;
  account?: string;
  journalDir: string;
  rules: readonly BusRule[];
  /** Lambda's async invocation: the first try and then this many retries. */
  retries?: number;
  retryBaseMs?: number;
  concurrency?: number;
  /** Accept and journal events but deliver nothing until resume() (maintenance, crash tests). */
  paused?: boolean;
  onDeadLetter?: (letter: DeadLetter) => void;
}

export interface PutEntry {
  Source: string;
  DetailType: string;
  Detail: Record<string, unknown>;
  Time?: Date;
  Resources?: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function compileRulePattern(rule: BusRule): CompiledPattern {
  try {
    return compilePattern(rule.pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new InvalidEventPatternError(`${error.reason} (rule ${rule.name})`);
    throw error;
  }
}

/**
 * The bus: journals each event, matches it against every rule and delivers it to each
 * matching target with Lambda's async semantics (retries with back-off, then a dead letter).
 */
export class LocalEventBus {
  readonly name: string;
  readonly arn: string;
  private readonly journal: Journal;
  private readonly rules: Map<string, BusRule & { readonly compiled: CompiledPattern }>;
  private readonly options: Required<Omit<BusOptions, 'onDeadLetter' | 'rules' | 'paused'>> & Pick<BusOptions, 'onDeadLetter'>;
  private paused: boolean;
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private journalClosed = false;
  private dead: DeadLetter[];

  constructor(options: BusOptions) {
    this.options = { account: '000000000000', retries: 2, retryBaseMs: 500, concurrency: 8, ...options };
    this.name = options.name;
    this.paused = options.paused ?? false;
    this.arn = `arn:aws:events:${options.region}:${this.options.account}:event-bus/${options.name}`;
    // Compiled once here, as PutRule validates a pattern, rather than on every PutEvents.
    this.rules = new Map(options.rules.map((r) => [r.name, { ...r, compiled: compileRulePattern(r) }]));
    const { journal, state } = Journal.open(options.journalDir);
    this.journal = journal;
    this.dead = state.dead;
    for (const { event, targets } of state.pending.values()) {
      for (const target of targets) this.schedule(event, target);
    }
  }

  /** Names this bus answers to: its name or its ARN. */
  isThisBus(nameOrArn: string | undefined): boolean {
    return nameOrArn === undefined || nameOrArn === '' || nameOrArn === 'default' || nameOrArn === this.name || nameOrArn === this.arn;
  }

  /** Journals the entries (durably: resolves once they are synced) and schedules their deliveries; returns the event ids. */
  async put(entries: readonly PutEntry[]): Promise<string[]> {
    const events = entries.map((e) => this.envelope(e));
    const records = events.map((event) => {
      const flattened = flattenEvent(event);
      const targets = [...this.rules.values()].filter((r) => r.compiled.matchesFlattened(flattened)).map((r) => r.name);
      return { kind: 'put' as const, event, targets };
    });
    await this.journal.commit(records);
    for (const r of records) for (const target of r.targets) this.schedule(r.event, target);
    return events.map((e) => e.id);
  }

  /** Deliveries queued or running (a producer can hold back while it is high). */
  get pending(): number {
    return this.inFlight;
  }
  deadLetters(): readonly DeadLetter[] {
    return this.dead;
  }

  /** Puts every dead letter back for delivery; returns how many. */
  async redrive(): Promise<number> {
    const letters = this.dead;
    this.dead = [];
    await this.journal.commit(letters.map((l) => ({ kind: 'redriven' as const, id: l.event.id, target: l.target })));
    for (const l of letters) this.schedule(l.event, l.target);
    return letters.length;
  }

  /** Resolves when no delivery is queued or running (for tests and orderly shutdown). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /**
   * Stops delivering: what is queued stays pending in the journal (delivered when a bus opens it
   * again), no retry starts, and deliveries under way are waited for (`drainMs` at most) so that
   * nothing they are still writing is cut off as the stores stop behind them.
   */
  async close(drainMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.inFlight -= this.queue.length;
    this.queue.length = 0;
    if (this.inFlight > 0) await waitAtMost(this.idle(), drainMs);
    this.journalClosed = true;
    await this.journal.close();
  }

  private envelope(entry: PutEntry): BusEvent {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.options.account,
      time: (entry.Time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.options.region,
      resources: entry.Resources ?? [],
      detail: entry.Detail,
    };
  }

  private schedule(event: BusEvent, target: string): void {
    // Closing: journaled as pending, delivered when the bus is opened on the journal again.
    if (this.closed) return;
    this.inFlight += 1;
    this.queue.push(() => this.deliver(event, target));
    this.pump();
  }

  private pump(): void {
    while (!this.closed && !this.paused && this.running < this.options.concurrency && this.queue.length > 0) {
      const job = this.queue.shift();
      if (!job) break;
      this.running += 1;
      void job().finally(() => {
        this.running -= 1;
        this.inFlight -= 1;
        if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
        this.pump();
      });
    }
  }

  private async deliver(event: BusEvent, target: string): Promise<void> {
    const rule = this.rules.get(target);
    let lastError = rule ? '' : `rule ${target} no longer exists`;
    const attempts = rule ? this.options.retries + 1 : 0;
    for (let attempt = 1; attempt <= attempts && rule; attempt += 1) {
      if (this.closed) return;
      try {
        await rule.invoke(structuredClone(event));
        // Noted while the bus drains too: else a restart would deliver it again (harmless, idempotent).
        if (!this.journalClosed) this.journal.note([{ kind: 'delivered', id: event.id, target }]);
        return;
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (attempt < attempts) await sleep(this.options.retryBaseMs * 2 ** (attempt - 1));
      }
    }
    if (this.closed) return;
    const letter: DeadLetter = { event, target, error: lastError, attempts, at: new Date().toISOString() };
    this.journal.note([{ kind: 'dead', id: event.id, target, error: lastError, attempts, at: letter.at }]);
    this.dead.push(letter);
    this.options.onDeadLetter?.(letter);
  }
}
