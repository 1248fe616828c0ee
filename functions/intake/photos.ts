import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { retention } from '#shared/retention';
import { keys } from '#shared/keys';
import { checkPhoto, type PhotoType } from './photo-check.ts';
import { presignPost, type PresignedPost } from './presigned-post.ts';
import { MAX_PHOTO_BYTES, type Photo } from './photo-records.ts';

/** How long an upload form stays usable. */
const UPLOAD_FORM_SECONDS = 60 * 60;


/** Where a submission's nth upload lands before it is checked. */
export const uploadKey = (token: string, n: number) => `uploads/${token}/${n}`;
/** Where an accepted photo is kept, under its report. */
export const photoKey = (reportId: string, n: number, type: PhotoType) => `photos/${reportId}/${n}.${type.extension}`;

export interface PhotoStoreDeps {
  /** Also signs the upload forms, with its credentials, region and endpoint. */
  s3: S3Client;
  bucket: string;
  now?: () => Date;
}

export type PhotoCheck = { ok: true; photo: Photo } | { ok: false; message: string };

/**
 * Photos from the public go straight from the browser to the intake bucket with a presigned
 * POST (S3 enforces the size and the key), then are checked here before a report refers
 * to them: present, within the size (checked again: S3 enforces the policy, but a check here costs nothing),
 * and a real JPEG, PNG or HEIC by its whole structure (photo-check.ts). An accepted photo is copied under its
 * report with the right content type; an upload never accepted is overwritten by the next
 * attempt at the same slot and expires with the bucket's uploads/ lifecycle.
 */
export function buildPhotoStore(deps: PhotoStoreDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    async uploadForm(token: string, n: number, successRedirect: string): Promise<PresignedPost> {
      return presignPost(deps.s3, {
        bucket: deps.bucket,
        key: uploadKey(token, n),
        minBytes: 1,
        maxBytes: MAX_PHOTO_BYTES,
        successRedirect,
        expiresInSeconds: UPLOAD_FORM_SECONDS,
      });
    },

    async accept(token: string, n: number, reportId: string): Promise<PhotoCheck> {
      const source = uploadKey(token, n);
      let size: number;
      try {
        const head = await deps.s3.send(new HeadObjectCommand({ Bucket: deps.bucket, Key: source }));
        size = head.ContentLength ?? 0;
      } catch (error) {
        if (error instanceof NotFound || error instanceof NoSuchKey) return { ok: false, message: 'the photo did not arrive: select it and upload it again' };
        throw error;
      }
      if (size === 0) return { ok: false, message: 'the selected file is empty' };
      if (size > MAX_PHOTO_BYTES) return { ok: false, message: 'the selected file must be smaller than 10MB' };
      // The whole file (10MB at most): its first bytes alone would pass a JPEG header followed by HTML.
      const object = await deps.s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: source }));
      const check = checkPhoto((await object.Body?.transformToByteArray()) ?? new Uint8Array());
      if (!check.ok) return { ok: false, message: check.message };
      const { type } = check;
      const key = photoKey(reportId, n, type);
      await deps.s3.send(
        new CopyObjectCommand({
          Bucket: deps.bucket,
          Key: key,
          CopySource: `${deps.bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
          ContentType: type.contentType,
          MetadataDirective: 'REPLACE',
        }),
      );
      return { ok: true, photo: { n, key, contentType: type.contentType, bytes: size, addedAt: now().toISOString() } };
    },
  };
}

/** The photos of one report: one item, one attribute per slot, so adding one twice is harmless. */
export const buildAddReportPhoto =
  (db: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) =>
  async (reportId: string, photo: Photo): Promise<void> => {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.reportPhotos(reportId),
        UpdateExpression: 'SET #photo = :photo, reportId = :reportId, #type = :type, expiresAt = if_not_exists(expiresAt, :expires)',
        ExpressionAttributeNames: { '#photo': `photo${photo.n}`, '#type': 'type' },
        ExpressionAttributeValues: {
          ':photo': photo,
          ':reportId': reportId,
          ':type': 'report-photos',
          // Kept as long as the intake bucket keeps the files.
          ':expires': Math.floor(now().getTime() / 1000) + retention.intakeDays * 86400,
        },
      }),
    );
  };
