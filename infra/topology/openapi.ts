import type { FunctionSpec } from './types.ts';

export const openApiFunctions: readonly FunctionSpec[] = [
  {
    name: 'OpenApi',
    entry: 'functions/openapi/openapi-api.ts',
    description: 'The OpenAPI document, generated from the topology and the zod schemas',
    triggers: [{ kind: 'http', method: 'GET', path: '/openapi.json', auth: 'public' }],
  },
];
