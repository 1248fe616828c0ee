import { httpApi, json } from '#shared/http';
import { openApi } from './capability.ts';

/**
 * Built on the first request and kept: building it (every capability's routes and zod
 * schemas through zod-to-openapi) is most of what this function would otherwise do at init.
 */
let document: Promise<unknown> | undefined;
const openApiDocument = () => (document ??= import('./document.ts').then((m) => m.buildOpenApiDocument()));

export const handler = httpApi(openApi, {
  'GET /openapi.json': async () => json(200, await openApiDocument(), { 'cache-control': 'public, max-age=300' }),
});
