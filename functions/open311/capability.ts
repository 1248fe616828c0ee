import { ReportReceived } from '#events/intake';
import { declareCapability, declareFunction } from '#shared/wiring';

export const open311Api = declareFunction({
  name: 'Open311Api',
  entry: 'functions/open311/api.ts',
  description: 'Open311 GeoReport v2: services from the category list; service requests with a client API key',
  // Public at the gateway: services are open data and requests are checked against the
  // client's api_key in the handler (GeoReport v2 sends it as a parameter, not a token).
  // API Gateway path parameters are whole segments, so `services.json` arrives as {resource}.
  routes: [
    { method: 'GET', path: '/open311/v2/{resource}', auth: 'public' },
    { method: 'POST', path: '/open311/v2/{resource}', auth: 'public' },
    { method: 'GET', path: '/open311/v2/services/{file}', auth: 'public' },
    { method: 'GET', path: '/open311/v2/requests/{file}', auth: 'public' },
  ],
  tables: { main: { access: 'readwrite', prefixes: ['CASE', 'CONTACT', 'CONTACT-ID', 'OPEN311', 'REPORT'] } },
  emits: [ReportReceived],
});

export const open311 = declareCapability('open311', [open311Api]);
