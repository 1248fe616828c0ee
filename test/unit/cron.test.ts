import { describe, expect, it } from 'vitest';
import { cronMatches, parseCron } from '#infra/local/cron';
import { cronTicker } from '#infra/local/scheduler';

const london = 'Europe/London';

describe('unit: local scheduler cron', () => {
  it('fires at 06:00 London time in summer when the instant is 05:00 UTC', () => {
    const daily = parseCron('cron(0 6 * * ? *)');
    expect(cronMatches(daily, new Date('2024-07-01T05:00:00Z'), london)).toBe(true);
    expect(cronMatches(daily, new Date('2024-07-01T06:00:00Z'), london)).toBe(false);
  });

  it('fires at 06:00 London time in winter when the instant is 06:00 UTC', () => {
    const daily = parseCron('cron(0 6 * * ? *)');
    expect(cronMatches(daily, new Date('2024-12-01T06:00:00Z'), london)).toBe(true);
  });

  it('fires on 1 April only when the expression names day 1 of APR', () => {
    const yearEnd = parseCron('cron(30 0 1 APR ? *)');
    expect(cronMatches(yearEnd, new Date('2025-03-31T23:30:00Z'), london)).toBe(true); // 00:30 BST on 1 April
    expect(cronMatches(yearEnd, new Date('2025-04-02T23:30:00Z'), london)).toBe(false);
  });

  it('counts weekdays from Sunday = 1 when day-of-week is given', () => {
    const weekdays = parseCron('cron(0 9 ? * MON-FRI *)');
    expect(cronMatches(weekdays, new Date('2024-11-25T09:00:00Z'), london)).toBe(true); // Monday
    expect(cronMatches(weekdays, new Date('2024-11-24T09:00:00Z'), london)).toBe(false); // Sunday
    expect(parseCron('cron(0 9 ? * 2-6 *)').daysOfWeek).toEqual(weekdays.daysOfWeek);
  });

  it('matches the last day of the month when day-of-month is L', () => {
    const last = parseCron('cron(0 12 L * ? *)');
    expect(cronMatches(last, new Date('2024-02-29T12:00:00Z'), london)).toBe(true);
    expect(cronMatches(last, new Date('2024-02-28T12:00:00Z'), london)).toBe(false);
  });

  it('expands steps and lists', () => {
    expect([...parseCron('cron(0/15 * * * ? *)').minutes]).toEqual([0, 15, 30, 45]);
    expect([...parseCron('cron(5,10 * * * ? *)').minutes]).toEqual([5, 10]);
  });

  it('refuses expressions EventBridge would refuse', () => {
    expect(() => parseCron('0 6 * * ? *')).toThrow(/not an EventBridge cron/);
    expect(() => parseCron('cron(0 6 * * * *)')).toThrow(/exactly one/);
    expect(() => parseCron('cron(61 6 * * ? *)')).toThrow(/outside/);
  });
});

describe('unit: the local scheduler around the clock changes, as EventBridge Scheduler', () => {
  const minutes = (fromIso: string, count: number) => Array.from({ length: count }, (_, i) => new Date(Date.parse(fromIso) + i * 60_000));
  const fired = (cron: string, from: string, count: number) => {
    const due = cronTicker([{ name: 'job', cron }]);
    return minutes(from, count).filter((at) => due(at).includes('job')).map((at) => at.toISOString());
  };

  it('runs a 01:30 job once on the night the clocks go back, at the first 01:30', () => {
    // 25 October 2026: 01:30 BST is 00:30Z; the clocks go back at 02:00 BST, and 01:30 GMT is 01:30Z.
    expect(fired('cron(30 1 * * ? *)', '2026-10-24T23:00:00Z', 240)).toEqual(['2026-10-25T00:30:00.000Z']);
  });

  it('skips a 01:30 job on the night the clocks go forward (01:30 never comes) and runs the next day', () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST.
    expect(fired('cron(30 1 * * ? *)', '2026-03-28T23:00:00Z', 24 * 60 + 120)).toEqual(['2026-03-30T00:30:00.000Z']);
  });

  it('runs an every-15-minutes job at each wall-clock quarter once on the long night', () => {
    const runs = fired('cron(0/15 * * * ? *)', '2026-10-25T00:00:00Z', 121);
    // 00:00Z-00:59Z is 01:00-01:59 BST (4 runs); 01:00Z-01:59Z repeats 01:00-01:59 GMT (not run again); 02:00 GMT runs.
    expect(runs).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T00:15:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T00:45:00.000Z', '2026-10-25T02:00:00.000Z']);
  });
});
