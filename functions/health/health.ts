import { httpApi, json } from '#shared/http';
import { healthCheck } from './capability.ts';

export const handler = httpApi(healthCheck, {
  'GET /health': async () => json(200, { status: 'ok' }),
});
