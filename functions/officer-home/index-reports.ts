import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { searchIndexer } from './capability.ts';
import { buildSearchIndex } from './search.ts';

const searchIndex = buildSearchIndex(documents, setting('table'));

/**
 * The event's time is when the report reached the council. Its writes are puts of items keyed
 * by (term, reportId) and made from the detail and that time alone, which the claim keeps as
 * the first delivery's: a redelivery writes the same items again, so one claim write stands
 * in for Powertools' record (docs/architecture.md, "Idempotent consumers").
 */
export const handler = eventConsumer(searchIndexer, async ({ detail, time }) => searchIndex.index(detail, time), { idempotency: 'own-writes' });
