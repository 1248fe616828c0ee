/** Wall-clock times in Europe/London (GMT in winter, BST in summer) to and from instants. */
const TIME_ZONE = 'Europe/London';

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The London wall clock at an instant. */
export function londonWallClock(instant: Date): WallClock & { second: number } {
  const p = Object.fromEntries(partsFormat.formatToParts(instant).map((x) => [x.type, Number(x.value)]));
  return { year: p.year ?? 0, month: p.month ?? 0, day: p.day ?? 0, hour: p.hour ?? 0, minute: p.minute ?? 0, second: p.second ?? 0 };
}

/** Minutes London is ahead of UTC at an instant: 0 (GMT) or 60 (BST). */
export function londonOffsetMinutes(instant: Date): number {
  const w = londonWallClock(instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/**
 * The instant a London wall-clock time names, as ISO 8601 with its offset
 * (`2024-05-14T21:30:00+01:00`). In the hour the clocks go back, the first (BST) reading is
 * taken; a time in the hour skipped when they go forward is read as GMT (01:30 → 02:30 BST).
 */
export function londonToIso(w: WallClock): string {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  // Try BST first, then GMT: the first whose offset agrees at that instant is the reading.
  const offset = [60, 0].find((o) => londonOffsetMinutes(new Date(asUtc - o * 60000)) === o) ?? 0;
  const sign = offset >= 0 ? '+' : '-';
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:00${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`;
}

/** Whether year/month/day name a real calendar date. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
