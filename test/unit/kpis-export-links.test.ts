import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPresignedGet } from '../../functions/kpis/export-links.ts';

/**
 * KpiExportDownload signs its redirects without the S3 client (export-links.ts): these pin its
 * URLs to the ones the S3 client's own getSignedUrl makes for the same object, credentials,
 * region, endpoint and time, to the character, so a URL that S3 would refuse cannot pass here.
 */
const signingDate = new Date('2024-07-03T09:12:00Z');
const withToken = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret/with+chars=', sessionToken: 'IQoJb3JpZ2luX2VjE+token/with=chars' };
const withoutToken = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('unit: presigned GETs of export files without the S3 client', () => {
  const clients: { destroy(): void }[] = [];
  afterAll(() => clients.forEach((c) => c.destroy()));

  const both = (credentials: typeof withToken | typeof withoutToken, endpoint: string | undefined) => {
    const region = 'eu-west-2';
    const s3 = new S3Client({ region, credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', ...(endpoint ? { endpoint } : {}) });
    const dynamodb = new DynamoDBClient({ region, credentials });
    clients.push(s3, dynamodb);
    const ours = buildPresignedGet(dynamodb.config, { ...(endpoint ? { endpoint } : { endpoint: `https://s3.${region}.amazonaws.com` }), signingDate: () => signingDate });
    const sdk = (bucket: string, key: string) => getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60, signingDate });
    return { ours, sdk };
  };

  it.each([
    ['AWS, a role session', withToken, undefined],
    ['the local stand-in', withoutToken, 'http://127.0.0.1:4569'],
  ])('signs the URL the S3 client would, on %s', async (_, credentials, endpoint) => {
    const { ours, sdk } = both(credentials, endpoint);
    for (const key of ['kpis/2024-04-01_2024-06-30/kpis.csv', 'kpis/2023-10-01_2024-09-30/annual-report.html', "odd keys/a b+c!'()*~é.csv"]) {
      const url = await ours({ format: 'csv', bucket: 'sc-dev-exports-000000000000', key });
      expect(url).toBe(await sdk('sc-dev-exports-000000000000', key));
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
    }
  });

  it('signs for another key, time or secret with another signature', async () => {
    const { ours } = both(withoutToken, 'http://127.0.0.1:4569');
    const signature = (url: string) => new URL(url).searchParams.get('X-Amz-Signature');
    const a = await ours({ format: 'csv', bucket: 'exports', key: 'kpis/a/kpis.csv' });
    const b = await ours({ format: 'csv', bucket: 'exports', key: 'kpis/b/kpis.csv' });
    expect(signature(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(signature(b)).not.toBe(signature(a));
  });
});
