/**
 * The one reader of the event archive's layout (archive-key.ts writes it): everything that reads
 * the archive back (the rebuild, the soak's "nothing lost" check) goes through `readArchive`, so a
 * change of layout (several events to an object, say) is an edit here and in the writer only.
 */
import { GetObjectCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';

export const ARCHIVE_PREFIX = 'events/';

/** One stored object: its key (a position to resume after) and the events it holds, as the bus delivered them. */
export interface ArchivedObject {
  readonly position: string;
  readonly events: readonly unknown[];
}

export interface ReadArchiveOptions {
  /** Resume after this position (a key given by an earlier read). */
  readonly after?: string;
  /** Objects fetched at once within a page of the listing. */
  readonly concurrency?: number;
}

/** Every archived object in key order, each with its events. Positions only ever increase. */
export async function* readArchive(s3: S3Client, bucket: string, options: ReadArchiveOptions = {}): AsyncGenerator<ArchivedObject> {
  const concurrency = options.concurrency ?? 16;
  // ListObjects (v1) with a marker rather than v2: s3rver makes v2's continuation token with
  // DES, which Node's OpenSSL 3 refuses, so locally every listing past 1,000 keys failed (500).
  let marker = options.after;
  let truncated = false;
  do {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: ARCHIVE_PREFIX, ...(marker ? { Marker: marker } : {}) }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    for (let i = 0; i < keys.length; i += concurrency) {
      const bodies = await Promise.all(
        keys.slice(i, i + concurrency).map(async (key) => {
          try {
            const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            return { position: key, events: [JSON.parse(await (object.Body?.transformToString() ?? Promise.resolve('null')))] };
          } catch (error) {
            throw new Error(`could not read archived object ${key}: ${(error as Error).message}`, { cause: error });
          }
        }),
      );
      yield* bodies;
    }
    truncated = page.IsTruncated === true && keys.length > 0;
    marker = keys.at(-1);
  } while (truncated);
}
