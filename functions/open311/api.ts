import { ReportReceived } from '#events/intake';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { logger } from '#shared/powertools';
import { events } from '#shared/publisher';
import { buildSaveContact } from '../intake/contacts.ts';
import { receiveReport } from '../intake/receive.ts';
import { buildApiKeys } from './api-keys.ts';
import { open311Routes } from './open311.ts';
import { buildForgetRequest, buildGetRequests, buildQueryRequests, buildSaveRequest, buildStatusOf } from './requests-repository.ts';
import { open311Api } from './capability.ts';

const table = setting('table');
const saveContact = buildSaveContact(documents, table);
const forgetRequest = buildForgetRequest(documents, table);
const apiKeys = buildApiKeys(documents, table);

export const handler = httpApi(
  open311Api,
  open311Routes({
    authenticate: apiKeys.authenticate,
    clients: async () => (await apiKeys.list()).map((c) => c.client),
    // The request is recorded before its report is published; if publishing fails it is
    // forgotten again, so a 201 always means both exist and an error means neither does.
    receive: (report, record) =>
      receiveReport(report, 'open311', {
        saveContact,
        publish: async (detail) => {
          await record(detail.reportId, detail.reference ?? detail.reportId);
          try {
            await events().publishOne(ReportReceived, detail);
          } catch (error) {
            await forgetRequest(detail.reference ?? detail.reportId);
            throw error;
          }
        },
      }),
    saveRequest: buildSaveRequest(documents, table),
    getRequests: buildGetRequests(documents, table),
    queryRequests: buildQueryRequests(documents, table),
    statusOf: buildStatusOf(documents, table),
    onError: (error) => logger.error('Open311 request failed', error as Error),
  }),
);
