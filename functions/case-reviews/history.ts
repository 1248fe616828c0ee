/**
 * The history a panel reviews: the reports the assessment matched, and the cases they joined
 * with their timelines. Read through the intake and cases read sides (case-reviews → cases →
 * intake; neither looks back at case reviews).
 */
import type { Principal } from '#shared/auth';
import { NotFoundError } from '#shared/errors';
import { getCase } from '../cases/case-queries.ts';
import type { CaseWithTimelineView } from '../cases/case-queries.ts';
import { getReport, queryDeps } from '../cases/deps.ts';
import { categoryText, describe, whenText } from '../cases/page-model.ts';
import type { ReportView } from '../intake/reports-repository.ts';
import type { CaseReviewView } from './model.ts';
import type { HistoryEntry } from './views.ts';

export interface HistoryItem {
  report: Pick<ReportView, 'reportId' | 'reference' | 'category' | 'occurredAt' | 'status' | 'caseId' | 'hateMotivated'>;
  case?: Pick<CaseWithTimelineView, 'caseId' | 'status' | 'kind' | 'owner' | 'timeline'>;
}

export async function gatherHistory(view: CaseReviewView, principal: Principal | undefined): Promise<HistoryItem[]> {
  const reportIds = [...new Set((view.assessment?.complaints ?? []).flatMap((c) => (c.reportId ? [c.reportId] : [])))];
  const cases = new Map<string, HistoryItem['case']>();
  const items: HistoryItem[] = [];
  for (const reportId of reportIds) {
    const report = await getReport(reportId);
    if (!report) continue;
    const { reference, category, occurredAt, status, caseId, hateMotivated } = report;
    let linked: HistoryItem['case'];
    if (caseId) {
      if (!cases.has(caseId)) {
        try {
          const c = await getCase(caseId, principal, queryDeps);
          cases.set(caseId, { caseId: c.caseId, status: c.status, kind: c.kind, owner: c.owner, timeline: c.timeline });
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          cases.set(caseId, undefined);
        }
      }
      linked = cases.get(caseId);
    }
    items.push({ report: { reportId, ...(reference ? { reference } : {}), category, occurredAt, status, ...(caseId ? { caseId } : {}), hateMotivated }, ...(linked ? { case: linked } : {}) });
  }
  return items;
}

/** The history as rows of text for the review page. */
export const historyEntries = (items: readonly HistoryItem[]): HistoryEntry[] =>
  items.map(({ report, case: c }) => ({
    reportId: report.reportId,
    ...(report.reference ? { reference: report.reference } : {}),
    category: categoryText(report.category),
    occurred: whenText(report.occurredAt),
    ...(c ? { caseId: c.caseId, caseStatus: c.status } : {}),
    timeline: (c?.timeline ?? []).map((e) => {
      const d = describe(e);
      return { when: whenText(e.occurredAt), what: d.details ? `${d.what}: ${d.details}` : d.what };
    }),
  }));
