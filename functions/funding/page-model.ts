/**
 * What the finance pages show, worked out here so the templates only lay it out: the balance
 * table, the chart's geometry (server-rendered SVG: no script, and CSP-safe as it uses
 * attributes, not styles) and the lines, every amount already in pounds.
 */
import { dateText, londonDateOf } from '#shared/london-time';
import type { LedgerLineView } from './ledger.ts';
import { formatPounds } from './money.ts';
import type { LedgerView } from './views.ts';

type Cell = { text: string; format?: 'numeric'; classes?: string };

/** Pounds for a table cell; a word joiner keeps a minus sign on the same line as its amount. */
const money = (pence: number, bold = false): Cell => ({
  text: formatPounds(pence).replace('−£', '−\u2060£'),
  format: 'numeric',
  ...(bold ? { classes: 'govuk-!-font-weight-bold' } : {}),
});

/** The London date of an instant, as people read it. */
export const dayOf = (iso: string) => dateText(londonDateOf(iso));

const kindLabel: Record<string, string> = {
  provisional: 'Provisional allocation',
  'underspend-award': 'Award from the underspend pot',
  recall: 'Recall',
  adjustment: 'Adjustment',
};

export function balanceRows(view: LedgerView): Cell[][] {
  const rows: Cell[][] = [
    [{ text: 'Provisional allocation' }, money(view.allocatedPence)],
    [{ text: 'Award from the underspend pot' }, money(view.awardedPence)],
  ];
  if (view.recalledPence !== 0) rows.push([{ text: 'Recalled (subtracted)' }, money(view.recalledPence)]);
  if (view.adjustedPence !== 0) rows.push([{ text: 'Adjustments' }, money(view.adjustedPence)]);
  rows.push([{ text: 'Spent (subtracted)' }, money(view.spentPence)]);
  rows.push([{ text: 'Remaining', classes: 'govuk-!-font-weight-bold' }, money(view.remainingPence, true)]);
  rows.push([{ text: 'Committed (shown, not subtracted)' }, money(view.committedPence)]);
  return rows;
}

export function projectRows(view: LedgerView): Cell[][] {
  return view.projects.map((p) => [{ text: p.project }, money(p.spentPence), money(p.committedPence)]);
}

function lineText(line: LedgerLineView): { what: string; detail: string; pence?: number } {
  switch (line.type) {
    case 'allocation':
      return { what: kindLabel[line.kind] ?? line.kind, detail: line.reference, pence: line.kind === 'recall' ? -line.amountPence : line.amountPence };
    case 'commitment':
      return { what: 'Commitment', detail: [line.project, line.reference].filter(Boolean).join(' – '), pence: line.amountPence };
    case 'spend':
      return { what: line.reversedBy ? 'Spend (reversed)' : 'Spend', detail: `${line.project} – ${line.reference}`, pence: -line.amountPence };
    case 'reversal':
      return { what: line.matched ? 'Reversal' : 'Reversal (spend not yet recorded)', detail: line.reason };
  }
}

export function lineRows(view: LedgerView): Cell[][] {
  return view.lines.map((line) => {
    const { what, detail, pence } = lineText(line);
    return [{ text: dayOf(line.occurredAt) }, { text: what }, { text: detail }, pence === undefined ? { text: '' } : money(pence)];
  });
}

export interface ChartBar {
  readonly label: string;
  readonly labelY: number;
  readonly barY: number;
  readonly spentWidth: number;
  readonly committedX: number;
  readonly committedWidth: number;
  readonly over: boolean;
}

export interface Chart {
  readonly width: number;
  readonly height: number;
  readonly barHeight: number;
  readonly left: number;
  readonly availableX: number;
  readonly availableLabel: string;
  readonly bars: readonly ChartBar[];
}

/**
 * One bar per project and one for all projects, each spent (solid) then committed (light),
 * on a scale where the dashed line is the funding available for the year.
 */
export function chartOf(view: LedgerView): Chart | undefined {
  if (view.projects.length === 0) return undefined;
  const width = 640;
  const left = 4;
  const plot = width - left - 8;
  const rowHeight = 52;
  const barHeight = 20;
  const top = 40;
  const available = view.allocatedPence + view.awardedPence - view.recalledPence + view.adjustedPence;
  const series = [
    ...view.projects.map((p) => ({ label: p.project, spent: p.spentPence, committed: p.committedPence })),
    { label: 'All projects', spent: view.spentPence, committed: view.committedPence },
  ];
  const scale = Math.max(available, ...series.map((s) => s.spent + s.committed), 1);
  const x = (pence: number) => Math.round((Math.max(0, pence) / scale) * plot * 10) / 10;
  const bars = series.map((s, i) => {
    const labelY = top + i * rowHeight;
    return {
      label: `${s.label}: ${formatPounds(s.spent)} spent${s.committed ? `, ${formatPounds(s.committed)} committed` : ''}`,
      labelY,
      barY: labelY + 8,
      spentWidth: x(s.spent),
      committedX: left + x(s.spent),
      committedWidth: x(s.committed),
      over: i === series.length - 1 && view.remainingPence < 0,
    };
  });
  return {
    width,
    height: top + series.length * rowHeight,
    barHeight,
    left,
    availableX: left + x(available),
    availableLabel: `Funding available: ${formatPounds(available)}`,
    bars,
  };
}
