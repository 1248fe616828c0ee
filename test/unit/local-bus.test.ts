import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBus } from '#infra/local/eventbridge/bus';
import { InvalidEventPatternError } from '#infra/local/eventbridge/pattern';
import type { BusEvent, BusRule } from '#infra/local/eventbridge/types';

describe('unit: local EventBridge bus rules', () => {
  const dirs: string[] = [];
  const buses: LocalEventBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  const busWith = (rules: BusRule[]) => {
    const journalDir = mkdtempSync(join(tmpdir(), 'sc-bus-'));
    dirs.push(journalDir);
    const bus = new LocalEventBus({ name: 'test-bus', region: 'eu-west-2', journalDir, rules, retryBaseMs: 1 });
    buses.push(bus);
    return bus;
  };
  const recorder = (name: string, pattern: Record<string, unknown>) => {
    const received: BusEvent[] = [];
    const rule: BusRule = { name, pattern, invoke: async (event) => void received.push(event) };
    return { rule, received };
  };
  const entry = (source: string, detail: Record<string, unknown> = {}) => ({ Source: source, DetailType: 'Ping', Detail: detail });

  it('refuses a rule whose pattern EventBridge would refuse when the bus is created, naming the rule', () => {
    const { rule } = recorder('EmptyList', { source: [] });
    expect(() => busWith([rule])).toThrow(InvalidEventPatternError);
    expect(() => busWith([rule])).toThrow(/\(rule EmptyList\)/);
  });

  it('matches with the pattern as registered when the pattern object changes afterwards', async () => {
    const pattern: Record<string, unknown> = { source: ['safer-communities.intake'], detail: { category: [{ prefix: 'enviro.' }] } };
    const { rule, received } = recorder('Registered', pattern);
    const bus = busWith([rule]);
    // Compiled at registration: the rule keeps matching what it was registered with.
    pattern.source = ['elsewhere'];
    await bus.put([entry('safer-communities.intake', { category: 'enviro.fly-tipping' }), entry('elsewhere', { category: 'enviro.fly-tipping' })]);
    await bus.idle();
    expect(received.map((e) => e.source)).toEqual(['safer-communities.intake']);
  });

  it('delivers an event to every rule it matches and to no other when several rules are registered', async () => {
    const intake = recorder('Intake', { source: ['safer-communities.intake'] });
    const enviro = recorder('Enviro', { detail: { category: [{ prefix: 'enviro.' }] } });
    const funding = recorder('Funding', { source: ['safer-communities.funding'] });
    const bus = busWith([intake.rule, enviro.rule, funding.rule]);
    await bus.put([entry('safer-communities.intake', { category: 'enviro.graffiti' }), entry('safer-communities.intake', { category: 'asb.noise' })]);
    await bus.idle();
    expect(intake.received).toHaveLength(2);
    expect(enviro.received.map((e) => e.detail.category)).toEqual(['enviro.graffiti']);
    expect(funding.received).toHaveLength(0);
  });

  it('on close, lets the delivery under way finish, starts no queued one and keeps it pending for the next bus on the journal', async () => {
    const journalDir = mkdtempSync(join(tmpdir(), 'sc-bus-'));
    dirs.push(journalDir);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const finished: string[] = [];
    const slow: BusRule = {
      name: 'Slow',
      pattern: { source: ['safer-communities.intake'] },
      invoke: async (event) => {
        await held;
        finished.push(String(event.detail.n));
      },
    };
    const first = new LocalEventBus({ name: 'test-bus', region: 'eu-west-2', journalDir, rules: [slow], retryBaseMs: 1, concurrency: 1 });
    await first.put([entry('safer-communities.intake', { n: 1 }), entry('safer-communities.intake', { n: 2 })]);
    let closed = false;
    const closing = first.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first delivery is still running: close waits for it.
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toEqual(['1']);
    // The second was never started; the journal still has it pending, and only it.
    const again = new LocalEventBus({ name: 'test-bus', region: 'eu-west-2', journalDir, rules: [slow], retryBaseMs: 1 });
    buses.push(again);
    await again.idle();
    expect(finished).toEqual(['1', '2']);
  });

  it('on close, gives up waiting for a delivery that never ends after the time it is given', async () => {
    const stuck: BusRule = { name: 'Stuck', pattern: { source: ['safer-communities.intake'] }, invoke: () => new Promise<void>(() => {}) };
    const bus = busWith([stuck]);
    await bus.put([entry('safer-communities.intake')]);
    await bus.close(30);
  });
});
