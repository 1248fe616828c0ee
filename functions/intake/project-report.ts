import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { reportProjector } from './capability.ts';
import { buildSaveReport } from './reports-repository.ts';

const saveReport = buildSaveReport(documents, setting('table'));

/** The event's time is when the report reached the council (its occurredAt is when the incident happened). */
export const handler = eventConsumer(reportProjector, async ({ detail, time }) => saveReport(detail, time), { idempotency: 'own-writes' });
