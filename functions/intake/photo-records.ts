/**
 * A report's photos as recorded, and the limits the form states: what the report form and the
 * officer pages need, without the upload checks (image-size) and the presigned POST that
 * photos.ts brings, so that the functions which only show or describe photos do not carry them.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '#shared/keys';
import type { PhotoType } from './photo-check.ts';

export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** What the file input offers; the server decides by the file itself (photo-check.ts), not by this. */
export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/heic,image/heif,.jpg,.jpeg,.png,.heic,.heif';

export interface Photo {
  n: number;
  key: string;
  contentType: PhotoType['contentType'];
  bytes: number;
  addedAt: string;
}

/** The photos a reporter added to a report, in the order they were added (for officer views). */
export const buildGetReportPhotos = (db: DynamoDBDocumentClient, tableName: string) => async (reportId: string): Promise<Photo[]> => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.reportPhotos(reportId) }));
  if (!Item) return [];
  return Array.from({ length: MAX_PHOTOS }, (_, i) => Item[`photo${i + 1}`] as Photo | undefined).filter((p): p is Photo => p !== undefined);
};
