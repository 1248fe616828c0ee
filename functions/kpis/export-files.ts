/**
 * Writing the exports' files to the exports bucket (export.ts). The only KPI module that loads
 * the S3 client: the downloads are presigned without it (functions/shared/s3-presign.ts).
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StoredObject } from './export.ts';

export function buildPutExportObject(s3: S3Client, bucket: string) {
  return async (object: StoredObject): Promise<void> => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        ContentDisposition: object.contentDisposition,
      }),
    );
  };
}
