import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '#infra/local/demo';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * `npm start`'s demo data (infra/local/demo.ts), loaded as main.ts loads it: once seedDemo
 * has resolved, and before anything else waits for the bus, every part of it is projected
 * and readable, so the banner printed after it tells the truth.
 */
describe('integration: the demo data on a fresh local stack', () => {
  let stack: TestStack;
  const logged: string[] = [];
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemo({ stateDir: stack.stateDir, gateway: stack.endpoints.gateway, log: (line) => logged.push(line), settled: () => stack.bus.idle() });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const read = async <T>(path: string, role: 'officer' | 'tenancy' | 'finance'): Promise<T> => {
    const res = await stack.request('GET', path, { role });
    expect(res.status, `GET ${path}`).toBe(200);
    return (await res.json()) as T;
  };

  it('has delivered everything it put on the bus when it resolves, with no dead letters', () => {
    expect(stack.bus.pending).toBe(0);
    expect(stack.bus.deadLetters()).toEqual([]);
    // One line per step, two from the partner channels (Open311 and DISC).
    expect(logged.filter((l) => l.startsWith('demo data:'))).toHaveLength(7);
    expect(existsSync(join(stack.stateDir, 'demo-seeded'))).toBe(true);
  });

  it('shows the four demo cases, numbered in the order they were opened, with their actions', async () => {
    type Case = { caseId: string; kind: string; timeline: { detailType: string }[] };
    const kinds = (c: Case) => c.timeline.map((e) => e.detailType);
    const enviro = await read<Case>('/cases/case-2026-0001', 'officer');
    expect(enviro.kind).toBe('enviro');
    expect(kinds(enviro)).toEqual(expect.arrayContaining(['CaseOpened', 'TeamActionRecorded', 'InterviewUnderCautionHeld', 'FixedPenaltyIssued']));
    const asb = await read<Case>('/cases/case-2026-0002', 'officer');
    expect(asb.kind).toBe('asb');
    expect(kinds(asb)).toEqual(expect.arrayContaining(['WarningIssued', 'NoticeServed', 'CpnAppealLodged', 'ReferralMade', 'ClosureNoticeServed']));
    expect((await read<Case>('/cases/case-2026-0003', 'tenancy')).kind).toBe('tenancy');
    const inTime = await read<Case>('/cases/case-2026-0004', 'tenancy');
    expect(kinds(inTime)).toContain('TeamActionRecorded');
    const listed = await read<{ items: { caseId: string }[] }>('/cases?limit=50', 'officer');
    expect(listed.items.map((c) => c.caseId)).toEqual(expect.arrayContaining(['case-2026-0001', 'case-2026-0002']));
  });

  it('shows every imported funding line in its ledger', async () => {
    type Ledger = { lines: unknown[] };
    const ledgers = await Promise.all(['/funding/CSP/2024-25', '/funding/SS5/2023-24', '/funding/SS5/2024-25'].map((path) => read<Ledger>(path, 'finance')));
    // docs/funding-csp-2024-25.csv, then the safer-streets fund's two years (4 and 5 lines).
    expect(ledgers.map((l) => l.lines.length)).toEqual([expect.any(Number), 4, 5]);
    expect(ledgers[0]?.lines.length).toBeGreaterThan(0);
  });

  it('shows both ASB Case Reviews assessed, and the form report completed for the fly-tipping return', async () => {
    const reviews = await read<{ items: { thresholdMet: boolean | null }[] }>('/case-reviews', 'officer');
    expect(reviews.items.map((r) => r.thresholdMet).sort()).toEqual([false, true]);
    const queue = await read<{ items: { description: string }[] }>('/reports?status=untriaged&limit=100', 'officer');
    expect(queue.items.some((r) => r.description.includes('plasterboard'))).toBe(true);
  });

  it('adds nothing on a second run against the same state directory', async () => {
    const before = await read<{ items: unknown[] }>('/cases?limit=50', 'officer');
    await seedDemo({ stateDir: stack.stateDir, gateway: stack.endpoints.gateway, log: (line) => logged.push(line), settled: () => stack.bus.idle() });
    expect(stack.bus.pending).toBe(0);
    expect((await read<{ items: unknown[] }>('/cases?limit=50', 'officer')).items).toHaveLength(before.items.length);
  });
});
