import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { searchIndexer } from './capability.ts';
import { buildSearchIndex } from './search.ts';

const searchIndex = buildSearchIndex(documents, setting('table'));

/** The event's time is when the report reached the council. */
export const handler = eventConsumer(searchIndexer, async ({ detail, time }) => searchIndex.index(detail, time));
