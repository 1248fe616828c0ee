import type { FunctionSpec } from './types.ts';

export const open311Functions: readonly FunctionSpec[] = [
  {
    name: 'Open311Api',
    entry: 'functions/open311/api.ts',
    description: 'Open311 GeoReport v2: services from the category list; service requests with a client API key',
    // Public at the gateway: services are open data and requests are checked against the
    // client's api_key in the handler (GeoReport v2 sends it as a parameter, not a token).
    // API Gateway path parameters are whole segments, so `services.json` arrives as {resource}.
    triggers: [
      { kind: 'http', method: 'GET', path: '/open311/v2/{resource}', auth: 'public' },
      { kind: 'http', method: 'POST', path: '/open311/v2/{resource}', auth: 'public' },
      { kind: 'http', method: 'GET', path: '/open311/v2/services/{file}', auth: 'public' },
      { kind: 'http', method: 'GET', path: '/open311/v2/requests/{file}', auth: 'public' },
    ],
    tables: { main: 'readwrite' },
    putsEvents: true,
  },
];
