import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * S3's checks on a browser POST upload (a presigned POST), which s3rver skips: the policy's
 * SigV4 signature, its expiry, a condition for every form field, and the size range. The
 * codes and messages are S3's, so a form that fails here would fail on AWS the same way.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */

/** An S3 error answer: status, code, message and the extra elements S3 adds for that code. */
export interface S3Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, string>>;
}

export interface PostUpload {
  /** The form fields before the file, in order: S3 ignores any after it. */
  readonly fields: readonly (readonly [name: string, value: string])[];
  /** The size of the `file` field, if there was one. */
  readonly fileBytes: number | undefined;
}

export interface PostCheckContext {
  /** The bucket the form was posted to (from the URL). */
  readonly bucket: string;
  /** The region the bucket is in: credentials scoped to another are refused. */
  readonly region: string;
  /** The secret key of an access key id, or undefined for one S3 does not know. */
  readonly secretOf: (accessKeyId: string) => string | undefined;
  readonly now: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Fields the policy need not mention. */
const unconditioned = (name: string) => name === 'x-amz-signature' || name === 'file' || name === 'policy' || name.startsWith('x-ignore-');

const refuse = (status: number, code: string, message: string, details?: Record<string, string>): S3Refusal => ({
  status,
  code,
  message,
  ...(details ? { details } : {}),
});
const accessDenied = (why: string) => refuse(403, 'AccessDenied', `Invalid according to Policy: ${why}`);
const invalidPolicy = (why: string) => refuse(400, 'InvalidPolicyDocument', `Invalid Policy: ${why}`);
const missingField = (name: string) =>
  refuse(400, 'InvalidArgument', `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, {
    ArgumentName: name,
    ArgumentValue: '',
  });

class Refused extends Error {
  constructor(readonly refusal: S3Refusal) {
    super(refusal.message);
  }
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** The SigV4 signing key for one day, region and service. */
function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/** Field names are case-insensitive in a POST form; a name given twice is refused, as s3rver would keep the last. */
function fieldMap(upload: PostUpload): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of upload.fields) {
    const lower = name.toLowerCase();
    if (fields.has(lower)) throw new Refused(refuse(400, 'InvalidArgument', `The field '${name}' was given more than once.`, { ArgumentName: name, ArgumentValue: value }));
    fields.set(lower, value);
  }
  return fields;
}

function requiredField(fields: ReadonlyMap<string, string>, name: string): string {
  const value = fields.get(name);
  if (value === undefined || value === '') throw new Refused(missingField(name));
  return value;
}

/** Checks the signature over the policy text exactly as posted; returns nothing or throws. */
function verifySignature(fields: ReadonlyMap<string, string>, policy: string, context: PostCheckContext): void {
  const algorithm = fields.get('x-amz-algorithm');
  if (algorithm === undefined && (fields.has('awsaccesskeyid') || fields.has('signature'))) {
    throw new Refused(refuse(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.'));
  }
  if (requiredField(fields, 'x-amz-algorithm') !== ALGORITHM) {
    throw new Refused(refuse(400, 'InvalidArgument', `Unsupported algorithm: ${algorithm ?? ''}`, { ArgumentName: 'x-amz-algorithm', ArgumentValue: algorithm ?? '' }));
  }
  const credential = requiredField(fields, 'x-amz-credential');
  requiredField(fields, 'x-amz-date');
  const provided = requiredField(fields, 'x-amz-signature');
  const [accessKeyId, date, region, service, terminator, ...rest] = credential.split('/');
  if (!accessKeyId || !date || !/^\d{8}$/.test(date) || !region || service !== 's3' || terminator !== 'aws4_request' || rest.length > 0) {
    throw new Refused(
      refuse(400, 'AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`),
    );
  }
  if (region !== context.region) {
    throw new Refused(
      refuse(400, 'AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting '${context.region}'`, {
        Region: context.region,
      }),
    );
  }
  const secret = context.secretOf(accessKeyId);
  if (secret === undefined) {
    throw new Refused(refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId }));
  }
  const expected = hmac(signingKey(secret, date, region, 's3'), policy);
  const given = /^[0-9a-f]{64}$/i.test(provided) ? Buffer.from(provided, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Refused(
      refuse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        AWSAccessKeyId: accessKeyId,
        StringToSign: policy,
        SignatureProvided: provided,
      }),
    );
  }
}

interface PolicyDocument {
  readonly expiration: Date;
  readonly conditions: readonly unknown[];
}

