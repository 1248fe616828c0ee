import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { presignPost, type UploadFormRequest } from '../../functions/intake/presigned-post.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

interface Form {
  url: string;
  fields: Record<string, string>;
}

interface PresignOptions extends Partial<UploadFormRequest> {
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** A presigned POST made by the project's own generator, as the report pages make theirs. */
function presign(stack: TestStack, key: string, options: PresignOptions = {}): Promise<Form> {
  const { credentials, ...request } = options;
  const s3 = new S3Client({
    endpoint: stack.endpoints.s3,
    region: stack.endpoints.region,
    credentials: credentials ?? stack.endpoints.credentials,
    forcePathStyle: true,
  });
  return presignPost(s3, {
    bucket: stack.endpoints.buckets.intake,
    key,
    minBytes: 1,
    maxBytes: 64,
    successRedirect: `${stack.endpoints.gateway}/uploaded`,
    expiresInSeconds: 3600,
    ...request,
  });
}

/** A form field by its name in any case (the AWS library writes `Policy`, `X-Amz-Signature`). */
const nameOf = (form: Form, field: string) => Object.keys(form.fields).find((k) => k.toLowerCase() === field) ?? field;

/** Posts the form as a browser does: its fields in order, then the file. */
async function post(form: Form, file: Buffer, fields: Record<string, string> = form.fields) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  data.append('file', new Blob([file]), 'photo.jpg');
  const res = await fetch(form.url, { method: 'POST', body: data, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), text, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] };
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('a photo')]);
const decodeHtml = (text: string | undefined) => text?.replaceAll('&quot;', '"');

describe('integration: local S3 checks a presigned POST as S3 does', () => {
  let stack: TestStack;
  let n = 0;
  /** A fresh upload key per test, so one test's object never answers for another's. */
  const freshKey = () => `uploads/post-test-${(n += 1)}/1`;
  const stored = async (key: string) => {
    try {
      const head = await stack.s3.send(new HeadObjectCommand({ Bucket: stack.endpoints.buckets.intake, Key: key }));
      return head.ContentLength;
    } catch {
      return undefined;
    }
  };

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.dispose());

  it('stores the file and redirects to the success address when the form is as signed', async () => {
    const key = freshKey();
    const res = await post(await presign(stack, key), JPEG);
    expect(res.status).toBe(303);
    const back = new URL(res.location ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(`${stack.endpoints.gateway}/uploaded`);
    expect(back.searchParams.get('key')).toBe(key);
    const object = await stack.s3.send(new GetObjectCommand({ Bucket: stack.endpoints.buckets.intake, Key: key }));
    expect(Buffer.from(await (object.Body?.transformToByteArray() ?? new Uint8Array()))).toEqual(JPEG);
  });

  it('refuses with 403 AccessDenied and leaves the other object alone when the key is changed to another report', async () => {
    const victim = freshKey();
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.endpoints.buckets.intake, Key: victim, Body: 'the original' }));
    const form = await presign(stack, freshKey());
    const res = await post(form, JPEG, { ...form.fields, key: victim });
    expect(res.status).toBe(403);
    expect(res.code).toBe('AccessDenied');
    expect(decodeHtml(res.message)).toBe(`Invalid according to Policy: Policy Condition failed: ["eq", "$key", "${form.fields.key}"]`);
    expect(await stored(victim)).toBe('the original'.length);
  });

  it('refuses with 403 AccessDenied when the policy has expired', async () => {
    const key = freshKey();
    const res = await post(await presign(stack, key, { expiresInSeconds: -3600 }), JPEG);
    expect(res).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' });
    expect(await stored(key)).toBeUndefined();
  });

  it('refuses with 400 EntityTooLarge or EntityTooSmall when the file is outside the content-length-range', async () => {
    const key = freshKey();
    const large = await post(await presign(stack, key, { maxBytes: JPEG.length - 1 }), JPEG);
    expect(large).toMatchObject({ status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size' });
    expect(large.text).toContain(`<ProposedSize>${JPEG.length}</ProposedSize><MaxSizeAllowed>${JPEG.length - 1}</MaxSizeAllowed>`);
    const small = await post(await presign(stack, key, { minBytes: 1 }), Buffer.alloc(0));
    expect(small).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    expect(await stored(key)).toBeUndefined();
  });

  it('refuses with 403 SignatureDoesNotMatch when the policy is changed after signing', async () => {
    const form = await presign(stack, freshKey());
    const policyField = nameOf(form, 'policy');
    const policy = JSON.parse(Buffer.from(form.fields[policyField] ?? '', 'base64').toString('utf8')) as { conditions: unknown[] };
    const widened = { ...policy, conditions: policy.conditions.map((c) => (Array.isArray(c) ? ['content-length-range', 0, 10 ** 9] : c)) };
    const res = await post(form, JPEG, { ...form.fields, [policyField]: Buffer.from(JSON.stringify(widened)).toString('base64') });
    expect(res).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(res.message).toBe('The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  });

  it('refuses with 403 SignatureDoesNotMatch when the signature is wrong', async () => {
    const key = freshKey();
    const form = await presign(stack, key);
    const signatureField = nameOf(form, 'x-amz-signature');
    const signature = form.fields[signatureField] ?? '';
    const wrong = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    const res = await post(form, JPEG, { ...form.fields, [signatureField]: wrong });
    expect(res).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await stored(key)).toBeUndefined();
  });

  it('refuses with 403 InvalidAccessKeyId when the form is signed with a key pair the local S3 does not know', async () => {
    const res = await post(await presign(stack, freshKey(), { credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'not-ours' } }), JPEG);
    expect(res).toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
  });

  it('refuses a field the policy does not mention and accepts x-ignore- fields when a form gains fields', async () => {
    const form = await presign(stack, freshKey());
    const extra = await post(form, JPEG, { ...form.fields, 'x-amz-meta-owner': 'someone else' });
    expect(extra).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Extra input fields: x-amz-meta-owner' });
    const ignored = await post(form, JPEG, { ...form.fields, 'x-ignore-note': 'anything' });
    expect(ignored.status).toBe(303);
  });

  it('matches field names in any case when the form spells them as the AWS SDK does', async () => {
    const key = freshKey();
    const form = await presign(stack, key);
    const sdkCase = (name: string) => (name === 'policy' ? 'Policy' : name.replace(/^x-amz-(\w+)/, (_, word: string) => `X-Amz-${word[0]?.toUpperCase()}${word.slice(1)}`));
    const res = await post(form, JPEG, Object.fromEntries(Object.entries(form.fields).map(([name, value]) => [sdkCase(name), value])));
    expect(res.status).toBe(303);
    expect(await stored(key)).toBe(JPEG.length);
  });

  it('refuses with 403 AccessDenied when a form carries no policy', async () => {
    const res = await post({ url: `${stack.endpoints.s3}/${stack.endpoints.buckets.intake}`, fields: {} }, JPEG, { key: freshKey() });
    expect(res).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Access Denied' });
  });
});
