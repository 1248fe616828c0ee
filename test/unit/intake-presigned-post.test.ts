import { createHash, createHmac, type BinaryLike } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { presignPost, signingKey } from '../../functions/intake/presigned-post.ts';
import { sniffPhoto, uploadEndpoint } from '../../functions/intake/photos.ts';

/** The hash the SDK's signer asks for (HMAC when given a key), from node:crypto. */
const bytes = (data: string | ArrayBuffer | ArrayBufferView): BinaryLike =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const request = {
  url: 'https://intake.s3.eu-west-2.amazonaws.com',
  bucket: 'intake',
  key: 'uploads/token/1',
  region: 'eu-west-2',
  credentials,
  minBytes: 1,
  maxBytes: 10 * 1024 * 1024,
  successRedirect: 'https://example.gov.uk/confirmation/token/photos?slot=1',
  expiresInSeconds: 3600,
  now: new Date('2024-05-14T20:30:00.123Z'),
};

describe('unit: S3 presigned POST (Signature Version 4)', () => {
  it('derives the signing key of the AWS documentation example', () => {
    // docs.aws.amazon.com, "Examples of how to derive a signing key for Signature Version 4".
    expect(signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam').toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
  });

  it('signs the policy as the AWS SDK signs a string to sign', async () => {
    const post = presignPost(request);
    const signer = new SignatureV4({ credentials, region: 'eu-west-2', service: 's3', sha256: Sha256 });
    expect(post.fields['x-amz-signature']).toBe(await signer.sign(post.fields.policy ?? '', { signingDate: request.now }));
  });

  it('binds every form field, the exact key and the size range in the policy', () => {
    const post = presignPost(request);
    const policy = JSON.parse(Buffer.from(post.fields.policy ?? '', 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.expiration).toBe('2024-05-14T21:30:00.123Z');
    expect(policy.conditions).toEqual([
      { bucket: 'intake' },
      { key: 'uploads/token/1' },
      { success_action_redirect: request.successRedirect },
      { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
      { 'x-amz-credential': 'AKIAIOSFODNN7EXAMPLE/20240514/eu-west-2/s3/aws4_request' },
      { 'x-amz-date': '20240514T203000Z' },
      ['content-length-range', 1, 10485760],
    ]);
    expect(Object.keys(post.fields)).toEqual(['key', 'success_action_redirect', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'policy', 'x-amz-signature']);
  });

  it('carries the session token in the form and the policy when the credentials are temporary', () => {
    const post = presignPost({ ...request, credentials: { ...credentials, sessionToken: 'token/with+chars' } });
    expect(post.fields['x-amz-security-token']).toBe('token/with+chars');
    expect(Buffer.from(post.fields.policy ?? '', 'base64').toString('utf8')).toContain('{"x-amz-security-token":"token/with+chars"}');
  });

  it('posts to the local S3 path-style and to the bucket host on AWS', () => {
    expect(uploadEndpoint('b', 'eu-west-2', { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4568/' })).toBe('http://127.0.0.1:4568/b');
    expect(uploadEndpoint('b', 'eu-west-2', {})).toBe('https://b.s3.eu-west-2.amazonaws.com');
  });
});

describe('unit: photo types from their first bytes', () => {
  it.each([
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'image/jpeg'],
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], 'image/png'],
    ['HEIC', [0, 0, 0, 0x18, ...Buffer.from('ftypheic')], 'image/heic'],
    ['HEIF (mif1)', [0, 0, 0, 0x18, ...Buffer.from('ftypmif1')], 'image/heic'],
  ])('recognises %s', (_name, bytes, type) => {
    expect(sniffPhoto(Uint8Array.from(bytes))?.contentType).toBe(type);
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7')],
    ['an MP4 video', Buffer.from([0, 0, 0, 0x18, ...Buffer.from('ftypisom')])],
    ['an HTML page named .jpg', Buffer.from('<html><script>')],
    ['an empty file', Buffer.alloc(0)],
    ['a truncated PNG signature', Buffer.from([0x89, 0x50, 0x4e])],
  ])('refuses %s', (_name, bytes) => {
    expect(sniffPhoto(bytes)).toBeUndefined();
  });
});
