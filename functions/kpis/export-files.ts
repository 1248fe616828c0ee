/**
 * The exports' files in the exports bucket: written by the export (export.ts), and downloaded
 * through presigned GETs made on each download (export-download.ts). The only KPI module that
 * loads the S3 client.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportObject, StoredObject } from './export.ts';

/** How long the presigned GET a download redirects to works: it is followed at once. */
export const PRESIGNED_GET_SECONDS = 60;

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

/** A presigned GET for one export file, signed with the function's own credentials. */
export function buildPresignedGet(s3: S3Client, expiresIn = PRESIGNED_GET_SECONDS) {
  return (object: ExportObject): Promise<string> => getSignedUrl(s3, new GetObjectCommand({ Bucket: object.bucket, Key: object.key }), { expiresIn });
}
