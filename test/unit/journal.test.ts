import { mkdtempSync, appendFileSync, readFileSync, rmSync } from 'node:fs';
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

  it('keeps what is owed across a reopen and skips a torn last line', async () => {
    const dir = tempDir();
    const { journal } = Journal.open(dir);
    await journal.commit([
      { kind: 'put', event: event('a'), targets: ['r1'] },
      { kind: 'put', event: event('b'), targets: ['r1'] },
    ]);
    journal.note([{ kind: 'delivered', id: 'b', target: 'r1' }]);
    await journal.close();
    appendFileSync(join(dir, 'journal.jsonl'), '{"kind":"put","event":{"id":"c"');
    const reopened = Journal.open(dir);
    expect([...reopened.state.pending.keys()]).toEqual(['a']);
    await reopened.journal.close();
    // Compaction kept only what is owed.
    const again = Journal.open(dir);
    expect([...again.state.pending.keys()]).toEqual(['a']);
    await again.journal.close();
  });

  it('has every committed record on disk, in order, once its commit resolves, however many commit at once', async () => {
    const dir = tempDir();
    const { journal } = Journal.open(dir);
    const ids = Array.from({ length: 200 }, (_, i) => `e${i}`);
    // Each commit is checked as it resolves, while later ones are still being grouped and written.
    const seen = await Promise.all(
      ids.map(async (id) => {
        await journal.commit([{ kind: 'put', event: event(id), targets: ['r1'] }]);
        const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean);
        return lines.some((line) => (JSON.parse(line) as { event?: { id: string } }).event?.id === id);
      }),
    );
    expect(seen.every(Boolean)).toBe(true);
    journal.note(ids.slice(0, 150).map((id) => ({ kind: 'delivered' as const, id, target: 'r1' })));
    await journal.close();
    const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event?: { id: string } });
    expect(lines.filter((l) => l.event).map((l) => l.event?.id)).toEqual(ids);
    const reopened = Journal.open(dir);
    expect([...reopened.state.pending.keys()]).toEqual(ids.slice(150));
    await reopened.journal.close();
  });
});
