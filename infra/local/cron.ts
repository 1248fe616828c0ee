/**
 * EventBridge Scheduler cron expressions — cron(minutes hours day-of-month month day-of-week year) —
 * evaluated in a time zone, for the local scheduler. Supports `*`, `?`, lists, ranges, steps,
 * month and weekday names, and `L` for the last day of the month.
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number> | 'any' | 'last';
  months: Set<number>;
  /** 1 = Sunday … 7 = Saturday, as EventBridge counts them. */
  daysOfWeek: Set<number> | 'any';
  years: Set<number> | 'any';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(text: string, min: number, max: number, names: string[] = [], offset = 1): Set<number> {
  const value = (token: string) => {
    const named = names.indexOf(token.toUpperCase());
    const n = named >= 0 ? named + offset : Number(token);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${token}" is outside ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let lo = min;
    let hi = max;
    if (range && range !== '*') {
      const [a, b] = range.split('-');
      lo = value(a ?? '');
      hi = b === undefined ? (stepText === undefined ? lo : max) : value(b);
    }
    for (let n = lo; n <= hi; n += step) out.add(n);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const inner = /^cron\((.+)\)$/.exec(expression.trim())?.[1];
  const parts = inner?.trim().split(/\s+/);
  if (!parts || parts.length !== 6) throw new Error(`not an EventBridge cron expression: ${expression}`);
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new Error(`exactly one of day-of-month and day-of-week must be "?": ${expression}`);
  return {
    minutes: field(min, 0, 59),
    hours: field(hour, 0, 23),
    daysOfMonth: dom === '?' ? 'any' : dom === 'L' ? 'last' : field(dom, 1, 31),
    months: field(month, 1, 12, MONTHS),
    daysOfWeek: dow === '?' ? 'any' : field(dow, 1, 7, DAYS),
    years: year === '*' ? 'any' : field(year, 1970, 2199),
  };
}

/** One formatter per time zone: making one costs far more than formatting with it (lastScheduledRun asks 10,080 times). */
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string) => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** The wall-clock fields of an instant in a time zone. */
export function zonedParts(at: Date, timeZone: string) {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: DAYS.indexOf(get('weekday').toUpperCase()) + 1,
  };
}

export function cronMatches(schedule: CronSchedule, at: Date, timeZone: string): boolean {
  const t = zonedParts(at, timeZone);
  const lastDay = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
  const dayOk =
    schedule.daysOfMonth === 'any'
      ? schedule.daysOfWeek === 'any' || schedule.daysOfWeek.has(t.weekday)
      : schedule.daysOfMonth === 'last'
        ? t.day === lastDay
        : schedule.daysOfMonth.has(t.day);
  return (
    schedule.minutes.has(t.minute) &&
    schedule.hours.has(t.hour) &&
    dayOk &&
    schedule.months.has(t.month) &&
    (schedule.years === 'any' || schedule.years.has(t.year))
  );
}
