import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * DISC webhook signatures (docs/integrations/disc.md): HMAC-SHA256 with the shared secret
 * over `${timestamp}.${rawBody}`, where the timestamp is Unix seconds sent in
 * X-Disc-Timestamp and the signature is sent as `v1=<hex>` in X-Disc-Signature (several
 * comma-separated `v1=` values are allowed while a secret is being rotated).
 */
export const TIMESTAMP_HEADER = 'x-disc-timestamp';
export const SIGNATURE_HEADER = 'x-disc-signature';
/** How far the timestamp may be from our clock, either way. */
export const TOLERANCE_SECONDS = 5 * 60;

const signedPayload = (timestamp: string, rawBody: Buffer) => Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]);

export function sign(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return createHmac('sha256', secret).update(signedPayload(timestamp, body)).digest('hex');
}

/** The two headers a sender adds; used by our tests, the demo and DISC's integrators. */
export function signatureHeaders(secret: string, rawBody: Buffer | string, at: Date = new Date()) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return { 'X-Disc-Timestamp': timestamp, 'X-Disc-Signature': `v1=${sign(secret, timestamp, rawBody)}` };
}

export type Refusal = 'missing' | 'malformed' | 'stale' | 'mismatch';

export type Verification =
  | { readonly ok: true; readonly timestamp: number; readonly messageDigest: string }
  | { readonly ok: false; readonly refusal: Refusal };

export const refusalMessages: Record<Refusal | 'replayed', string> = {
  missing: 'sign the request: X-Disc-Timestamp and X-Disc-Signature headers are required',
  malformed: 'X-Disc-Timestamp must be Unix seconds and X-Disc-Signature must be v1=<64 hex digits>',
  stale: `the signature timestamp is more than ${TOLERANCE_SECONDS / 60} minutes from our clock: sign the request when you send it`,
  mismatch: 'the signature does not match the body: sign the exact bytes you send with the shared secret',
  replayed: 'this signed request was already received: send a new request with a fresh timestamp',
};

const HEX_64 = /^[0-9a-f]{64}$/;

/**
 * Checks the headers against the raw body. Every candidate is compared in constant time, and
 * every secret is tried, so the time taken does not depend on where a signature differs.
 * On success, `messageDigest` identifies this exact signed message for the replay store.
 */
export function verify(input: {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  secrets: readonly string[];
  now: Date;
}): Verification {
  const { timestamp, signature, rawBody, secrets, now } = input;
  if (!timestamp || !signature) return { ok: false, refusal: 'missing' };
  if (!/^[0-9]{1,12}$/.test(timestamp.trim())) return { ok: false, refusal: 'malformed' };
  const candidates = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3).toLowerCase());
  if (candidates.length === 0 || candidates.length > 5 || !candidates.every((c) => HEX_64.test(c))) {
    return { ok: false, refusal: 'malformed' };
  }
  const ts = Number(timestamp.trim());
  if (Math.abs(now.getTime() / 1000 - ts) > TOLERANCE_SECONDS) return { ok: false, refusal: 'stale' };

  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, timestamp.trim(), rawBody), 'hex');
    for (const candidate of candidates) {
      if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
    }
  }
  if (!matched) return { ok: false, refusal: 'mismatch' };
  const messageDigest = createHash('sha256').update(signedPayload(timestamp.trim(), rawBody)).digest('hex');
  return { ok: true, timestamp: ts, messageDigest };
}
