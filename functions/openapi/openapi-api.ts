import { httpApi, json } from '#shared/http';
import { buildOpenApiDocument } from './document.ts';

const document = buildOpenApiDocument();

export const handler = httpApi({
  'GET /openapi.json': async () => json(200, document, { 'cache-control': 'public, max-age=300' }),
});
