import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sign, signatureHeaders, TOLERANCE_SECONDS, verify } from '../../functions/disc/signature.ts';

const secret = 'disc-webhook-secret-for-unit-tests-0123456789';
const other = 'some-other-secret-that-is-long-enough-000000000';
const body = Buffer.from('{"schemaVersion":1,"incidentId":"INC-1"}');
const now = new Date('2024-05-14T15:00:00Z');
const ts = String(now.getTime() / 1000);

const check = (over: Partial<Parameters<typeof verify>[0]> = {}) =>
  verify({ timestamp: ts, signature: `v1=${sign(secret, ts, body)}`, rawBody: body, secrets: [secret], now, ...over });

describe('unit: DISC webhook signature', () => {
  it('accepts the HMAC-SHA256 of timestamp.body when it is made with the shared secret', () => {
    const result = check();
    expect(result).toMatchObject({ ok: true, timestamp: now.getTime() / 1000 });
    if (result.ok) expect(result.messageDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches the documented construction when computed independently', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', secret).update(`${ts}.${body.toString()}`).digest('hex');
    expect(sign(secret, ts, body)).toBe(expected);
    expect(signatureHeaders(secret, body, now)).toEqual({ 'X-Disc-Timestamp': ts, 'X-Disc-Signature': `v1=${expected}` });
  });

  it('refuses a signature made with another secret', () => {
    expect(check({ signature: `v1=${sign(other, ts, body)}` })).toEqual({ ok: false, refusal: 'mismatch' });
  });

  it('refuses when the body or the timestamp was changed after signing', () => {
    expect(check({ rawBody: Buffer.from(`${body.toString()} `) })).toEqual({ ok: false, refusal: 'mismatch' });
    const later = String(Number(ts) + 1);
    expect(check({ timestamp: later })).toEqual({ ok: false, refusal: 'mismatch' });
  });

  it('refuses a timestamp more than five minutes old or ahead, and accepts one exactly five minutes off', () => {
    for (const offset of [-(TOLERANCE_SECONDS + 1), TOLERANCE_SECONDS + 1]) {
      const t = String(Number(ts) + offset);
      expect(check({ timestamp: t, signature: `v1=${sign(secret, t, body)}` })).toEqual({ ok: false, refusal: 'stale' });
    }
    for (const offset of [-TOLERANCE_SECONDS, TOLERANCE_SECONDS]) {
      const t = String(Number(ts) + offset);
      expect(check({ timestamp: t, signature: `v1=${sign(secret, t, body)}` }).ok).toBe(true);
    }
  });

  it('refuses missing or malformed headers', () => {
    expect(check({ timestamp: undefined })).toEqual({ ok: false, refusal: 'missing' });
    expect(check({ signature: undefined })).toEqual({ ok: false, refusal: 'missing' });
    expect(check({ signature: '' })).toEqual({ ok: false, refusal: 'missing' });
    expect(check({ timestamp: '2024-05-14T15:00:00Z' })).toEqual({ ok: false, refusal: 'malformed' });
    expect(check({ signature: sign(secret, ts, body) })).toEqual({ ok: false, refusal: 'malformed' });
    expect(check({ signature: 'v1=abc' })).toEqual({ ok: false, refusal: 'malformed' });
    expect(check({ signature: `v0=${sign(secret, ts, body)}` })).toEqual({ ok: false, refusal: 'malformed' });
  });

  it('accepts any of several v1 signatures and either secret while a secret is rotated', () => {
    const both = `v1=${sign(other, ts, body)}, v1=${sign(secret, ts, body)}`;
    expect(check({ signature: both }).ok).toBe(true);
    expect(check({ signature: `v1=${sign(other, ts, body)}`, secrets: [secret, other] }).ok).toBe(true);
    expect(check({ secrets: [] })).toEqual({ ok: false, refusal: 'mismatch' });
  });

  it('gives the same message digest for the same signed bytes and a different one otherwise', () => {
    const a = check();
    const b = check({ signature: `v1=${sign(secret, ts, body).toUpperCase()}` });
    expect(a.ok && b.ok && a.messageDigest === b.messageDigest).toBe(true);
    const t = String(Number(ts) + 1);
    const c = check({ timestamp: t, signature: `v1=${sign(secret, t, body)}` });
    expect(a.ok && c.ok && a.messageDigest !== c.messageDigest).toBe(true);
  });

  it('refuses every change to a signed body (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
        const raw = Buffer.from(bytes);
        const signature = `v1=${sign(secret, ts, raw)}`;
        const changed = Buffer.from(raw);
        const index = at % changed.length;
        changed[index] = (changed[index] ?? 0) ^ flip;
        expect(verify({ timestamp: ts, signature, rawBody: raw, secrets: [secret], now }).ok).toBe(true);
        expect(verify({ timestamp: ts, signature, rawBody: changed, secrets: [secret], now })).toEqual({ ok: false, refusal: 'mismatch' });
      }),
    );
  });
});
