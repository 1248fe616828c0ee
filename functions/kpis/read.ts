/**
 * The KPI report of a range with the previous range beside it: what `GET /kpis`, the exports
 * and the dashboard answer. Reads a bounded number of items however long the history: the day
 * counters of the two ranges (one Query per London month, counters only) and one housing stock
 * item for each range's end.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildCounterStore, type CounterStore } from './counter-store.ts';
import { figuresOf, type DayCounters, type HousingStock } from './figures.ts';
import type { DateRange, KpiReport } from './model.ts';
import { parseRange, previousRange } from './range.ts';

export type ReadKpis = (range: DateRange) => Promise<KpiReport>;

/** A report with the count of homes NM01 divided by in each range (the dashboard says which). */
export interface KpiReading {
  readonly report: KpiReport;
  readonly housingStock: { readonly current: HousingStock | undefined; readonly previous: HousingStock | undefined };
}
export type ReadKpiReading = (range: DateRange) => Promise<KpiReading>;

/** The report and its housing stock from a store (tests pass a fake or a store on another client). */
export function readKpiReadingFrom(store: Pick<CounterStore, 'readDays' | 'latestStock'>): ReadKpiReading {
  return async (asked) => {
    // 1. The range is checked here too, so every caller gets the same 400 for a bad one.
    const range = parseRange(asked);
    const previous = previousRange(range);
    // 2. The two ranges are adjacent: one read covers both.
    const [days, stock, previousStock] = await Promise.all([
      store.readDays({ from: previous.from, to: range.to }),
      store.latestStock(range.to),
      store.latestStock(previous.to),
    ]);
    const within = (r: DateRange): DayCounters[] => days.filter((d) => d.day >= r.from && d.day <= r.to);
    // 3. Figures, percentages and rates computed from the sums.
    return {
      report: {
        from: range.from,
        to: range.to,
        kpis: figuresOf(within(range), stock),
        previous: { from: previous.from, to: previous.to, kpis: figuresOf(within(previous), previousStock) },
      },
      housingStock: { current: stock, previous: previousStock },
    };
  };
}

/** The report alone: what `GET /kpis` answers (contract.md), the exports and the annual report. */
export function readKpisFrom(store: Pick<CounterStore, 'readDays' | 'latestStock'>): ReadKpis {
  const read = readKpiReadingFrom(store);
  return async (range) => (await read(range)).report;
}

/** The report read from the main table (the dashboard calls this in-process). */
export function buildReadKpis(documents: DynamoDBDocumentClient, table: string): ReadKpis {
  return readKpisFrom(buildCounterStore(documents, table));
}
