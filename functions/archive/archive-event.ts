import middy from '@middy/core';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { logger } from '#shared/powertools';
import { archiveKey } from './archive-key.ts';

const bucket = setting('archiveBucket');

/** Every event, whole, under a key built from its eventId: writing it again changes nothing. */
export const handler = middy(async (raw: unknown) => {
  const event = EventBridgeSchema.parse(raw);
  const key = archiveKey(event);
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(event), ContentType: 'application/json' }),
  );
  logger.debug('archived', { key });
  return { key };
}).use({ before: (request) => logger.addContext(request.context) });
