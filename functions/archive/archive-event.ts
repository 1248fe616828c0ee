import { envelopeConsumer } from '#shared/consumer';
import { logger } from '#shared/powertools';
import { eventArchiver } from './capability.ts';
import { archivedEventId, type ArchivedEnvelope } from './data-classes.ts';
import { dayOf } from './layout.ts';
import { stage } from './staging.ts';

/**
 * Every event, whole, into today's group (written to the bucket by the daily compactor),
 * keyed by its eventId: taking it again changes nothing.
 */
export const handler = envelopeConsumer(eventArchiver, async (event) => {
  const eventId = archivedEventId(event);
  const day = dayOf(new Date());
  const taken = await stage(eventId, day, event as unknown as ArchivedEnvelope);
  logger.debug(taken ? 'staged for archive' : 'already archived', { day });
  return { eventId, day, taken };
});
