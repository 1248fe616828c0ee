import { cronMatches, parseCron, zonedParts, type CronSchedule } from './cron.ts';
import type { Invoke } from './invoker.ts';
import { waitAtMost } from './wait.ts';

export interface LocalSchedule {
  name: string;
  cron: string;
  invoke: Invoke;
}

export const SCHEDULE_TIME_ZONE = 'Europe/London';

/**
 * Which of the schedules are due at minute `at`, in `timeZone`, as EventBridge Scheduler decides
 * around a clock change: a wall-clock time the spring change skips never comes, so it does not
 * run; in the hour the autumn change repeats, a job runs at each wall-clock time once, the first
 time (the ticker remembers the wall-clock time of each job's last run).
 */
export function cronTicker(schedules: readonly { name: string; cron: string }[], timeZone = SCHEDULE_TIME_ZONE) {
  const parsed: { name: string; cron: CronSchedule }[] = schedules.map((s) => ({ name: s.name, cron: parseCron(s.cron) }));
  const lastWallClock = new Map<string, string>();
  return (at: Date): string[] => {
    const t = zonedParts(at, timeZone);
    const two = (n: number) => String(n).padStart(2, '0');
    const wallClock = `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}`;
    const due: string[] = [];
    for (const { name, cron } of parsed) {
      // Never at a wall-clock time at or before the last run's: the repeated hour is not run again.
      if (!cronMatches(cron, at, timeZone) || wallClock <= (lastWallClock.get(name) ?? '')) continue;
      lastWallClock.set(name, wallClock);
      due.push(name);
    }
    return due;
  };
}

/**
 * Fires each schedule at the minutes its cron names, in Europe/London as EventBridge
 * Scheduler does with scheduleExpressionTimezone. A failed run is logged, not retried locally.
 */
export function startScheduler(schedules: readonly LocalSchedule[], onError: (name: string, error: unknown) => void) {
  const byName = new Map(schedules.map((s) => [s.name, s]));
  const due = cronTicker(schedules);
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = new Date();
    now.setSeconds(0, 0);
    for (const name of due(now)) {
      const run = byName.get(name)?.invoke({ schedule: name, scheduledTime: now.toISOString() }).then(
        () => undefined,
        (e: unknown) => onError(name, e),
      );
      if (!run) continue;
      running.add(run);
      void run.finally(() => running.delete(run));
    }
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
  };
  timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
  return {
    /** No run starts from now; resolves when the runs under way have ended (`withinMs` at most). */
    stop: async (withinMs = 10_000) => {
      clearTimeout(timer);
      if (running.size > 0) await waitAtMost(Promise.all(running), withinMs);
    },
  };
}
