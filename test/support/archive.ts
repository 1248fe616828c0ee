import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { TestStack } from './local-stack.ts';

/**
 * Runs the archive compactor as its schedule would on a day after today, so every event the
 * archiver has taken is written to the bucket as grouped objects.
 */
export async function compactArchive(stack: TestStack, at = new Date(Date.now() + 2 * 86_400_000)): Promise<{ events: number; objects: string[] }> {
  await stack.settle();
  const compact = stack.invokers.get('ArchiveCompactor');
  if (!compact) throw new Error('the archive compactor is not running in this stack');
  return (await compact({ schedule: 'DailyArchiveCompaction', scheduledTime: at.toISOString() })) as { events: number; objects: string[] };
}

/** Every object in the archive bucket under a prefix, with its text. */
export async function archivedObjects(stack: TestStack, prefix = ''): Promise<{ key: string; text: string }[]> {
  const objects: { key: string; text: string }[] = [];
  let token: string | undefined;
  do {
    const page = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.buckets.archive, Prefix: prefix, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      const object = await stack.s3.send(new GetObjectCommand({ Bucket: stack.endpoints.buckets.archive, Key }));
      objects.push({ key: Key ?? '', text: (await object.Body?.transformToString()) ?? '' });
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

export interface ArchivedLine {
  readonly key: string;
  readonly event: { source: string; 'detail-type': string; id: string; detail: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Every archived event under a prefix (`events/` or `public-text/`), one per line of each group. */
export async function archivedLines(stack: TestStack, prefix: string): Promise<ArchivedLine[]> {
  return (await archivedObjects(stack, prefix)).flatMap(({ key, text }) =>
    text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => ({ key, event: JSON.parse(line) as ArchivedLine['event'] })),
  );
}
