/**
 * The officer's home page as rows of words: pure functions from the read models (cases, what
 * is due, case reviews due, the KPI report) to what the template shows.
 */
import { addDays, dateText, financialYearOf, financialYearSpan, type IsoDate } from '#shared/london-time';
import type { DueItem as ReviewDueItem } from '../case-reviews/model.ts';
import type { CaseView } from '../cases/case-model.ts';
import type { DueItem } from '../cases/reminders.ts';
import type { KpiReport } from '../kpis/model.ts';
import { kpiLabels, type KpiId } from '../kpis/model.ts';
import { reminderText } from '../../web/vocabulary.ts';

const caseHref = (caseId: string) => `/officer/cases/${encodeURIComponent(caseId)}`;

/** The reminders to act on today: due today or already passed (the list shows a week ahead). */
export const dueToday = (items: readonly DueItem[], today: IsoDate) => items.filter((i) => i.dueOn <= today);

export const reminderRows = (items: readonly DueItem[], today: IsoDate) =>
  items.map((i) => ({ href: caseHref(i.caseId), caseId: i.caseId, what: reminderText(i.reminder), due: i.dueOn < today ? `${dateText(i.dueOn)} (passed)` : 'Today', message: i.message }));

export const overdueRows = (cases: readonly CaseView[]) =>
  cases.map((c) => ({ href: caseHref(c.caseId), caseId: c.caseId, dueBy: c.firstContact ? dateText(c.firstContact.dueBy) : '' }));

/** The case reviews with something due within a week, or overdue. */
export const reviewRows = (items: readonly ReviewDueItem[], today: IsoDate) =>
  items
    .filter((i) => i.dueOn <= addDays(today, 7))
    .map((i) => ({ href: `/officer/case-reviews/${encodeURIComponent(i.reviewId)}`, reference: i.reference, due: `${dateText(i.dueOn)}${i.overdue ? ' (overdue)' : ''}`, overdue: i.overdue, message: i.message }));

/** The tiles: this financial year so far, each linking to the dashboard for the same dates. */
export const TILE_KPIS: readonly KpiId[] = ['asb_cases_investigated', 'enviro_incidents_investigated', 'cpw_issued', 'cpn_issued', 'fpn_issued', 'total_team_actions'];

export function yearToDate(today: IsoDate): { from: IsoDate; to: IsoDate; name: string } {
  const fy = financialYearOf(today);
  return { from: financialYearSpan(fy).from, to: today, name: `${fy} so far` };
}

export function kpiTiles(report: KpiReport, range: { from: IsoDate; to: IsoDate }) {
  const href = `/officer/kpis?period=custom&from=${range.from}&to=${range.to}`;
  return TILE_KPIS.map((id) => {
    const value = report.kpis[id];
    return { label: kpiLabels[id], value: typeof value === 'number' ? value.toLocaleString('en-GB') : '–', href };
  });
}
