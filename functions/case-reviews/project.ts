import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { londonDateOf } from '#shared/london-time';
import { caseReviewProjector } from './capability.ts';
import type { StoredEvent } from './model.ts';
import { buildCaseReviewStore } from './repository.ts';

const store = buildCaseReviewStore(documents, setting('table'));

/**
 * Each case-review event is stored under its review (the review is folded when read), and
 * each received report is indexed for matching complaints: its incident date, and the date it
 * was received (the bus's time: a report's occurredAt is when the incident happened).
 */
export const handler = eventConsumer(caseReviewProjector, async (event) => {
  if (event.detailType === 'ReportReceived') {
    const d = event.detail;
    await store.saveHeldReport({
      reportId: d.reportId,
      ...(d.reference ? { reference: d.reference } : {}),
      incidentOn: londonDateOf(d.occurredAt),
      reportedOn: londonDateOf(event.time),
      hateMotivated: d.hateMotivated,
      receivedAt: event.time,
      ...(d.reporter.anonymous ? {} : { contactRef: d.reporter.contactRef }),
    });
    return;
  }
  await store.saveEvent({ detailType: event.detailType, detail: event.detail } as StoredEvent);
}, { idempotency: 'own-writes' });
