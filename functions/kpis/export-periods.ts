/**
 * The periods KPI exports are made for (domain.md, "Periods people ask for"): a calendar month,
 * a financial-year quarter (Q1 = April–June), a financial year (April–March) and the annual
 * report's October–September year. Pure date arithmetic on London dates.
 */
import { addDays, addMonths } from '#shared/london-time';
import type { DateRange } from './model.ts';
import type { IsoDate } from './range.ts';

export const periodKinds = ['month', 'quarter', 'financial-year', 'committee-year'] as const;
export type PeriodKind = (typeof periodKinds)[number];

/** A range with the label exports and KpiExportReady carry, e.g. `2024-05`, `2024-25-Q1`, `2024-25`. */
export interface Period extends DateRange {
  readonly kind: PeriodKind | 'range';
  readonly name: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const yearsLabel = (startYear: number) => `${startYear}-${pad2((startYear + 1) % 100)}`;
const endOf = (from: IsoDate, months: number) => addDays(addMonths(from, months), -1);

/** The period of a kind that contains a date. */
export function periodContaining(kind: PeriodKind, date: IsoDate): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  switch (kind) {
    case 'month': {
      const from = `${date.slice(0, 7)}-01`;
      return { kind, name: date.slice(0, 7), from, to: endOf(from, 1) };
    }
    case 'quarter': {
      const fyStart = month >= 4 ? year : year - 1;
      const index = Math.floor(((month + 8) % 12) / 3);
      const from = addMonths(`${fyStart}-04-01`, index * 3);
      return { kind, name: `${yearsLabel(fyStart)}-Q${index + 1}`, from, to: endOf(from, 3) };
    }
    case 'financial-year': {
      const fyStart = month >= 4 ? year : year - 1;
      return { kind, name: yearsLabel(fyStart), from: `${fyStart}-04-01`, to: `${fyStart + 1}-03-31` };
    }
    case 'committee-year': {
      const start = month >= 10 ? year : year - 1;
      return { kind, name: `${yearsLabel(start)}-oct-sep`, from: `${start}-10-01`, to: `${start + 1}-09-30` };
    }
  }
}

/**
 * The latest whole period of a kind that ended before a date: on 1 July (or any day up to 30
 * September, should a run be late) the quarter April–June; on 1 April the financial year just
 * ended.
 */
export function lastCompletePeriod(kind: PeriodKind, today: IsoDate): Period {
  return periodContaining(kind, addDays(periodContaining(kind, today).from, -1));
}

/** A range named as the period it is, or `from_to` when it is none of them. */
export function periodOf(range: DateRange): Period {
  for (const kind of periodKinds) {
    const period = periodContaining(kind, range.from);
    if (period.from === range.from && period.to === range.to) return period;
  }
  return { kind: 'range', name: `${range.from}_${range.to}`, from: range.from, to: range.to };
}
