import { randomUUID } from 'node:crypto';
import { FlyTipDetailsRecorded } from '#events/fly-tipping';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { events } from '#shared/publisher';
import { buildGetReport } from '../intake/reports-repository.ts';
import { flyTipApi } from './capability.ts';
import { buildFlyTipHandlers } from './fly-tip-routes.ts';
import { dynamoFlyTipStore } from './store.ts';

const table = setting('table');

export const handler = httpApi(
  flyTipApi,
  buildFlyTipHandlers({
    store: dynamoFlyTipStore(documents, table),
    getReport: buildGetReport(documents, table),
    publish: (detail) => events().publishOne(FlyTipDetailsRecorded, detail),
    newId: randomUUID,
    now: () => new Date(),
  }),
);