function decodePolicy(policy: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    throw new Refused(invalidPolicy('Invalid JSON.'));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Refused(invalidPolicy('Invalid JSON.'));
  const { expiration, conditions } = parsed as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw new Refused(invalidPolicy('Policy missing expiration.'));
  const expires = typeof expiration === 'string' ? new Date(expiration) : new Date(Number.NaN);
  if (Number.isNaN(expires.getTime())) throw new Refused(invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`));
  if (!Array.isArray(conditions)) throw new Refused(invalidPolicy('Policy missing conditions.'));
  return { expiration: expires, conditions };
}

type Condition =
  | { readonly kind: 'eq' | 'starts-with'; readonly field: string; readonly value: string }
  | { readonly kind: 'content-length-range'; readonly min: number; readonly max: number };

/** One policy condition, in either of its spellings: `{ field: value }` or `[op, "$field", value]`. */
function parseCondition(raw: unknown): Condition {
  const invalid = () => new Refused(invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`));
  if (Array.isArray(raw)) {
    const [op, a, b] = raw as unknown[];
    if (raw.length !== 3 || typeof op !== 'string') throw invalid();
    const kind = op.toLowerCase();
    if (kind === 'content-length-range') {
      const [min, max] = [Number(a), Number(b)];
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) throw invalid();
      return { kind, min, max };
    }
    if ((kind !== 'eq' && kind !== 'starts-with') || typeof a !== 'string' || !a.startsWith('$') || typeof b !== 'string') throw invalid();
    return { kind, field: a.slice(1).toLowerCase(), value: b };
  }
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw);
    const [entry] = entries;
    if (entries.length !== 1 || !entry || typeof entry[1] !== 'string') throw invalid();
    return { kind: 'eq', field: entry[0].toLowerCase(), value: entry[1] };
  }
  throw invalid();
}

function holds(condition: Extract<Condition, { field: string }>, actual: string): boolean {
  if (condition.kind === 'eq') return actual === condition.value;
  // A Content-Type may list several types; each must start with the prefix.
  if (condition.field === 'content-type') return actual.split(',').every((part) => part.trim().startsWith(condition.value));
  return actual.startsWith(condition.value);
}

function checkConditions(fields: ReadonlyMap<string, string>, document: PolicyDocument, upload: PostUpload, context: PostCheckContext): void {
  if (document.expiration.getTime() <= context.now.getTime()) throw new Refused(accessDenied('Policy expired.'));
  const covered = new Set<string>();
  let range: { min: number; max: number } | undefined;
  for (const raw of document.conditions) {
    const condition = parseCondition(raw);
    if (condition.kind === 'content-length-range') {
      range = { min: condition.min, max: condition.max };
      continue;
    }
    covered.add(condition.field);
    const actual = condition.field === 'bucket' ? context.bucket : (fields.get(condition.field) ?? '');
    if (!holds(condition, actual)) {
      throw new Refused(accessDenied(`Policy Condition failed: ["${condition.kind}", "$${condition.field}", ${JSON.stringify(condition.value)}]`));
    }
  }
  const extra = [...fields.keys()].filter((name) => !unconditioned(name) && !covered.has(name));
  if (extra.length > 0) throw new Refused(accessDenied(`Extra input fields: ${extra.join(', ')}`));
  const size = upload.fileBytes;
  if (range && size !== undefined && size > range.max) {
    throw new Refused(
      refuse(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: String(size), MaxSizeAllowed: String(range.max) }),
    );
  }
  if (range && size !== undefined && size < range.min) {
    throw new Refused(
      refuse(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', { ProposedSize: String(size), MinSizeAllowed: String(range.min) }),
    );
  }
}

/** What S3 would answer instead of storing the upload, or undefined when it would store it. */
export function refusalOf(upload: PostUpload, context: PostCheckContext): S3Refusal | undefined {
  try {
    const fields = fieldMap(upload);
    const policy = fields.get('policy');
    // No policy is an anonymous upload, which a private bucket refuses.
    if (policy === undefined || policy === '') {
      if (fields.has('x-amz-signature')) throw new Refused(missingField('policy'));
      return refuse(403, 'AccessDenied', 'Access Denied');
    }
    verifySignature(fields, policy, context);
    checkConditions(fields, decodePolicy(policy), upload, context);
    return undefined;
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

/** S3's XML error body. */
export function errorXml(refusal: S3Refusal, requestId: string): string {
  const details = Object.entries(refusal.details ?? {})
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message>${details}<RequestId>${requestId}</RequestId><HostId>local</HostId></Error>`
  );
}
