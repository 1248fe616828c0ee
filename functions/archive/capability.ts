import { EVENT_SOURCE_PREFIX } from '#events/envelope';
import { declareCapability, declareFunction } from '#shared/wiring';

export const eventArchiver = declareFunction({
  name: 'EventArchiver',
  entry: 'functions/archive/archive-event.ts',
  description: 'Writes every event on the bus to the archive bucket, partitioned by date',
  subscription: { rule: 'AllEventsToArchive', pattern: { source: [{ prefix: EVENT_SOURCE_PREFIX }] } },
  buckets: { archive: 'write' },
});

export const archive = declareCapability('archive', [eventArchiver]);
