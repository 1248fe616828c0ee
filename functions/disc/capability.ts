import { ReportReceived } from '#events/intake';
import { declareCapability, declareFunction } from '#shared/wiring';

export const discWebhook = declareFunction({
  name: 'DiscWebhook',
  entry: 'functions/disc/webhook.ts',
  description: 'DISC incident webhook: checks the HMAC signature, refuses stale or replayed requests, puts ReportReceived',
  // Public at the gateway: DISC authenticates with an HMAC signature, checked in the handler.
  routes: [{ method: 'POST', path: '/integrations/disc/incidents', auth: 'public' }],
  tables: { main: { access: 'write', prefixes: ['DISC'] } },
  secrets: ['disc'],
  emits: [ReportReceived],
});

export const disc = declareCapability('disc', [discWebhook]);
