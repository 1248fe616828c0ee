import { close, closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { BusEvent } from './types.ts';

/**
 * The bus's durable journal: an append-only file of JSON lines, synced to disk before
 * PutEvents answers. Replaying it after a crash gives back every delivery still owed.
 *
 * Writes are grouped: records that arrive while a write and fsync are in flight go to disk
 * together in the next one (group commit), and the writing happens off the event loop, so
 * a slow disk delays only the callers waiting for durability, never every function running
 * in the local stack. Records whose loss costs only a repeated delivery (a delivery done, a
 * dead letter) are `note`d: they join the next write but nobody waits for them.
 */
export type JournalRecord =
  | { kind: 'put'; event: BusEvent; targets: string[] }
  | { kind: 'delivered'; id: string; target: string }
  | { kind: 'dead'; id: string; target: string; error: string; attempts: number; at: string }
  | { kind: 'redriven'; id: string; target: string };

export interface DeadLetter {
  event: BusEvent;
  target: string;
  error: string;
  attempts: number;
  at: string;
}

export interface JournalState {
  /** Deliveries owed: event id → event and the targets not yet done. */
  pending: Map<string, { event: BusEvent; targets: Set<string> }>;
  dead: DeadLetter[];
}

const deadKey = (id: string, target: string) => `${id}\u0000${target}`;

export function replay(records: Iterable<JournalRecord>): JournalState {
  const pending = new Map<string, { event: BusEvent; targets: Set<string> }>();
  const events = new Map<string, BusEvent>();
  const dead = new Map<string, DeadLetter>();
  for (const r of records) {
    switch (r.kind) {
      case 'put':
        events.set(r.event.id, r.event);
        pending.set(r.event.id, { event: r.event, targets: new Set(r.targets) });
        break;
      case 'delivered':
      case 'dead': {
        const entry = pending.get(r.id);
        entry?.targets.delete(r.target);
        if (entry && entry.targets.size === 0) pending.delete(r.id);
        const event = events.get(r.id);
        if (r.kind === 'dead' && event) {
          dead.set(deadKey(r.id, r.target), { event, target: r.target, error: r.error, attempts: r.attempts, at: r.at });
        }
        break;
      }
      case 'redriven': {
        const letter = dead.get(deadKey(r.id, r.target));
        if (!letter) break;
        dead.delete(deadKey(r.id, r.target));
        const entry = pending.get(r.id) ?? { event: letter.event, targets: new Set<string>() };
        entry.targets.add(r.target);
        pending.set(r.id, entry);
        break;
      }
    }
  }
  return { pending, dead: [...dead.values()] };
}

export class Journal {
  private fd: number;
  private readonly file: string;

  private constructor(dir: string, initial: JournalRecord[]) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'journal.jsonl');
    // Compact: rewrite only what still matters, then swap the file in atomically.
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    for (const r of initial) writeSync(fd, `${JSON.stringify(r)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
    this.fd = openSync(this.file, 'a');
  }

  /** Opens the journal in `dir`, returning what is still owed from a previous run. */
  static open(dir: string): { journal: Journal; state: JournalState } {
    const file = join(dir, 'journal.jsonl');
    const records: JournalRecord[] = [];
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          records.push(JSON.parse(line) as JournalRecord);
        } catch {
          // A torn last line from a crash mid-write: that PutEvents never answered, so its
          // caller retries; nothing acknowledged is lost by skipping it.
        }
      }
    }
    const state = replay(records);
    const compacted: JournalRecord[] = [
      ...[...state.pending.values()].map((p) => ({ kind: 'put' as const, event: p.event, targets: [...p.targets] })),
      ...state.dead.flatMap((d) => [
        { kind: 'put' as const, event: d.event, targets: [d.target] },
        { kind: 'dead' as const, id: d.event.id, target: d.target, error: d.error, attempts: d.attempts, at: d.at },
      ]),
    ];
    return { journal: new Journal(dir, compacted), state };
  }

  /** Appends with the next grouped write; resolves once the records are synced (survive a kill -9). */
  commit(records: readonly JournalRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.buffer.push(this.take(records));
      this.waiters.push({ resolve, reject });
      this.startFlush();
    });
  }

  /** Appends with the next grouped write without waiting: for records a crash may lose at the cost of a repeated delivery. */
  note(records: readonly JournalRecord[]): void {
    if (records.length === 0 || this.closing) return;
    this.buffer.push(this.take(records));
    this.startFlush();
  }

  /** Writes what is buffered, then closes the file. */
  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      await this.flushing;
      if (this.buffer.length > 0) await this.flush();
      await closeAsync(this.fd);
    })();
    return this.closing;
  }

  private readonly buffer: string[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  private take(records: readonly JournalRecord[]): string {
    return records.map((r) => `${JSON.stringify(r)}\n`).join('');
  }

  private startFlush(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
    });
  }

  /** Writes and syncs everything buffered, then anything buffered meanwhile, until nothing is left. */
  private async flush(): Promise<void> {
    while (this.buffer.length > 0) {
      const data = Buffer.from(this.buffer.splice(0).join(''));
      const waiters = this.waiters.splice(0);
      try {
        for (let written = 0; written < data.length; ) {
          written += (await writeAsync(this.fd, data, written, data.length - written)).bytesWritten;
        }
        await fsyncAsync(this.fd);
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
  }
}

const writeAsync = promisify(write) as (fd: number, buffer: Buffer, offset: number, length: number) => Promise<{ bytesWritten: number }>;
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);
