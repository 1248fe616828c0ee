import type { TriageDecision } from '../intake/reports-repository.ts';
import type { CaseEvent } from './case-projection.ts';

/** CaseOpened, ReportLinked and ReportReferred move their reports out of the triage queue. */
export const buildProjectTriage =
  (markTriaged: (reportId: string, decision: TriageDecision) => Promise<void>) =>
  async (e: CaseEvent): Promise<void> => {
    const d = e.detail;
    const decidedAt = new Date(d.occurredAt).toISOString();
    if (e.detailType === 'CaseOpened') {
      for (const reportId of d.reportIds as string[]) {
        await markTriaged(reportId, { status: 'triaged', caseId: d.caseId as string, decidedAt, eventId: d.eventId });
      }
    } else if (e.detailType === 'ReportLinked') {
      await markTriaged(d.reportId as string, { status: 'triaged', caseId: d.caseId as string, decidedAt, eventId: d.eventId });
    } else if (e.detailType === 'ReportReferred') {
      await markTriaged(d.reportId as string, { status: 'referred', referredTo: d.service as string, decidedAt, eventId: d.eventId });
    }
  };
