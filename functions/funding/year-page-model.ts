/**
 * The finance year page's new parts, worked out here so the template only lays them out:
 * where the year stands, the forecast outturn, spend by quarter against the profile, and what
 * finance can do to each line. Every amount is in pounds already.
 */
import { dateText } from '#shared/london-time';
import { formatPounds } from './money.ts';
import { percentText, yearStateText, type YearState } from './quarters.ts';
import type { YearReport } from './year-report.ts';

type Cell = { text: string; format?: 'numeric'; classes?: string };
const money = (pence: number, bold = false): Cell => ({
  text: formatPounds(pence).replace('−£', '−\u2060£'),
  format: 'numeric',
  ...(bold ? { classes: 'govuk-!-font-weight-bold' } : {}),
});

/** govukTag for a year's state: colours as the GOV.UK task-list statuses use them. */
export const stateTag = (state: YearState, overspent: boolean) => ({
  text: overspent && state !== 'closed' ? `${yearStateText[state]}, overspent` : yearStateText[state],
  classes: overspent ? 'govuk-tag--red' : state === 'open' ? 'govuk-tag--green' : state === 'ended' ? 'govuk-tag--yellow' : state === 'closed' ? 'govuk-tag--grey' : 'govuk-tag--blue',
});

export const stateSentence = (report: Pick<YearReport, 'state' | 'financialYear'>, closedOn?: string): string => {
  switch (report.state) {
    case 'not-started':
      return `${report.financialYear} has not started yet; money can be allocated and committed against it already.`;
    case 'open':
      return `${report.financialYear} is open.`;
    case 'ended':
      return `${report.financialYear} has ended but is not closed yet: it closes at the year end run, with the remaining balance returned to the county pool.`;
    case 'closed':
      return `${report.financialYear} was closed${closedOn ? ` on ${closedOn}` : ''}.`;
  }
};

/** The headline figures: what may be spent, spent (with the share), committed, forecast outturn and what it leaves. */
export function outturnRows(report: YearReport): Cell[][] {
  const o = report.outturn;
  return [
    [{ text: 'Funding available' }, money(o.availablePence)],
    [{ text: `Spent${o.spentTenthsOfPercent !== undefined ? ` (${percentText(o.spentTenthsOfPercent)} of available)` : ''}` }, money(o.spentPence)],
    [{ text: 'Committed, not yet spent' }, money(o.committedPence)],
    [{ text: `Forecast outturn: spent + committed${o.outturnTenthsOfPercent !== undefined ? ` (${percentText(o.outturnTenthsOfPercent)})` : ''}`, classes: 'govuk-!-font-weight-bold' }, money(o.forecastOutturnPence, true)],
    [{ text: 'Left after the forecast outturn' }, money(o.forecastRemainingPence)],
  ];
}

/** Spend against profile, as words: "£200.00 ahead of profile", "£1,000.00 behind", "on profile". */
const differenceText = (pence: number) => (pence === 0 ? 'On profile' : `${formatPounds(Math.abs(pence))} ${pence > 0 ? 'ahead of' : 'behind'} profile`);

export function quarterTableRows(report: YearReport): Cell[][] {
  const rows = report.quarters.map((q) => [
    { text: `Q${q.quarter}: ${dateText(q.from).replace(/ \d{4}$/, '')} to ${dateText(q.to)}` },
    q.profilePence === undefined ? { text: '–', format: 'numeric' as const } : money(q.profilePence),
    money(q.spentPence),
    { text: q.differencePence === undefined ? '–' : differenceText(q.differencePence) },
    q.cumulativeProfilePence === undefined ? { text: '–', format: 'numeric' as const } : money(q.cumulativeProfilePence),
    money(q.cumulativeSpentPence),
  ]);
  if (report.spentOutsideYearPence !== 0) {
    rows.push([{ text: 'Dated outside the year' }, { text: '–', format: 'numeric' }, money(report.spentOutsideYearPence), { text: '' }, { text: '', format: 'numeric' }, { text: '', format: 'numeric' }]);
  }
  return rows;
}

/** What the banner says after a form recorded a line, found by its eventId among the year's lines. */
export function recordedBanner(report: YearReport, eventId: string | undefined): string | undefined {
  if (!eventId) return undefined;
  const line = report.lines.find((l) => l.eventId === eventId);
  if (!line) return 'Recorded. It will show in the ledger in a moment: refresh the page if it is not there yet.';
  switch (line.type) {
    case 'allocation':
      return `Recorded: ${line.kind === 'recall' ? 'a recall' : line.kind === 'adjustment' ? 'an adjustment' : line.kind === 'underspend-award' ? 'an award' : 'an allocation'} of ${formatPounds(line.amountPence)}. ${formatPounds(report.remainingPence)} remaining.`;
    case 'commitment':
      return `Recorded: a commitment of ${formatPounds(line.amountPence)} for ${line.project}.`;
    case 'spend':
      return `Recorded: a spend of ${formatPounds(line.amountPence)} on ${line.project}. ${formatPounds(report.remainingPence)} remaining.`;
    case 'reversal':
      return `Recorded: the spend was reversed. ${formatPounds(report.remainingPence)} remaining.`;
  }
}
