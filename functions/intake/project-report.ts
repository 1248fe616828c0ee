import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { reportProjector } from './capability.ts';
import { buildSaveReport } from './reports-repository.ts';

const saveReport = buildSaveReport(documents, setting('table'));

export const handler = eventConsumer(reportProjector, async ({ detail }) => saveReport(detail));
