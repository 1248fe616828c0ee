import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '#shared/config';
import { s3Origin } from '#shared/s3-origin';

/** What the functions' own client (shared/clients.ts: path-style) signs, in an environment like this one. */
async function signedOrigin(): Promise<string> {
  const s3 = new S3Client({ forcePathStyle: true, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  try {
    return new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'sc-intake-bucket', Key: 'photos/r/1.jpg' }))).origin;
  } finally {
    s3.destroy();
  }
}

const settings = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT'];

describe('unit: the S3 origin without the S3 client (functions/shared/s3-origin.ts)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each<[string, Record<string, string>]>([
    ['London', { AWS_REGION: 'eu-west-2' }],
    ['Ireland', { AWS_REGION: 'eu-west-1' }],
    ['us-east-1 (no global endpoint for path-style)', { AWS_REGION: 'us-east-1' }],
    ['dual-stack', { AWS_REGION: 'eu-west-2', AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
    ['FIPS', { AWS_REGION: 'us-east-2', AWS_USE_FIPS_ENDPOINT: 'true' }],
    ['FIPS and dual-stack', { AWS_REGION: 'us-east-2', AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
    ['China', { AWS_REGION: 'cn-north-1' }],
    ['the local stand-in (s3rver behind its proxy)', { AWS_REGION: 'eu-west-2', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' }],
    ['an endpoint for every service', { AWS_REGION: 'eu-west-2', AWS_ENDPOINT_URL: 'http://localhost:4566/' }],
    ['the S3 endpoint over the one for every service', { AWS_REGION: 'eu-west-2', AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_ENDPOINT_URL_S3: 'http://localhost:4569' }],
    ['configured endpoints ignored', { AWS_REGION: 'eu-west-2', AWS_ENDPOINT_URL_S3: 'http://localhost:4569', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }],
  ])('is the origin the SDK signs for: %s', async (_, env) => {
    for (const name of settings) vi.stubEnv(name, env[name] ?? '');
    // An empty variable is as good as unset to both (the SDK skips empty endpoint settings).
    expect(s3Origin()).toBe(await signedOrigin());
  });

  it('says which setting is missing when the region is not set', () => {
    expect(() => s3Origin({})).toThrow(ConfigurationError);
    expect(() => s3Origin({ AWS_REGION: 'london' })).toThrow(/AWS_REGION must name the region/);
  });
});
