/**
 * The photos a reporter sent, for the officer pages: each linked through OfficerPhotos
 * (`GET /officer/photos/{reportId}/{n}`, photo-redirect.ts), which answers with a short-lived
 * presigned GET on the intake bucket. So the bucket stays private, a link copied out of a page
 * needs a signed-in case worker, and the page functions neither sign nor carry the S3 client.
 */
import { s3Origin } from '#shared/s3-origin';
import type { Photo } from '../intake/photo-records.ts';

export interface PhotoLink {
  n: number;
  href: string;
  alt: string;
}

export interface PhotoLinks {
  /** The photos of each report, by reportId (a report without photos has none). */
  forReports: (reports: readonly { reportId: string; reference?: string | undefined }[]) => Promise<Map<string, PhotoLink[]>>;
}

/** The address of a report's photo n: OfficerPhotos' route. */
export const photoPath = (reportId: string, n: number) => `/officer/photos/${encodeURIComponent(reportId)}/${n}`;

/**
 * What the page's Content-Security-Policy must allow images from: the links are the page's own
 * origin, and they redirect to the intake bucket's, which img-src must allow too. None when the
 * page shows no photo.
 */
export const imageSourcesFor = (links: Iterable<readonly PhotoLink[]>, bucketOrigin: () => string = s3Origin): string[] =>
  [...links].some((l) => l.length > 0) ? [bucketOrigin()] : [];

export function buildPhotoLinks(deps: { getPhotos: (reportId: string) => Promise<Photo[]> }): PhotoLinks {
  return {
    async forReports(reports) {
      const found = await Promise.all(
        reports.map(async (r) => {
          const photos = await deps.getPhotos(r.reportId);
          return [r.reportId, photos.map((p) => ({ n: p.n, href: photoPath(r.reportId, p.n), alt: `Photo ${p.n} sent with report ${r.reference ?? r.reportId}` }))] as const;
        }),
      );
      return new Map(found);
    },
  };
}
