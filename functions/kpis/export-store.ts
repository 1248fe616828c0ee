/**
 * Where exports live: the files in the exports bucket, one record per period in the main table
 * (listed newest first through gsi1), and short-lived download links.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '#shared/cursor';
import { BadRequestError } from '#shared/errors';
import { keys } from '#shared/keys';
import { retention } from '#shared/retention';
import { ANNUAL_REPORT, exportFormats, type ExportObject, type ExportRecord, type StoredObject } from './export.ts';

/** How long a download link works. */
export const DOWNLOAD_LINK_SECONDS = 15 * 60;

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

/** The record of a period's latest export; it expires with the files (retention.exportsDays). */
export function buildSaveExportRecord(db: DynamoDBDocumentClient, tableName: string) {
  return async (record: ExportRecord): Promise<void> => {
    const expiresAt = Math.floor(Date.parse(record.createdAt) / 1000) + retention.exportsDays * 86_400;
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.kpiExport(record.from, record.to),
          gsi1pk: keys.kpiExports(),
          gsi1sk: `${record.createdAt}#${record.exportId}`,
          type: 'kpi-export',
          ...record,
          expiresAt,
        },
      }),
    );
  };
}

const storedRecord = z.object({
  exportId: z.string(),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  objects: z.array(z.object({ format: z.enum([...exportFormats, ANNUAL_REPORT]), bucket: z.string(), key: z.string() })),
});

const pageKey = z.object({ pk: z.string(), sk: z.string(), gsi1pk: z.string(), gsi1sk: z.string() });

export interface ExportPage {
  readonly records: ExportRecord[];
  readonly next?: string;
}

/** Exports newest first, a page at a time (a cursor for the rest). */
export function buildListExportRecords(db: DynamoDBDocumentClient, tableName: string) {
  return async (options: { limit: number; cursor?: string }): Promise<ExportPage> => {
    let start: z.infer<typeof pageKey> | undefined;
    if (options.cursor) {
      const parsed = pageKey.safeParse(decodeCursor(options.cursor));
      if (!parsed.success || parsed.data.gsi1pk !== keys.kpiExports()) throw new BadRequestError('the cursor is not one this service gave out');
      start = parsed.data;
    }
    const { Items = [], LastEvaluatedKey } = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.kpiExports() },
        ScanIndexForward: false,
        Limit: options.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      records: Items.map((item) => storedRecord.parse(item)),
      ...(LastEvaluatedKey ? { next: encodeCursor(LastEvaluatedKey) } : {}),
    };
  };
}

/** A presigned GET for one export file, signed with the function's own credentials. */
export function buildDownloadLink(s3: S3Client, expiresIn = DOWNLOAD_LINK_SECONDS) {
  return (object: ExportObject): Promise<string> => getSignedUrl(s3, new GetObjectCommand({ Bucket: object.bucket, Key: object.key }), { expiresIn });
}
