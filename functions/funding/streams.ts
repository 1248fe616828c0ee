/**
 * Funding streams are configuration: which ones the council tracks and the financial years each
 * one spans. A stream not listed here is refused with a reason, never silently created.
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

export const fundingStreams: readonly FundingStreamConfig[] = [
  {
    code: 'CSP',
    name: 'Community Safety Partnership fund',
    description:
      "The Police and Crime Commissioner's provisional allocation for each financial year, plus awards won from the county's pooled underspend.",
    startsOn: '2020-04-01',
  },
  {
    code: 'SS5',
    name: 'Safer Streets Fund (round 5)',
    description: 'National safer-streets fund, October 2023 to March 2025, tracked year by year; year 2 reduced by a recall.',
    startsOn: '2023-10-01',
    endsOn: '2025-03-31',
  },
];

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

/**
 * Checks a stream code and financial year against the configuration. Codes are matched without
 * regard to case and answered in their configured spelling (`csp` → `CSP`).
 */
export function findLedger(streamCode: string, fy: string, now: Date = new Date()): LedgerLookup {
  const stream = fundingStreams.find((s) => s.code.toLowerCase() === streamCode.trim().toLowerCase());
  if (!stream) {
    return {
      ok: false,
      problem: 'unknown-stream',
      message: `there is no funding stream "${streamCode.slice(0, 40)}"; the streams are ${fundingStreams.map((s) => s.code).join(', ')}`,
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
