/**
 * The origin S3 links point at, worked out from the same settings the SDK reads, without
 * loading the S3 client: a page whose images redirect to presigned GETs must allow that origin
 * in its Content-Security-Policy (img-src applies to a redirect's target too), and the page
 * functions no longer carry the client only to learn it.
 *
 * It matches what `new S3Client({ forcePathStyle: true })` in clients.ts signs: an endpoint
 * given by AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (the local stand-ins), else the regional
 * path-style endpoint, with FIPS and dual-stack as the SDK's own switches ask.
 * test/unit/s3-origin.test.ts compares it with the SDK's signed URLs.
 */
import { ConfigurationError } from './config.ts';

const on = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

export function s3Origin(env: NodeJS.ProcessEnv = process.env): string {
  const endpoint = on(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) ? undefined : env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  if (endpoint) return new URL(endpoint).origin;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new ConfigurationError(`AWS_REGION must name the region the buckets are in, like eu-west-2; got ${JSON.stringify(region ?? null)}`);
  }
  const host = `${on(env.AWS_USE_FIPS_ENDPOINT) ? 's3-fips' : 's3'}${on(env.AWS_USE_DUALSTACK_ENDPOINT) ? '.dualstack' : ''}.${region}`;
  return `https://${host}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}
