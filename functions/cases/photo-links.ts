/**
 * The photos a reporter sent, for the officer pages: each through a short-lived link (a
 * presigned GET on the intake bucket, signed with the page function's own read grant), so the
 * bucket stays private and a link copied out of a page stops working within minutes.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Photo } from '../intake/photo-records.ts';

/** How long a photo link works. */
export const PHOTO_LINK_SECONDS = 5 * 60;

export interface PhotoLink {
  n: number;
  href: string;
  alt: string;
}

export interface PhotoLinks {
  /** The photos of each report, by reportId (a report without photos has none). */
  forReports: (reports: readonly { reportId: string; reference?: string | undefined }[]) => Promise<Map<string, PhotoLink[]>>;
}

/** The origins the links point at: the page's Content-Security-Policy must allow images from them. */
export const originsOf = (links: Iterable<readonly PhotoLink[]>) => [...new Set([...links].flatMap((l) => l.map((p) => new URL(p.href).origin)))];

export function buildPhotoLinks(deps: { s3: S3Client; bucket: string; getPhotos: (reportId: string) => Promise<Photo[]>; expiresIn?: number }): PhotoLinks {
  const sign = (key: string) => getSignedUrl(deps.s3, new GetObjectCommand({ Bucket: deps.bucket, Key: key }), { expiresIn: deps.expiresIn ?? PHOTO_LINK_SECONDS });
  return {
    async forReports(reports) {
      const found = await Promise.all(
        reports.map(async (r) => {
          const photos = await deps.getPhotos(r.reportId);
          const links = await Promise.all(photos.map(async (p) => ({ n: p.n, href: await sign(p.key), alt: `Photo ${p.n} sent with report ${r.reference ?? r.reportId}` })));
          return [r.reportId, links] as const;
        }),
      );
      return new Map(found);
    },
  };
}
