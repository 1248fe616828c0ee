import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { subjectIndexer } from './capability.ts';
import { buildIndexSubjectAction } from './subject-index.ts';

const indexSubjectAction = buildIndexSubjectAction(documents, setting('table'));

/** Keeps the subject index: each enforcement action about a subject, across cases. */
export const handler = eventConsumer(
  subjectIndexer,
  async (event) => {
    await indexSubjectAction(event);
  },
  { idempotency: 'own-writes' },
);
