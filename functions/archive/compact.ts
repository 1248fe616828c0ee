import { PutObjectCommand } from '@aws-sdk/client-s3';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { scheduledJob } from '#shared/job';
import { logger, metrics } from '#shared/powertools';
import { archiveCompactor, oldestPendingMetric } from './capability.ts';
import { groupObjects } from './groups.ts';
import { dayOf } from './layout.ts';
import { oldestPendingDay, pendingBefore, seal } from './staging.ts';

/**
 * Writes every finished day's events as grouped objects (functions/archive/groups.ts), then
 * takes them off the pending list. A run that stops half-way is finished by the next: the
 * same events make the same objects under the same keys.
 */
export const handler = scheduledJob(archiveCompactor, async ({ at }) => {
  const bucket = setting('archiveBucket');
  const pending = await pendingBefore(dayOf(at));
  const objects = groupObjects(pending);
  for (const object of objects) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: object.body, ContentType: 'application/x-ndjson' }));
  }
  // Sealed only once every object holding the event is written.
  for (const { eventId, sealedIn } of objects.flatMap((o) => o.sealing)) await seal(eventId, sealedIn, at);

  const oldest = await oldestPendingDay();
  const hours = oldest ? Math.max(0, (at.getTime() - Date.parse(`${oldest}T00:00:00Z`)) / 3_600_000) : 0;
  metrics.addMetric(oldestPendingMetric.name, MetricUnit.Count, Math.round(hours));
  metrics.addMetric('ArchiveEventsSealed', MetricUnit.Count, pending.length);
  logger.info('archive compacted', { events: pending.length, objects: objects.length });
  return { events: pending.length, objects: objects.map((o) => o.key) };
});
