/**
 * Downloading an export's file: `GET /kpis/exports/{exportId}/{format}` (scripts, with a
 * token) and `GET /officer/kpis/exports/{exportId}/{format}` (the staff exports page, with the
 * session cookie) answer 302 to a presigned GET of the object, made on each download and
 * never cached. The lists link here, so only the download function (KpiExportDownload) signs
 * (functions/shared/s3-presign.ts signs, without the S3 client).
 */
import { NotFoundError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import type { ExportObject, ExportRecord } from './export.ts';
import type { DownloadHref } from './export-list.ts';

const hrefUnder =
  (base: string): DownloadHref =>
  (exportId, format) =>
    `${base}/${encodeURIComponent(exportId)}/${encodeURIComponent(format)}`;
/** The links `GET /kpis/exports` lists. */
export const apiDownloadHref = hrefUnder('/kpis/exports');
/** The links the staff exports page shows (a browser sends its session cookie only to page routes). */
export const pageDownloadHref = hrefUnder('/officer/kpis/exports');

/** How long the presigned GET a download redirects to works: it is followed at once. */
export const PRESIGNED_GET_SECONDS = 60;

export interface DownloadDeps {
  readonly readRecord: (exportId: string) => Promise<ExportRecord | undefined>;
  /** A presigned GET of the object (export-files.ts). */
  readonly presign: (object: ExportObject) => Promise<string>;
}

export function buildDownload(deps: DownloadDeps) {
  return async (exportId: string, format: string): Promise<HttpResult> => {
    const record = await deps.readRecord(exportId);
    if (!record) throw new NotFoundError(`there is no KPI export ${exportId}: the list of KPI exports links to every file there is`);
    if (record.status === 'requested') {
      throw new NotFoundError(`KPI export ${exportId} is being prepared and its files are not written yet: try again in a minute`);
    }
    const object = record.objects.find((o) => o.format === format);
    if (!object) throw new NotFoundError(`KPI export ${exportId} has no ${format} file: it has ${record.objects.map((o) => o.format).join(', ')}`);
    return { statusCode: 302, headers: { location: await deps.presign(object), 'cache-control': 'no-store' }, body: '' };
  };
}
