import { HousingStockRecorded } from '#events/tenancy';
import { documents } from '#shared/clients';
import { councilId, setting } from '#shared/config';
import { events } from '#shared/publisher';
import { housingStockHandler } from './housing-stock-handler.ts';
import { buildStockClaims, buildStockFigures } from './housing-stock-store.ts';

const table = setting('table');

export const handler = housingStockHandler({
  claims: buildStockClaims(documents, table),
  figures: buildStockFigures(documents, table),
  publish: (detail) => events().publishOne(HousingStockRecorded, detail),
  councilId,
});
