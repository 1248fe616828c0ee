/**
 * The list of exports with their download links: `GET /kpis/exports` and the staff exports
 * page. A link is the address of the download route (export-download.ts), which redirects to
 * a presigned GET when followed: the list signs nothing, so it needs no S3.
 */
import * as z from 'zod';
import { BadRequestError } from '#shared/errors';
import type { ExportObjectFormat, ExportStatus } from './export.ts';
import type { ExportPage } from './export-store.ts';

export interface ListedExport {
  readonly exportId: string;
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly createdAt: string;
  /** `requested`: being prepared, no files yet (objects is empty); `ready`: the files can be downloaded. */
  readonly status: ExportStatus;
  readonly objects: readonly { readonly format: ExportObjectFormat; readonly href: string }[];
}

export interface ExportListing {
  readonly exports: readonly ListedExport[];
  readonly next?: string;
}

export type ListExports = (options: { limit: number; cursor?: string }) => Promise<ExportListing>;

/** Where a file of an export is downloaded from (the API's or the staff pages' download route). */
export type DownloadHref = (exportId: string, format: ExportObjectFormat) => string;

export function buildListExports(list: (options: { limit: number; cursor?: string }) => Promise<ExportPage>, hrefOf: DownloadHref): ListExports {
  return async (options) => {
    const page = await list(options);
    const exports = page.records.map(({ exportId, period, from, to, createdAt, status, objects }) => ({
      exportId,
      period,
      from,
      to,
      createdAt,
      status,
      objects: objects.map((o) => ({ format: o.format, href: hrefOf(exportId, o.format) })),
    }));
    return { exports, ...(page.next ? { next: page.next } : {}) };
  };
}

const DEFAULT_PAGE = 50;

/** `?limit=`: how many items a page of a list lists (50 unless asked), or a 400 that says the bounds. */
export function listPageSize(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new BadRequestError('limit must be a whole number from 1 to 100');
  return n;
}

/** The query of a paged list, newest first (for the OpenAPI document; listPageSize gives the messages). */
export const listQuery = (what: string) =>
  z.object({
    limit: z.string().regex(/^\d+$/).optional().describe(`How many ${what} a page lists, 1 to 100 (default 50)`),
    cursor: z.string().optional().describe(`The \`next\` of the page before, to list older ${what}`),
  });

export const exportListQuery = listQuery('exports');
