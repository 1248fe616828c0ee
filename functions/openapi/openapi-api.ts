import { httpApi, json } from '#shared/http';
import { buildOpenApiDocument } from './document.ts';
import { openApi } from './capability.ts';

const document = buildOpenApiDocument();

export const handler = httpApi(openApi, {
  'GET /openapi.json': async () => json(200, document, { 'cache-control': 'public, max-age=300' }),
});
