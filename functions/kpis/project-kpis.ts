import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { logger } from '#shared/powertools';
import { kpiCounter } from './capability.ts';
import { countEvent } from './count-event.ts';
import { buildCounterStore } from './counter-store.ts';

const store = buildCounterStore(documents, setting('table'));

/** Counts each event once into its London day (counter-store.ts says why this is exact under retries). */
export const handler = eventConsumer(kpiCounter, async (event) => {
  const outcome = await countEvent(event, store);
  if (outcome === 'duplicate') logger.info('KPI event already counted', { eventId: event.detail.eventId });
}, { idempotency: 'own-writes' });
