import { describe, expect, it } from 'vitest';
import { compareTables, primaryKind } from '#infra/rebuild/items';
import { foundations, projectors } from '#infra/rebuild/rebuild';
import { lastScheduledRun } from '#infra/rebuild/retention';
import { compilePattern } from '#infra/local/eventbridge/pattern';
import { keyPrefixes, keys } from '#shared/keys';
import { councilId } from '#shared/config';
import { topology } from '#infra/topology';

describe('rebuild: what is compared, what is carried over', () => {
  it('takes the archive staging and the status message claims as primary records, which a swap carries over', () => {
    expect(primaryKind({ ...keys.archivedEvent('e1'), gsi1pk: keys.archivePending(), event: '{}' })).toBe('archive staging');
    expect(primaryKind(keys.statusMessage('m1'))).toBe('status message claim');
    expect(primaryKind(keys.statusReportEntry('r1', 'e1'))).toBeUndefined();
  });

  it('takes as primary every key family that no projecting consumer writes: a rebuild cannot make it, a swap must carry it over', () => {
    const writes = (access: string | undefined) => access === 'write' || access === 'readwrite';
    const projected = new Set(projectors().flatMap((f) => (writes(f.tables?.main) ? (f.keyPrefixes?.main ?? keyPrefixes) : [])));
    const unprojected = keyPrefixes.filter((prefix) => !projected.has(prefix) && topology.some((f) => writes(f.tables?.main) && (f.keyPrefixes?.main ?? []).includes(prefix)));
    expect(unprojected).toEqual(expect.arrayContaining(['PRIVACY', 'FUNDING-IMPORT']));
    for (const prefix of unprojected) expect(primaryKind({ pk: `${councilId}#${prefix}#x`, sk: 'X' }), prefix).toBeDefined();
    // The record of access (6 years, a legal record) in particular: the rebuild erases again from it.
    expect(primaryKind(keys.accessLogEntry(['ALL'], '2026-12-02T09:00:00.000Z', 'a1'))).toBe('privacy access record');
  });

  it('does not count when a status item expires, but does count what it says', () => {
    const live = { ...keys.statusReportEntry('r1', 'e1'), step: { kind: 'received' }, expiresAt: 100 };
    expect(compareTables([live], [{ ...live, expiresAt: 200 }]).differences).toEqual([]);
    expect(compareTables([live], [{ ...live, step: { kind: 'referred' }, expiresAt: 200 }]).differences.map((d) => d.field)).toEqual(['step']);
  });

  it('does not count an expired item on one side only: TTL removes it live some time after, the rebuild writes it again', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const seconds = now.getTime() / 1000;
    const gone = { ...keys.statusReportEntry('r1', 'e1'), step: { kind: 'received' }, expiresAt: seconds - 1 };
    expect(compareTables([], [gone], { now })).toMatchObject({ differences: [], expired: 1 });
    expect(compareTables([gone], [], { now })).toMatchObject({ differences: [], expired: 1 });
    // Not yet expired, it is a difference on either side.
    const kept = { ...gone, expiresAt: seconds + 60 };
    expect(compareTables([], [kept], { now }).differences.map((d) => d.field)).toEqual(['(item)']);
    expect(compareTables([kept], [], { now }).differences.map((d) => d.field)).toEqual(['(item)']);
    // Present on both sides, expired or not, it is compared as ever.
    expect(compareTables([gone], [{ ...gone, step: { kind: 'referred' } }], { now }).differences.map((d) => d.field)).toEqual(['step']);
  });

  it('leaves archive staging out of the compare, where a rebuild never writes it', () => {
    const staged = { ...keys.archivedEvent('e1'), gsi1pk: keys.archivePending(), event: '{}' };
    expect(compareTables([staged], [])).toMatchObject({ differences: [], primary: 1 });
  });

  it('runs every projecting consumer but the archiver, whose writes are the archive itself', () => {
    const names = projectors().map((f) => f.name);
    expect(names).not.toContain('EventArchiver');
    expect(names).toEqual(expect.arrayContaining(['StatusProjector']));
  });

  it('has a projector for each kind of event delivered in the first pass (the registry is made from the openings)', () => {
    for (const contract of foundations) {
      const consumers = projectors().filter((f) => f.triggers.some((t) => t.kind === 'events' && compilePattern(t.pattern).matches({ source: contract.source, 'detail-type': contract.detailType, detail: {} })));
      expect(consumers.map((f) => f.name), contract.detailType).toEqual(['FundingLedger']);
    }
  });
});

describe('rebuild: retention as of the live job\'s last run', () => {
  it('finds the last time a London cron fired, across the clock change', () => {
    // 03:15 London: GMT in winter, BST in summer.
    expect(lastScheduledRun('cron(15 3 * * ? *)', new Date('2026-12-02T09:00:00Z')).toISOString()).toBe('2026-12-02T03:15:00.000Z');
    expect(lastScheduledRun('cron(15 3 * * ? *)', new Date('2026-12-02T03:14:59Z')).toISOString()).toBe('2026-12-01T03:15:00.000Z');
    expect(lastScheduledRun('cron(15 3 * * ? *)', new Date('2026-07-01T12:00:00Z')).toISOString()).toBe('2026-07-01T02:15:00.000Z');
    expect(lastScheduledRun('cron(15 3 * * ? *)', new Date('2026-12-02T03:15:00Z')).toISOString()).toBe('2026-12-02T03:15:00.000Z');
  });

  it('says so when the cron never fired in the week before', () => {
    expect(() => lastScheduledRun('cron(0 6 1 1 ? *)', new Date('2026-12-02T09:00:00Z'))).toThrow(/did not fire in the week before/);
  });
});
