import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BusEvent } from './types.ts';

/**
 * The bus's durable journal: an append-only file of JSON lines, synced to disk before
 * PutEvents answers. Replaying it after a crash gives back every delivery still owed.
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

  /** Appends and syncs: when this returns, the records survive a kill -9. */
  append(records: readonly JournalRecord[]): void {
    if (records.length === 0) return;
    writeSync(this.fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
