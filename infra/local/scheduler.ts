import { cronMatches, parseCron, type CronSchedule } from './cron.ts';
import type { Invoke } from './invoker.ts';

export interface LocalSchedule {
  name: string;
  cron: string;
  invoke: Invoke;
}

export const SCHEDULE_TIME_ZONE = 'Europe/London';

/**
 * Fires each schedule at the minutes its cron names, in Europe/London as EventBridge
 * Scheduler does with scheduleExpressionTimezone. A failed run is logged, not retried locally.
 */
export function startScheduler(schedules: readonly LocalSchedule[], onError: (name: string, error: unknown) => void) {
  const parsed: { s: LocalSchedule; cron: CronSchedule }[] = schedules.map((s) => ({ s, cron: parseCron(s.cron) }));
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = new Date();
    now.setSeconds(0, 0);
    for (const { s, cron } of parsed) {
      if (!cronMatches(cron, now, SCHEDULE_TIME_ZONE)) continue;
      s.invoke({ schedule: s.name, scheduledTime: now.toISOString() }).catch((e: unknown) =>
        onError(s.name, e),
      );
    }
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
  };
  timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
  return { stop: () => clearTimeout(timer) };
}
