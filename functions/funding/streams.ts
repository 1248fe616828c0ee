/**
 * Funding streams are data (the stream registry, stream-registry.ts): finance opens one with
 * POST /funding/streams. This module is the pure part: a stream's shape, the years it spans,
 * and checking a stream code and year against the streams there are. A stream that is not
 * open is refused with a reason, never created by accident.
 */
import { financialYear as financialYearSchema } from '#events/envelope';
import { financialYearOf, londonDateOf, nextFinancialYear } from '#shared/london-time';

export interface FundingStreamConfig {
  /** The code in URLs, keys and events, e.g. `CSP`. */
  readonly code: string;
  readonly name: string;
  readonly description: string;
  /** First day money can be allocated against (a London date). */
  readonly startsOn: string;
  /** Last day of the stream, or undefined for an annual stream that continues year after year. */
  readonly endsOn?: string;
}

/** Words the routes use where a stream code would stand (`/funding/streams`, `/finance/funding/import/…`). */
export const reservedStreamCodes = ['streams', 'import', 'new'] as const;

/**
 * The years a stream covers, oldest first. An open-ended stream runs to the year after the
 * current one: next year's provisional allocation is announced before the year begins.
 */
export function yearsOf(stream: FundingStreamConfig, now: Date = new Date()): string[] {
  const last = stream.endsOn ? financialYearOf(stream.endsOn) : nextFinancialYear(financialYearOf(londonDateOf(now)));
  const years: string[] = [];
  for (let fy = financialYearOf(stream.startsOn); fy <= last; fy = nextFinancialYear(fy)) years.push(fy);
  return years;
}

export type LedgerLookup =
  | { readonly ok: true; readonly stream: FundingStreamConfig; readonly financialYear: string }
  | { readonly ok: false; readonly problem: 'unknown-stream' | 'malformed-year' | 'year-outside-stream'; readonly message: string };

/** The stream with this code, matched without regard to case. */
export const streamWithCode = (streams: readonly FundingStreamConfig[], code: string) =>
  streams.find((s) => s.code.toLowerCase() === code.trim().toLowerCase());

/**
 * Checks a stream code and financial year against the open streams. Codes are matched without
 * regard to case and answered in their opened spelling (`csp` → `CSP`).
 */
export function findLedger(streamCode: string, fy: string, now: Date, streams: readonly FundingStreamConfig[]): LedgerLookup {
  const stream = streamWithCode(streams, streamCode);
  if (!stream) {
    const open = streams.map((s) => s.code).join(', ');
    return {
      ok: false,
      problem: 'unknown-stream',
      message: `there is no funding stream "${streamCode.slice(0, 40)}"; ${open ? `the streams are ${open}` : 'no stream has been opened yet'}`,
    };
  }
  const parsed = financialYearSchema.safeParse(fy);
  if (!parsed.success) {
    return { ok: false, problem: 'malformed-year', message: `"${fy.slice(0, 20)}" is not a financial year: write it like 2024-25` };
  }
  const years = yearsOf(stream, now);
  if (!years.includes(fy)) {
    return {
      ok: false,
      problem: 'year-outside-stream',
      message: `${stream.code} covers ${years[0]} to ${years.at(-1)}; ${fy} is outside it`,
    };
  }
  return { ok: true, stream, financialYear: fy };
}
