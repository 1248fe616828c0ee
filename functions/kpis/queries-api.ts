import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi, json } from '#shared/http';
import { kpiQueries } from './capability.ts';
import { parseRange } from './range.ts';
import { buildReadKpis } from './read.ts';

const readKpis = buildReadKpis(documents, setting('table'));

export const handler = httpApi(kpiQueries, {
  'GET /kpis': async ({ query }) => json(200, await readKpis(parseRange(query))),
});
