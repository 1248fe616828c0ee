import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { logger } from '#shared/powertools';
import { site } from '../../web/site.ts';
import { buildGetContact } from '../intake/contacts.ts';
import { notifier } from '../notifications/configure.ts';
import { applyStatusEvent } from './apply.ts';
import { statusProjector } from './capability.ts';
import { buildStatusStore } from './repository.ts';
import { publicBaseUrl } from './status-link.ts';
import { tellReporters } from './tell-reporters.ts';

const table = setting('table');
const store = buildStatusStore(documents, table);
const getContact = buildGetContact(documents, table);

/** Stores the event's part of each report's progress, then tells the reporters it concerns. */
export const handler = eventConsumer(statusProjector, async (event) => {
  const reportIds = await applyStatusEvent(event, event.time, store);
  const sent = await tellReporters(reportIds, { store, getContact, notifier, context: () => ({ baseUrl: publicBaseUrl(), councilName: site.councilName }) });
  if (sent.length) logger.info('reporters told', { messages: sent.length });
}, { idempotency: 'own-writes' });
