import { createHmac } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { presignPost } from '../../functions/intake/presigned-post.ts';
import { sniffPhoto } from '../../functions/intake/photo-check.ts';

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const request = {
  bucket: 'intake',
  key: 'uploads/token/1',
  minBytes: 1,
  maxBytes: 10 * 1024 * 1024,
  successRedirect: 'https://example.gov.uk/confirmation/token/photos?slot=1',
  expiresInSeconds: 3600,
};
const client = (config: { endpoint?: string; sessionToken?: string } = {}) =>
  new S3Client({
    region: 'eu-west-2',
    forcePathStyle: true,
    credentials: { ...credentials, ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}) },
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
const policyOf = (fields: Record<string, string>) =>
  JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };

/** Signature Version 4 over the policy, computed here from the AWS documentation, not by the SDK. */
function expectedSignature(policy: string, date: string) {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), 'eu-west-2'), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(policy, 'utf8').digest('hex');
}

describe('unit: S3 presigned POST for photo uploads', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2024-05-14T20:30:00.123Z'), toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('binds the exact key, the size range, the redirect and a download content type in a policy that expires', async () => {
    const post = await presignPost(client(), request);
    const policy = policyOf(post.fields);
    expect(policy.expiration).toBe('2024-05-14T21:30:00Z');
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'intake' },
        { key: 'uploads/token/1' },
        ['content-length-range', 1, 10485760],
        { success_action_redirect: request.successRedirect },
        { 'Content-Type': 'application/octet-stream' },
        { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' },
        { 'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20240514/eu-west-2/s3/aws4_request' },
        { 'X-Amz-Date': '20240514T203000Z' },
      ]),
    );
    expect(policy.conditions).not.toContainEqual(expect.arrayContaining(['starts-with']));
    // Every form field but the policy and its signature is a condition: S3 refuses fields the policy does not name.
    const named = policy.conditions.flatMap((c) => (Array.isArray(c) ? [] : Object.keys(c as object)));
    expect(Object.keys(post.fields).filter((f) => f !== 'Policy' && f !== 'X-Amz-Signature').sort()).toEqual(named.sort());
  });

  it('signs the policy with the credentials, day and region of the client', async () => {
    const post = await presignPost(client(), request);
    expect(post.fields['X-Amz-Signature']).toBe(expectedSignature(post.fields.Policy ?? '', '20240514'));
  });

  it('carries the session token in the form and the policy when the credentials are temporary', async () => {
    const post = await presignPost(client({ sessionToken: 'token/with+chars' }), request);
    expect(post.fields['X-Amz-Security-Token']).toBe('token/with+chars');
    expect(policyOf(post.fields).conditions).toContainEqual({ 'X-Amz-Security-Token': 'token/with+chars' });
  });

  it('posts to the local S3 when an endpoint is configured and to the regional S3 endpoint on AWS', async () => {
    expect((await presignPost(client({ endpoint: 'http://127.0.0.1:4568' }), request)).url).toBe('http://127.0.0.1:4568/intake');
    expect((await presignPost(client(), request)).url).toBe('https://s3.eu-west-2.amazonaws.com/intake');
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
