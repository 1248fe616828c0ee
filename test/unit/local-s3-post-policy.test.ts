import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorXml, refusalOf, type PostCheckContext, type PostUpload } from '#infra/local/s3-post-policy';

const credentials = { accessKeyId: 'LOCALKEY', secretAccessKey: 'local-secret' };
const now = new Date('2024-05-14T20:30:00Z');
const context: PostCheckContext = { bucket: 'intake', region: 'eu-west-2', secretOf: (id) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined), now };

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** A form signed as S3 expects, for any policy (the project's generator only makes exact ones). */
function signedForm(conditions: unknown[], fields: Record<string, string>, options: { expiration?: string; region?: string } = {}): [string, string][] {
  const region = options.region ?? 'eu-west-2';
  const signed = {
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': `${credentials.accessKeyId}/20240514/${region}/s3/aws4_request`,
    'x-amz-date': '20240514T203000Z',
  };
  const signedConditions = [...conditions, ...Object.entries(signed).map(([k, v]) => ({ [k]: v }))];
  const policy = Buffer.from(JSON.stringify({ expiration: options.expiration ?? '2024-05-14T21:30:00Z', conditions: signedConditions })).toString('base64');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, '20240514'), region), 's3'), 'aws4_request');
  return [...Object.entries(fields), ...Object.entries(signed), ['policy', policy], ['x-amz-signature', hmac(key, policy).toString('hex')]];
}

const upload = (fields: [string, string][], fileBytes: number | undefined = 10): PostUpload => ({ fields, fileBytes });

describe('unit: local S3 POST policy', () => {
  it('accepts a key under a starts-with prefix and refuses one outside it', () => {
    const conditions = [{ bucket: 'intake' }, ['starts-with', '$key', 'uploads/abc/']];
    expect(refusalOf(upload(signedForm(conditions, { key: 'uploads/abc/1' })), context)).toBeUndefined();
    expect(refusalOf(upload(signedForm(conditions, { key: 'photos/abc/1' })), context)).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/abc/"]',
    });
  });

  it('checks the bucket condition against the bucket posted to when the form goes elsewhere', () => {
    const form = signedForm([{ bucket: 'intake' }, { key: 'k' }], { key: 'k' });
    expect(refusalOf(upload(form), { ...context, bucket: 'archive' })).toMatchObject({ status: 403, code: 'AccessDenied' });
  });

  it('needs every type in a Content-Type list to start with the prefix when starts-with names Content-Type', () => {
    const conditions = [{ key: 'k' }, ['starts-with', '$Content-Type', 'image/']];
    expect(refusalOf(upload(signedForm(conditions, { key: 'k', 'Content-Type': 'image/png, image/jpeg' })), context)).toBeUndefined();
    expect(refusalOf(upload(signedForm(conditions, { key: 'k', 'Content-Type': 'image/png, text/html' })), context)).toMatchObject({ code: 'AccessDenied' });
  });

  it('fails a condition on a field the form leaves out, as S3 compares it with an empty value', () => {
    const form = signedForm([{ key: 'k' }, { success_action_status: '201' }], { key: 'k' });
    expect(refusalOf(upload(form), context)).toMatchObject({ code: 'AccessDenied', message: expect.stringContaining('"$success_action_status", "201"') });
  });

  it('refuses a field given twice when a second key would override the signed one', () => {
    const form = signedForm([{ key: 'k' }], { key: 'k' });
    expect(refusalOf(upload([...form.slice(0, 1), ['Key', 'other'], ...form.slice(1)]), context)).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });

  it('refuses credentials scoped to another region', () => {
    expect(refusalOf(upload(signedForm([{ key: 'k' }], { key: 'k' }, { region: 'us-east-1' })), context)).toMatchObject({
      status: 400,
      code: 'AuthorizationQueryParametersError',
      message: "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-west-2'",
    });
  });

  it('refuses a policy that is not JSON or has no expiration with InvalidPolicyDocument', () => {
    const sign = (policy: string) => {
      const form = signedForm([], {}).filter(([name]) => name !== 'policy' && name !== 'x-amz-signature');
      const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, '20240514'), 'eu-west-2'), 's3'), 'aws4_request');
      return upload([...form, ['policy', policy], ['x-amz-signature', hmac(key, policy).toString('hex')]]);
    };
    expect(refusalOf(sign(Buffer.from('{not json').toString('base64')), context)).toMatchObject({ status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' });
    expect(refusalOf(sign(Buffer.from('{"conditions":[]}').toString('base64')), context)).toMatchObject({ message: 'Invalid Policy: Policy missing expiration.' });
  });

  it('asks for the signature when a policy comes without one', () => {
    const form = signedForm([{ key: 'k' }], { key: 'k' }).filter(([name]) => name !== 'x-amz-signature');
    expect(refusalOf(upload(form), context)).toMatchObject({ status: 400, code: 'InvalidArgument', details: { ArgumentName: 'x-amz-signature' } });
  });

  it('refuses Signature Version 2 forms, as a London bucket does', () => {
    expect(refusalOf(upload([['key', 'k'], ['AWSAccessKeyId', credentials.accessKeyId], ['policy', 'e30='], ['signature', 'abc']]), context)).toMatchObject({
      status: 400,
      code: 'InvalidRequest',
    });
  });

  it('refuses a policy at the instant it expires', () => {
    const form = signedForm([{ key: 'k' }], { key: 'k' }, { expiration: now.toISOString() });
    expect(refusalOf(upload(form), context)).toMatchObject({ message: 'Invalid according to Policy: Policy expired.' });
  });

  it('writes S3 error XML with the code, the escaped message and the extra elements', () => {
    const xml = errorXml({ status: 403, code: 'AccessDenied', message: 'a "quoted" <tag> & more', details: { ProposedSize: '5' } }, 'REQ1');
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>a &quot;quoted&quot; &lt;tag&gt; &amp; more</Message><ProposedSize>5</ProposedSize><RequestId>REQ1</RequestId><HostId>local</HostId></Error>',
    );
  });
});
