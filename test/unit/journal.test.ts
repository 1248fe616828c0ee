import { mkdtempSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, replay, type JournalRecord } from '#infra/local/eventbridge/journal';
import type { BusEvent } from '#infra/local/eventbridge/types';

const event = (id: string): BusEvent => ({
  version: '0',
  id,
  'detail-type': 'ReportReceived',
  source: 'safer-communities.intake',
  account: '000000000000',
  time: '2024-05-14T08:30:00Z',
  region: 'eu-west-2',
  resources: [],
  detail: { eventId: id },
});

describe('unit: local EventBridge journal', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'sc-journal-'));
    dirs.push(d);
    return d;
  };

  it('owes a delivery for every target not yet delivered or dead', () => {
    const records: JournalRecord[] = [
      { kind: 'put', event: event('a'), targets: ['r1', 'r2'] },
      { kind: 'put', event: event('b'), targets: ['r1'] },
      { kind: 'delivered', id: 'a', target: 'r1' },
      { kind: 'dead', id: 'b', target: 'r1', error: 'boom', attempts: 3, at: 't' },
    ];
    const state = replay(records);
    expect([...state.pending.keys()]).toEqual(['a']);
    expect([...(state.pending.get('a')?.targets ?? [])]).toEqual(['r2']);
    expect(state.dead.map((d) => [d.event.id, d.target])).toEqual([['b', 'r1']]);
  });

  it('owes a dead letter again once it is redriven', () => {
    const state = replay([
      { kind: 'put', event: event('b'), targets: ['r1'] },
      { kind: 'dead', id: 'b', target: 'r1', error: 'boom', attempts: 3, at: 't' },
      { kind: 'redriven', id: 'b', target: 'r1' },
    ]);
    expect(state.dead).toHaveLength(0);
    expect([...(state.pending.get('b')?.targets ?? [])]).toEqual(['r1']);
  });

  it('keeps what is owed across a reopen and skips a torn last line', () => {
    const dir = tempDir();
    const { journal } = Journal.open(dir);
    journal.append([
      { kind: 'put', event: event('a'), targets: ['r1'] },
      { kind: 'put', event: event('b'), targets: ['r1'] },
      { kind: 'delivered', id: 'b', target: 'r1' },
    ]);
    journal.close();
    appendFileSync(join(dir, 'journal.jsonl'), '{"kind":"put","event":{"id":"c"');
    const reopened = Journal.open(dir);
    expect([...reopened.state.pending.keys()]).toEqual(['a']);
    reopened.journal.close();
    // Compaction kept only what is owed.
    const again = Journal.open(dir);
    expect([...again.state.pending.keys()]).toEqual(['a']);
    again.journal.close();
  });
});
