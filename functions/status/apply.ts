import { publicActionOf, type StatusEvent } from './actions.ts';
import { mayBeTold } from './messages.ts';
import type { StatusStore } from './repository.ts';

/**
 * Stores what one event says about the public progress of reports, and answers which reports
 * it concerns (whose reporters may now be due a message). Each write is keyed by the event, so
 * applying an event again changes nothing; nothing read here decides what is written, so the
 * order events arrive in does not matter either.
 *
 * `receivedAt` is when the bus took the event: a report's occurredAt is when the incident
 * happened, not when we received it.
 */
export async function applyStatusEvent(event: StatusEvent, receivedAt: string, store: StatusStore): Promise<string[]> {
  const at = (iso: string) => new Date(iso).toISOString();
  switch (event.detailType) {
    case 'ReportReceived': {
      const d = event.detail;
      if (!d.reference) return [];
      const received = {
        kind: 'received' as const,
        eventId: d.eventId,
        at: at(receivedAt),
        reference: d.reference,
        channel: d.channel,
        ...(d.reporter.anonymous ? {} : { contactRef: d.reporter.contactRef }),
        ...(d.caseReviewNotice ? { caseReviewNotice: true } : {}),
      };
      await store.saveReportStep(d.reportId, received);
      // The reference last: once it is found, the report's first step is there to show.
      await store.saveReference(d.reference, d.reportId, received.at);
      // A reporter who can never be told anything (anonymous, or told by their own service)
      // concerns nobody here: their report's progress need not be read back to find out.
      return mayBeTold(received) ? [d.reportId] : [];
    }
    case 'CaseOpened': {
      const d = event.detail;
      await store.saveCaseStep(d.caseId, { kind: 'opened', eventId: d.eventId, at: at(d.occurredAt) });
      for (const reportId of d.reportIds) {
        await store.saveCaseReport(d.caseId, reportId, at(d.occurredAt));
        await store.saveReportStep(reportId, { kind: 'case', how: 'opened', eventId: d.eventId, at: at(d.occurredAt), caseId: d.caseId });
      }
      return [...d.reportIds];
    }
    case 'ReportLinked': {
      const d = event.detail;
      await store.saveCaseReport(d.caseId, d.reportId, at(d.occurredAt));
      await store.saveReportStep(d.reportId, { kind: 'case', how: 'linked', eventId: d.eventId, at: at(d.occurredAt), caseId: d.caseId });
      return [d.reportId];
    }
    case 'ReportReferred': {
      const d = event.detail;
      await store.saveReportStep(d.reportId, { kind: 'referred', eventId: d.eventId, at: at(d.occurredAt), service: d.service });
      return [d.reportId];
    }
    case 'CaseClosed': {
      const d = event.detail;
      await store.saveCaseStep(d.caseId, { kind: 'closed', eventId: d.eventId, at: at(d.occurredAt) });
      return (await store.caseOf(d.caseId)).reportIds;
    }
    default: {
      const caseId = 'caseId' in event.detail ? event.detail.caseId : undefined;
      const action = publicActionOf(event);
      if (caseId && action) await store.saveCaseStep(caseId, { kind: 'action', action, eventId: event.detail.eventId, at: at(event.detail.occurredAt) });
      // Actions are shown on the page; reporters hear when the case opens and closes.
      return [];
    }
  }
}
