import { EVENT_SOURCE_PREFIX } from '#events/envelope';
import { declareCapability, declareFunction } from '#shared/wiring';

export const eventArchiver = declareFunction({
  name: 'EventArchiver',
  entry: 'functions/archive/archive-event.ts',
  description: 'Takes every event on the bus for the archive, once per eventId, into its day\'s group',
  subscription: { rule: 'AllEventsToArchive', pattern: { source: [{ prefix: EVENT_SOURCE_PREFIX }] } },
  tables: { main: { access: 'write', prefixes: ['ARCHIVE'] } },
});

export const archiveCompactor = declareFunction({
  name: 'ArchiveCompactor',
  entry: 'functions/archive/compact.ts',
  description: 'Writes each finished day\'s events to the archive bucket as grouped objects',
  // 06:30 London: after midnight UTC in either season, and after the 6 hours of async retries.
  schedules: [{ name: 'DailyArchiveCompaction', cron: 'cron(30 6 * * ? *)' }],
  tables: { main: { access: 'readwrite', prefixes: ['ARCHIVE'] } },
  buckets: { archive: 'write' },
  timeoutSeconds: 300,
});

/** The metric the compactor reports on every run, which the ArchiveStalled alarm watches. */
export const oldestPendingMetric = { name: 'ArchiveOldestPendingHours', service: archiveCompactor.name } as const;
/** A day's events are due in the bucket by 06:30 the next day: anything older than this is stalled. */
export const archiveStalledAfterHours = 36;

export const archive = declareCapability('archive', [eventArchiver, archiveCompactor]);
