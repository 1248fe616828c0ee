import { describe, expect, it } from 'vitest';
import { cronMatches, parseCron } from '#infra/local/cron';

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
