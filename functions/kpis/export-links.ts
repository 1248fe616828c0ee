/**
 * Presigned GETs of export files, without the S3 client. KpiExportDownload does nothing else
 * with S3, and the S3 client (its commands, XML protocol and endpoint rules, ~150 KB) would be
 * most of its init (docs/benchmarks.md). The signing is the SDK's own S3 presigner
 * (`@aws-sdk/s3-request-presigner`, SigV4 with an unsigned payload); what is built here is the
 * request it signs: a path-style GET of `/<bucket>/<key>` at the S3 endpoint
 * (`AWS_ENDPOINT_URL_S3` when set, as the SDK reads it, else the region's), with the
 * function's own credentials and region, taken from its DynamoDB client's resolved config.
 * test/unit/kpis-export-links.test.ts checks the URLs are the ones `getSignedUrl` with the S3
 * client (forcePathStyle, as functions/shared/clients.ts makes it) gives, to the character.
 */
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ExportObject } from './export.ts';

/** How long the presigned GET a download redirects to works: it is followed at once. */
export const PRESIGNED_GET_SECONDS = 60;

export type SigningConfig = Pick<DynamoDBClient['config'], 'credentials' | 'region' | 'sha256'>;

/** S3's encoding of a key in the path: each segment percent-encoded, `!'()*` too, `/` kept. */
const encodeKey = (key: string): string =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');

export function buildPresignedGet(config: SigningConfig, options: { endpoint?: string; expiresIn?: number; signingDate?: () => Date } = {}) {
  const presigner = new S3RequestPresigner({ credentials: config.credentials, region: config.region, sha256: config.sha256, service: 's3' });
  return async (object: ExportObject): Promise<string> => {
    const endpoint = new URL(options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? `https://s3.${await config.region()}.amazonaws.com`);
    const signed = await presigner.presign(
      {
        method: 'GET',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: `${endpoint.pathname.replace(/\/$/, '')}/${encodeKey(object.bucket)}/${encodeKey(object.key)}`,
        headers: { host: endpoint.host },
        // What the S3 client adds to a GetObject: the operation's name, and the response
        // checksum it asks for by default. Signed like the rest.
        query: { 'x-id': 'GetObject', 'x-amz-checksum-mode': 'ENABLED' },
      },
      { expiresIn: options.expiresIn ?? PRESIGNED_GET_SECONDS, ...(options.signingDate ? { signingDate: options.signingDate() } : {}) },
    );
    // In code-point order of the names, as the SDK writes them.
    const query = Object.entries(signed.query ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`))
      .join('&');
    return `${endpoint.protocol}//${endpoint.host}${signed.path}?${query}`;
  };
}
