import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildPresignGet } from '#shared/s3-presign';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const withToken = { ...credentials, sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMiJH+abc/def=' };

/** The URL as the parts S3 reads: origin, path as sent, and the query parameters decoded and sorted. */
const partsOf = (href: string) => {
  const url = new URL(href);
  return { origin: url.origin, path: href.slice(url.origin.length).split('?')[0], query: [...url.searchParams].sort(([a], [b]) => a.localeCompare(b)) };
};

describe('unit: presigned GETs without the S3 client (functions/shared/s3-presign.ts)', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it.each<[string, Record<string, string>, typeof credentials, string]>([
    ['a photo in London', { AWS_REGION: 'eu-west-2' }, credentials, 'photos/01JDXYZ/1.jpg'],
    ['with a session token (a Lambda role)', { AWS_REGION: 'eu-west-2' }, withToken, 'photos/01JDXYZ/2.png'],
    ['another region', { AWS_REGION: 'us-east-1' }, credentials, 'photos/r/3.heic'],
    ['the local stand-in', { AWS_REGION: 'eu-west-2', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' }, credentials, 'photos/r/1.png'],
    ['a key S3 must see escaped', { AWS_REGION: 'eu-west-2' }, credentials, "exports/2026 Q1/ASB (all)/it's *1*!+é=~,;.csv"],
  ])('signs the same URL as getSignedUrl with the S3 client: %s', async (_, env, identity, key) => {
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3']) vi.stubEnv(name, env[name] ?? '');
    vi.stubEnv('AWS_REGION', env.AWS_REGION ?? '');
    vi.useFakeTimers({ now: new Date('2026-12-02T09:30:15Z'), toFake: ['Date'] });
    // Checksums only when required, as shared/clients.ts asks for requests; for responses too,
    // or the client asks S3 for one (x-amz-checksum-mode=ENABLED), which only an SDK reading the
    // answer checks, not a browser: the links leave it out.
    const s3 = new S3Client({ forcePathStyle: true, credentials: identity, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    const dynamodb = new DynamoDBClient({ credentials: identity });
    try {
      const theirs = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'sc-intake-bucket', Key: key }), { expiresIn: 300 });
      const ours = await buildPresignGet(dynamodb.config)('sc-intake-bucket', key, 300);
      expect(partsOf(ours)).toEqual(partsOf(theirs));
      expect(new URL(ours).searchParams.get('X-Amz-Expires')).toBe('300');
    } finally {
      s3.destroy();
      dynamodb.destroy();
    }
  });

  it('signs with the time of signing: a link made later differs', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-2');
    const presign = buildPresignGet(new DynamoDBClient({ credentials }).config);
    vi.useFakeTimers({ now: new Date('2026-12-02T09:30:15Z'), toFake: ['Date'] });
    const first = await presign('b', 'k', 300);
    vi.setSystemTime(new Date('2026-12-02T09:30:16Z'));
    const second = await presign('b', 'k', 300);
    expect(new URL(first).searchParams.get('X-Amz-Date')).toBe('20261202T093015Z');
    expect(new URL(second).searchParams.get('X-Amz-Signature')).not.toBe(new URL(first).searchParams.get('X-Amz-Signature'));
  });
});
