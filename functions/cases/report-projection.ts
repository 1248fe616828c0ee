import type { EventOf } from '#shared/consumer';
import type { ContractsOf } from '#shared/wiring';
import type { TriageDecision } from '../intake/reports-repository.ts';
import type { caseProjector } from './capability.ts';

/** Any event the case projector consumes, narrowed by its detail-type. */
export type ProjectedEvent = EventOf<ContractsOf<typeof caseProjector>>;

/** CaseOpened, ReportLinked and ReportReferred move their reports out of the triage queue. */
export const buildProjectTriage =
  (markTriaged: (reportId: string, decision: TriageDecision) => Promise<void>) =>
  async (e: ProjectedEvent): Promise<void> => {
    const decidedAt = new Date(e.detail.occurredAt).toISOString();
    const { eventId } = e.detail;
    if (e.detailType === 'CaseOpened') {
      for (const reportId of e.detail.reportIds) {
        await markTriaged(reportId, { status: 'triaged', caseId: e.detail.caseId, decidedAt, eventId });
      }
    } else if (e.detailType === 'ReportLinked') {
      await markTriaged(e.detail.reportId, { status: 'triaged', caseId: e.detail.caseId, decidedAt, eventId });
    } else if (e.detailType === 'ReportReferred') {
      await markTriaged(e.detail.reportId, { status: 'referred', referredTo: e.detail.service, decidedAt, eventId });
    }
  };
