/**
 * The exports' records: one per period in the main table (listed newest first through gsi1).
 * No S3 here: the files and their presigned links are export-files.ts's, so the list code paths
 * (KpiExportApi, KpiPages) start without the S3 client (docs/benchmarks.md).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { decodeCursor, encodeCursor } from '#shared/cursor';
import { BadRequestError } from '#shared/errors';
import { keys } from '#shared/keys';
import { retention } from '#shared/retention';
import { ANNUAL_REPORT, exportFormats, exportStatuses, type ExportRecord } from './export.ts';

/** The record of a period's latest export; it expires with the files (retention.exportsDays). */
export function buildSaveExportRecord(db: DynamoDBDocumentClient, tableName: string) {
  return async (record: ExportRecord): Promise<void> => {
    const expiresAt = Math.floor(Date.parse(record.createdAt) / 1000) + retention.exportsDays * 86_400;
    // A period asked for again keeps its written files listed and downloadable until the writer
    // replaces them (same keys): a request never puts a written record back to "being prepared".
    const onlyOverRequested =
      record.status === 'requested'
        ? { ConditionExpression: 'attribute_not_exists(pk) OR #status = :requested', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':requested': 'requested' } }
        : {};
    try {
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
          ...onlyOverRequested,
        }),
      );
    } catch (error) {
      // Written already: it stays as it is until the writer replaces it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };
}

/**
 * Deletes a requested record whose event never reached the bus, only if it is still the one that
 * request saved: a written record, or the record of a later request for the period, stays.
 */
export function buildForgetRequestedExport(db: DynamoDBDocumentClient, tableName: string) {
  return async (record: ExportRecord): Promise<void> => {
    try {
      await db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: keys.kpiExport(record.from, record.to),
          ConditionExpression: '#status = :requested AND createdAt = :createdAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':requested': 'requested', ':createdAt': record.createdAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };
}

const storedRecord = z.object({
  exportId: z.string(),
  period: z.string(),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  // Records written before exports were requested asynchronously have no status: they were written whole.
  status: z.enum(exportStatuses).default('ready'),
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

const exportIdPattern = /^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$/;

/** One export's record by its id (`<from>_<to>`), or undefined when there is none. */
export function buildReadExportRecord(db: DynamoDBDocumentClient, tableName: string) {
  return async (exportId: string): Promise<ExportRecord | undefined> => {
    const [, from, to] = exportIdPattern.exec(exportId) ?? [];
    if (!from || !to) return undefined;
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.kpiExport(from, to) }));
    return Item ? storedRecord.parse(Item) : undefined;
  };
}
