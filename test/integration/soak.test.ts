import { describe, expect, it } from 'vitest';
import { defaultSoakOptions, runSoak } from '../../bench/soak/soak.ts';

describe('integration: the soak, small', () => {
  it('ends, after injected faults, s3rver down, dynalite killed and a redrive, with every KPI, balance, case and case review equal to the recount', async () => {
    const { rounds } = await runSoak({ ...defaultSoakOptions, events: 300, rounds: 1, s3DownMs: 5_000, dynamoDownMs: 5_000 });
    const [round] = rounds;
    expect(round).toBeDefined();
    if (!round) return;
    // The faults happened…
    expect(round.injected.handlerThrowsBefore + round.injected.handlerThrowsAfter).toBeGreaterThan(0);
    expect(round.injected.dynamoThrottles).toBeGreaterThan(0);
    expect(round.injected).toMatchObject({ s3DownMs: 5_000, dynamoKills: 1, dynamoDownMs: 5_000 });
    expect(round.deadLettered).toBeGreaterThan(0);
    expect(round.redriven).toBeGreaterThanOrEqual(round.deadLettered);
    // …every read model was compared…
    expect(round.checked.cases).toBeGreaterThan(20);
    expect(round.checked.reviews).toBeGreaterThan(0);
    expect(round.checked.ledgers).toBe(8);
    // …and nothing acknowledged was lost or counted twice.
    expect(round.archived).toEqual({ expected: round.events, missing: 0 });
    expect(round.mismatches).toEqual([]);
  }, 300_000);
});
