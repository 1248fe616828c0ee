import { httpApi, json } from '#shared/http';

export const handler = httpApi({
  'GET /health': async () => json(200, { status: 'ok' }),
});
