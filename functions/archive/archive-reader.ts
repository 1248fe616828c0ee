/**
 * The one reader of the event archive as the archive writes it (archive-event.ts, compact.ts):
 * everything that reads the archive back (the rebuild, the soak's "nothing lost" check) goes
 * through `readArchive`, so a change of layout is an edit here and in the writer only.
 *
 * The archive is in two places at any time, and the reader takes both, so it works on an
 * archive in any state (a compactor that has not run yet today, one that stopped half-way):
 * 1. the events still waiting in the main table for the daily compactor (`ARCHIVE#PENDING`,
 *    today's at least), whole;
 * 2. the grouped day objects in the bucket, `events/year=/month=/day=/events-<digest>.jsonl`,
 *    one event a line, free text from the public redacted: where the same day's `public-text/`
 *    objects still hold the event whole (2 years), that whole event is taken instead.
 * Waiting events come first: one the compactor writes while the reader runs is then met again
 * in the bucket rather than missed. Each eventId is given once a read (a compactor stopped
 * before sealing leaves an event in both places; a redelivery after its 35-day marker is
 * written again on a later day).
 */
import { GetObjectCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { archivedEventId, type ArchivedEnvelope } from './data-classes.ts';
import { archiveLayout } from './layout.ts';
import { pendingPages } from './staging.ts';

/** Where the archive is: the bucket, and the main table its events wait in before the compactor writes them. */
export interface ArchiveSource {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly documents: DynamoDBDocumentClient;
  readonly table: string;
}

/** One archived event, as the bus delivered it, and its position (to resume after). */
export interface ArchivedEvent {
  /** `pending/<day>#<eventId>` for a waiting event, `<object key>#<line>` for one in the bucket. */
  readonly position: string;
  readonly event: ArchivedEnvelope;
}

export interface ReadArchiveOptions {
  /** Resume after this position (one given by an earlier read). */
  readonly after?: string;
}

const PENDING = 'pending/';

/** Every archived event, waiting ones first, then the bucket's in key order; each eventId once. */
export async function* readArchive(source: ArchiveSource, options: ReadArchiveOptions = {}): AsyncGenerator<ArchivedEvent> {
  const after = options.after;
  const seen = new Set<string>();
  const fresh = (event: ArchivedEnvelope) => {
    const id = archivedEventId(event);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  };

  if (after === undefined || after.startsWith(PENDING)) {
    const range = after === undefined ? {} : { after: after.slice(PENDING.length) };
    for await (const page of pendingPages(source.documents, source.table, range)) {
      for (const p of page) if (fresh(p.event)) yield { position: `${PENDING}${p.day}#${p.eventId}`, event: p.event };
    }
  }

  const wholeText = publicTextOf(source);
  const objectEvents = async function* (key: string, skip = 0): AsyncGenerator<ArchivedEvent> {
    const whole = await wholeText(key);
    const lines = (await getText(source, key)).split('\n');
    for (let line = skip; line < lines.length; line += 1) {
      const text = lines[line];
      if (!text) continue;
      const redacted = JSON.parse(text) as ArchivedEnvelope;
      const event = whole.get(archivedEventId(redacted)) ?? redacted;
      if (fresh(event)) yield { position: `${key}#${line + 1}`, event };
    }
  };

  let marker: string | undefined;
  if (after !== undefined && !after.startsWith(PENDING) && !(after.startsWith(archiveLayout.events) && after.includes('#'))) {
    throw new Error(`"${after}" is not a position in the archive as it is now written (an older rebuild's checkpoint?): start afresh`);
  }
  if (after?.startsWith(archiveLayout.events)) {
    const cut = after.lastIndexOf('#');
    marker = after.slice(0, cut);
    yield* objectEvents(marker, Number(after.slice(cut + 1)));
  }
  for await (const key of listKeys(source, archiveLayout.events, marker)) yield* objectEvents(key);
}

/**
 * Keys under a prefix in key order, after `marker`. ListObjects (v1) with markers rather than
 * v2: s3rver makes v2's continuation token with DES, which Node's OpenSSL 3 refuses, so locally
 * every listing past 1,000 keys failed (500). On AWS both page the same way.
 */
async function* listKeys(source: ArchiveSource, prefix: string, marker?: string): AsyncGenerator<string> {
  let next = marker;
  let truncated: boolean;
  do {
    const page = await source.s3.send(new ListObjectsCommand({ Bucket: source.bucket, Prefix: prefix, ...(next ? { Marker: next } : {}) }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    yield* keys;
    truncated = page.IsTruncated === true && keys.length > 0;
    next = keys.at(-1);
  } while (truncated);
}

async function getText(source: ArchiveSource, key: string): Promise<string> {
  try {
    const object = await source.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: key }));
    return (await object.Body?.transformToString()) ?? '';
  } catch (error) {
    throw new Error(`could not read archived object ${key}: ${(error as Error).message}`, { cause: error });
  }
}

/** For an `events/` object, the same day's events kept whole under `public-text/`, by eventId (the last day's, cached). */
function publicTextOf(source: ArchiveSource) {
  let cached: { day: string; events: Map<string, ArchivedEnvelope> } | undefined;
  return async (eventsKey: string): Promise<Map<string, ArchivedEnvelope>> => {
    const day = eventsKey.slice(archiveLayout.events.length, eventsKey.lastIndexOf('/') + 1);
    if (cached?.day === day) return cached.events;
    const events = new Map<string, ArchivedEnvelope>();
    for await (const key of listKeys(source, `${archiveLayout.publicText}${day}`)) {
      for (const text of (await getText(source, key)).split('\n')) {
        if (!text) continue;
        const event = JSON.parse(text) as ArchivedEnvelope;
        events.set(archivedEventId(event), event);
      }
    }
    cached = { day, events };
    return events;
  };
}
