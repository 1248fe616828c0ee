import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { envelopeConsumer } from '#shared/consumer';
import { logger } from '#shared/powertools';
import { archiveKey } from './archive-key.ts';
import { eventArchiver } from './capability.ts';

const bucket = setting('archiveBucket');

/** Every event, whole, under a key built from its eventId: writing it again changes nothing. */
export const handler = envelopeConsumer(eventArchiver, async (event) => {
  const key = archiveKey(event);
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(event), ContentType: 'application/json' }),
  );
  logger.debug('archived', { key });
  return { key };
});
