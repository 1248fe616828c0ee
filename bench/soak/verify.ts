/**
 * The soak's comparison: each read model as the HTTP API answers it against the recount.
 * Every difference is kept (the first few are printed); the figure that matters is how many.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Expected, Range } from './recount.ts';

export interface Mismatch {
  readonly what: string;
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export interface Verified {
  readonly checked: { kpiRanges: number; ledgers: number; cases: number; reviews: number };
  readonly mismatches: readonly Mismatch[];
}

/** The ranges `GET /kpis` is asked for: financial years, a quarter across a clock change, a month, an odd range, both years. */
export const soakRanges: readonly Range[] = [
  { from: '2024-04-01', to: '2025-03-31' },
  { from: '2025-04-01', to: '2026-03-31' },
  { from: '2024-10-01', to: '2024-12-31' },
  { from: '2025-03-01', to: '2025-03-31' },
  { from: '2024-06-15', to: '2025-08-20' },
  { from: '2024-04-01', to: '2026-03-31' },
];

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Compares the named fields (undefined on both sides is equal). */
function compare(what: string, expected: Record<string, unknown>, actual: Record<string, unknown>, out: Mismatch[]) {
  for (const [field, value] of Object.entries(expected)) {
    if (!isDeepStrictEqual(value, actual[field])) out.push({ what, field, expected: value, actual: actual[field] });
  }
}

export async function verifyAgainst(expected: Expected, get: (path: string) => Promise<Response>, ledgers: readonly (readonly [string, string])[]): Promise<Verified> {
  const mismatches: Mismatch[] = [];
  const read = async (path: string) => {
    const res = await get(path);
    if (res.status !== 200) return { status: res.status, body: await res.text() };
    return (await res.json()) as Record<string, unknown>;
  };
  for (const range of soakRanges) {
    const want = expected.kpis(range);
    const got = await read(`/kpis?from=${range.from}&to=${range.to}`);
    const gotPrevious = (got.previous ?? {}) as Record<string, unknown>;
    compare(`GET /kpis ${range.from}..${range.to}`, want.kpis, (got.kpis ?? got) as Record<string, unknown>, mismatches);
    compare(`GET /kpis ${range.from}..${range.to} previous ${want.previous.from}..${want.previous.to}`, { from: want.previous.from, to: want.previous.to, ...want.previous.kpis }, { from: gotPrevious.from, to: gotPrevious.to, ...((gotPrevious.kpis ?? gotPrevious) as Record<string, unknown>) }, mismatches);
  }
  for (const [stream, year] of ledgers) {
    const want = expected.ledgers.get(`${stream}/${year}`);
    if (!want) continue;
    compare(`GET /funding/${stream}/${year}`, want, await read(`/funding/${stream}/${year}`), mismatches);
  }
  await pool([...expected.cases.entries()], 8, async ([caseId, want]) => {
    const got = await read(`/cases/${encodeURIComponent(caseId)}`);
    const firstContact = got.firstContact as { at?: string } | undefined;
    const timeline = Array.isArray(got.timeline) ? (got.timeline as { eventId: string }[]).map((e) => e.eventId).sort() : got.timeline;
    const sharedWith = (got.sharedWith as string[] | undefined) ?? [];
    compare(`GET /cases/${caseId}`, want, { ...got, sharedWith, firstContactAt: firstContact?.at, timeline }, mismatches);
  });
  await pool([...expected.reviews.entries()], 8, async ([reviewId, want]) => {
    const got = await read(`/case-reviews/${encodeURIComponent(reviewId)}`);
    const decision = got.decision as { upheld: boolean; recommendations: { done?: unknown }[] } | undefined;
    compare(
      `GET /case-reviews/${reviewId}`,
      want,
      {
        ...got,
        complaints: Array.isArray(got.complaints) ? got.complaints.length : got.complaints,
        assessments: Array.isArray(got.assessments) ? got.assessments.length : got.assessments,
        panelMeetingOn: (got.panel as { meetingOn?: string } | undefined)?.meetingOn,
        decision: decision ? { upheld: decision.upheld, recommendations: decision.recommendations.length, done: decision.recommendations.filter((r) => r.done).length } : undefined,
        letters: Array.isArray(got.letters) ? got.letters.length : got.letters,
      },
      mismatches,
    );
  });
  return { checked: { kpiRanges: soakRanges.length, ledgers: ledgers.length, cases: expected.cases.size, reviews: expected.reviews.size }, mismatches };
}
