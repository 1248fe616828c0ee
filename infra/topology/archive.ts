import { EVENT_SOURCE_PREFIX } from '#events/envelope';
import type { FunctionSpec } from './types.ts';

export const archiveFunctions: readonly FunctionSpec[] = [
  {
    name: 'EventArchiver',
    entry: 'functions/archive/archive-event.ts',
    description: 'Writes every event on the bus to the archive bucket, partitioned by date',
    triggers: [{ kind: 'events', ruleName: 'AllEventsToArchive', pattern: { source: [{ prefix: EVENT_SOURCE_PREFIX }] } }],
    buckets: { archive: 'write' },
  },
  {
    name: 'Health',
    entry: 'functions/health/health.ts',
    description: 'Liveness: answers 200 once the stack is up',
    triggers: [{ kind: 'http', method: 'GET', path: '/health', auth: 'public' }],
  },
];
