import { declareCapability, declareFunction } from '#shared/wiring';

export const openApi = declareFunction({
  name: 'OpenApi',
  entry: 'functions/openapi/openapi-api.ts',
  description: 'The OpenAPI document, generated from the capabilities\' declarations and the zod schemas',
  routes: [{ method: 'GET', path: '/openapi.json', auth: 'public' }],
});

export const openapi = declareCapability('openapi', [openApi]);
