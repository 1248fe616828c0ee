import { ReportReceived } from '#events/intake';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { buildSaveReport } from './reports-repository.ts';

const saveReport = buildSaveReport(documents, setting('table'));

export const handler = eventConsumer([ReportReceived], async ({ detail }) => saveReport(detail));
