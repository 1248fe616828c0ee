/**
 * The figures councils publish at least yearly (contract.md, `GET /case-reviews/figures`):
 * read from the KPI day counters (functions/kpis), the same numbers as the KPI ids
 * `case_reviews_*` for the same London dates, however the events arrived.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { financialYearOf, financialYearSpan, type IsoDate } from '#shared/london-time';
import { buildCounterStore, type CounterStore } from '../kpis/counter-store.ts';
import { figuresOf } from '../kpis/figures.ts';
import type { DateRange, KpiFigures } from '../kpis/model.ts';
import { parseRange } from '../kpis/range.ts';

export interface PublishedFigures {
  from: IsoDate;
  to: IsoDate;
  applications: number;
  thresholdNotMet: number;
  reviewsCarriedOut: number;
  reviewsWithRecommendations: number;
  /** Not required to be published; the team's own KPI 12. */
  reviewsUpheld: number;
}

export const publishedFrom = (range: DateRange, k: KpiFigures): PublishedFigures => ({
  from: range.from,
  to: range.to,
  applications: k.case_reviews_received ?? 0,
  thresholdNotMet: k.case_reviews_threshold_not_met ?? 0,
  reviewsCarriedOut: k.case_reviews_carried_out ?? 0,
  reviewsWithRecommendations: k.case_reviews_with_recommendations ?? 0,
  reviewsUpheld: k.case_reviews_upheld ?? 0,
});

/** The range asked for, or the financial year so far when none is given. */
export function figuresRange(query: { from?: string; to?: string }, today: IsoDate): DateRange {
  if (query.from === undefined && query.to === undefined) return { from: financialYearSpan(financialYearOf(today)).from, to: today };
  return parseRange(query);
}

export function readFiguresFrom(store: Pick<CounterStore, 'readDays'>) {
  return async (range: DateRange): Promise<PublishedFigures> => publishedFrom(range, figuresOf(await store.readDays(range), undefined));
}

export const buildReadFigures = (db: DynamoDBDocumentClient, table: string) => readFiguresFrom(buildCounterStore(db, table));
