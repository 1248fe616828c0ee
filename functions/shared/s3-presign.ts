/**
 * Presigned S3 GETs without the S3 client: the SDK's own S3 presigner (`S3RequestPresigner`,
 * Signature Version 4 with an unsigned payload, as `getSignedUrl` uses it) over a path-style
 * request to the origin s3-origin.ts names, signed with the credentials, region and hash the
 * function's DynamoDB client resolves (the function's role; its clients share them). The S3
 * client is ~0.2× the reference init (docs/benchmarks.md), and a function that only hands out
 * links to objects needs none of it. test/unit/s3-presign.test.ts checks the links equal
 * `getSignedUrl`'s for the same object, time and credentials.
 */
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { dynamodb } from './clients.ts';
import { s3Origin } from './s3-origin.ts';

/** What signing needs from a client's resolved configuration. */
export type SigningConfig = Pick<typeof dynamodb.config, 'credentials' | 'region' | 'sha256'>;

/** A key segment as S3's REST paths write it: RFC 3986 unreserved characters only. */
const segment = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `(bucket, key, expiresIn)` → a URL that GETs the object for `expiresIn` seconds. */
export function buildPresignGet(config: SigningConfig = dynamodb.config, origin: () => string = s3Origin) {
  const presigner = new S3RequestPresigner({ credentials: config.credentials, region: config.region, sha256: config.sha256 });
  return async (bucket: string, key: string, expiresIn: number): Promise<string> => {
    const base = new URL(origin());
    const signed = await presigner.presign(
      {
        method: 'GET',
        protocol: base.protocol,
        hostname: base.hostname,
        ...(base.port ? { port: Number(base.port) } : {}),
        path: `/${[bucket, ...key.split('/')].map(segment).join('/')}`,
        query: { 'x-id': 'GetObject' },
        headers: {},
      },
      { expiresIn },
    );
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(signed.query ?? {})) for (const v of [value ?? ''].flat()) query.append(name, v);
    // Joined as text: a URL object would resolve a key's `.` and `..` segments away.
    return `${base.origin}${signed.path}?${query}`;
  };
}
