import { createHmac } from 'node:crypto';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials (a Lambda role's): S3 must see it in the form and the policy. */
  sessionToken?: string;
}

export interface PostPolicyRequest {
  /** Where the form posts: the bucket's endpoint. */
  url: string;
  bucket: string;
  /** The object key: exactly this one, so a form cannot write anywhere else. */
  key: string;
  region: string;
  credentials: SigningCredentials;
  /** Bytes allowed: S3 refuses anything outside the range. */
  minBytes: number;
  maxBytes: number;
  /** Where S3 sends the browser (303) once the object is stored; S3 adds bucket, key and etag. */
  successRedirect: string;
  expiresInSeconds: number;
  now?: Date;
}

export interface PresignedPost {
  url: string;
  /** Hidden form fields, in order; the file input (`file`) must come after them. */
  fields: Record<string, string>;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** The SigV4 signing key for one day, region and service. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/**
 * An S3 presigned POST (browser-based upload, Signature Version 4): the policy lists every
 * form field and bounds the size; S3 checks it and the signature before storing anything.
 * (@aws-sdk/s3-presigned-post is not published at our SDK version, so we sign it here.)
 */
export function presignPost(request: PostPolicyRequest): PresignedPost {
  const now = request.now ?? new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''); // 20240514T203000Z
  const date = amzDate.slice(0, 8);
  const credential = `${request.credentials.accessKeyId}/${date}/${request.region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    key: request.key,
    success_action_redirect: request.successRedirect,
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': credential,
    'x-amz-date': amzDate,
    ...(request.credentials.sessionToken ? { 'x-amz-security-token': request.credentials.sessionToken } : {}),
  };
  const policy = {
    expiration: new Date(now.getTime() + request.expiresInSeconds * 1000).toISOString(),
    conditions: [
      { bucket: request.bucket },
      ...Object.entries(fields).map(([k, v]) => ({ [k]: v })),
      ['content-length-range', request.minBytes, request.maxBytes],
    ],
  };
  const encoded = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
  const signature = createHmac('sha256', signingKey(request.credentials.secretAccessKey, date, request.region, 's3'))
    .update(encoded, 'utf8')
    .digest('hex');
  return { url: request.url, fields: { ...fields, policy: encoded, 'x-amz-signature': signature } };
}
