import { declareCapability, declareFunction } from '#shared/wiring';

export const healthCheck = declareFunction({
  name: 'Health',
  entry: 'functions/health/health.ts',
  description: 'Liveness: answers 200 once the stack is up',
  routes: [{ method: 'GET', path: '/health', auth: 'public' }],
});

export const health = declareCapability('health', [healthCheck]);
