import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCsrf } from '../../functions/shared/csrf.ts';
import {
  cookieLine,
  cookiesOf,
  open,
  openSession,
  principalOfSession,
  seal,
  sealSession,
  secureCookies,
  sessionCookieName,
  sessionMinutes,
  signInLocation,
} from '../../functions/shared/session.ts';

const secret = 'a-session-secret-of-at-least-32-characters';
const who = { subject: 'staff-1', roles: ['officer'] as const, organisation: 'council', name: 'Olivia' };

const event = (over: { method?: string; headers?: Record<string, string>; cookies?: string[]; body?: string; rawPath?: string; rawQueryString?: string } = {}) =>
  ({
    rawPath: over.rawPath ?? '/officer/triage',
    rawQueryString: over.rawQueryString ?? '',
    headers: { host: 'safer.example.gov.uk', ...over.headers },
    ...(over.cookies ? { cookies: over.cookies } : {}),
    ...(over.body !== undefined ? { body: over.body } : {}),
    isBase64Encoded: false,
    requestContext: { http: { method: over.method ?? 'GET' } },
  }) as unknown as APIGatewayProxyEventV2;

describe('session cookie', () => {
  afterEach(() => {
    delete process.env.SC_SIGN_IN_PATH;
    delete process.env.SC_PUBLIC_URL;
  });

  it('round-trips who the person is, with a fresh CSRF token, and cannot be read without the key', async () => {
    const token = await sealSession(who, secret, 3600);
    expect(token.split('.')).toHaveLength(5); // a JWE: encrypted, not just signed
    expect(token).not.toContain('staff-1');
    const session = await openSession(token, secret);
    expect(session).toMatchObject({ subject: 'staff-1', roles: ['officer'], organisation: 'council', name: 'Olivia' });
    expect(session?.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await openSession(token, `${secret}-other`)).toBeUndefined();
    expect((await openSession(await sealSession(who, secret, 3600), secret))?.csrf).not.toBe(session?.csrf);
  });

  it('refuses an expired, tampered or other-purpose token', async () => {
    const now = Date.UTC(2026, 0, 1);
    const token = await sealSession(who, secret, 3600, now);
    expect(await openSession(token, secret, now + 3599_000)).toBeDefined();
    expect(await openSession(token, secret, now + 3601_000)).toBeUndefined();
    const parts = token.split('.');
    // The ciphertext's first character carries six whole bits of its first byte, so changing it
    // always changes what is decrypted (the last characters can carry unused bits: replacing
    // them changed nothing about once in 256 runs, and this test passed a tampered token).
    const ciphertext = parts[3] ?? '';
    parts[3] = `${ciphertext.startsWith('A') ? 'B' : 'A'}${ciphertext.slice(1)}`;
    expect(await openSession(parts.join('.'), secret, now)).toBeUndefined();
    const signInAttempt = await seal({ sub: 'x', roles: ['admin'], csrf: 'c' }, secret, 'sc-sign-in', 600, now);
    expect(await openSession(signInAttempt, secret, now)).toBeUndefined();
    expect(await open(signInAttempt, secret, 'sc-sign-in', now)).toMatchObject({ sub: 'x' });
  });

  it('stands for a caller only when its claims pass the token rules: known roles, a capped lifetime, not expired', async () => {
    const now = Date.UTC(2026, 0, 1);
    const opened = async (claims: Record<string, unknown>, lifetime: number) => {
      const session = await openSession(await seal({ sub: 's', csrf: 'c', ...claims }, secret, 'sc-session', lifetime, now), secret, now);
      if (!session) throw new Error('the session did not open');
      return session;
    };
    expect(principalOfSession(await opened({ roles: ['officer', 'finance'], org: 'council' }, 3600), new Date(now))).toEqual({
      subject: 's',
      roles: ['officer', 'finance'],
      organisation: 'council',
    });
    // An unknown role is refused, never silently dropped (auth.ts parseRolesClaim).
    const unknownRole = await opened({ roles: ['officer', 'root'] }, 3600);
    expect(() => principalOfSession(unknownRole, new Date(now))).toThrow(/roles claim names a role this service does not know/);
    // Longer than the token lifetime cap (12 hours by default).
    const tooLong = await opened({ roles: ['officer'] }, 13 * 3600);
    expect(() => principalOfSession(tooLong, new Date(now))).toThrow(/lifetime is longer than the 12 hours/);
    const hour = await opened({ roles: ['officer'] }, 3600);
    expect(() => principalOfSession(hour, new Date(now + 3601_000))).toThrow(/expired/);
  });

  it('never lasts longer than the token lifetime cap', () => {
    expect(sessionMinutes({ SC_SESSION_MINUTES: '30' })).toBe(30);
    expect(sessionMinutes({})).toBe(60);
    expect(sessionMinutes({ SC_SESSION_MINUTES: '100000' })).toBe(12 * 60);
    process.env.SC_TOKEN_MAX_LIFETIME_SECONDS = '1800';
    try {
      expect(sessionMinutes({})).toBe(30);
    } finally {
      delete process.env.SC_TOKEN_MAX_LIFETIME_SECONDS;
    }
  });

  it('is HttpOnly and SameSite=Lax always, Secure (with the __Host- prefix) unless on http://localhost', () => {
    expect(cookieLine(sessionCookieName(true), 'v', { secure: true, maxAge: 60 })).toBe('__Host-sc_session=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure');
    expect(cookieLine(sessionCookieName(false), 'v', { secure: false, maxAge: 60 })).toBe('sc_session=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax');
    expect(secureCookies(event())).toBe(true);
    expect(secureCookies(event({ headers: { host: 'localhost:3000' } }))).toBe(false);
    expect(secureCookies(event({ headers: { host: '127.0.0.1:3000' } }))).toBe(false);
    expect(secureCookies(event({ headers: { host: '127.0.0.1:3000', 'x-forwarded-proto': 'https' } }))).toBe(true);
    expect(secureCookies(event({ headers: { host: 'localhost.evil.example' } }))).toBe(true);
    process.env.SC_PUBLIC_URL = 'https://safer.example.gov.uk';
    expect(secureCookies(event({ headers: { host: 'localhost:3000' } }))).toBe(true);
  });

  it('reads the cookies API Gateway hands over', () => {
    expect(cookiesOf(event({ cookies: ['a=1', 'b=2; c=3', 'a=shadow'] }))).toEqual(new Map([['a', '1'], ['b', '2'], ['c', '3']]));
  });

  it('sends a browser GET to sign in with where it was going, and nothing else', () => {
    process.env.SC_SIGN_IN_PATH = '/sign-in';
    expect(signInLocation(event({ headers: { accept: 'text/html' }, rawQueryString: 'a=1&b=2' }))).toBe('/sign-in?returnTo=%2Fofficer%2Ftriage%3Fa%3D1%26b%3D2');
    expect(signInLocation(event({ headers: { accept: 'application/json' } }))).toBeUndefined();
    expect(signInLocation(event({ method: 'POST', headers: { accept: 'text/html' } }))).toBeUndefined();
    // A caller whose token failed gets the 401 page that says so, not a sign-in it did not ask for.
    expect(signInLocation(event({ headers: { accept: 'text/html', Authorization: 'Bearer expired' } }))).toBeUndefined();
    delete process.env.SC_SIGN_IN_PATH;
    expect(signInLocation(event({ headers: { accept: 'text/html' } }))).toBeUndefined();
  });
});

describe('CSRF check', () => {
  const session = { subject: 's', roles: ['officer'] as const, csrf: 'the-token-of-this-session-0123456789abcdefgh', issuedAt: 0, expiresAt: 0 };
  const form = (csrf: string | undefined, headers: Record<string, string> = {}) =>
    event({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: 'https://safer.example.gov.uk', ...headers },
      body: new URLSearchParams({ decision: 'open', ...(csrf !== undefined ? { csrf } : {}) }).toString(),
    });

  it("passes our own page's form", async () => {
    await expect(checkCsrf(form(session.csrf), session, true)).resolves.toBeUndefined();
    await expect(checkCsrf(form(undefined, { 'x-csrf-token': session.csrf, 'content-type': 'application/json' }), session, true)).resolves.toBeUndefined();
    // Our pages' Referrer-Policy: no-referrer makes the browser send `Origin: null` on our own forms.
    await expect(checkCsrf(form(session.csrf, { origin: 'null' }), session, true)).resolves.toBeUndefined();
  });

  it('reads the token from a multipart form (a file upload), and refuses one without it', async () => {
    const multipart = async (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.append(k, v);
      data.append('file', new Blob(['type,stream\n'], { type: 'text/csv' }), 'import.csv');
      const request = new Request('http://x/', { method: 'POST', body: data });
      return {
        ...event({ method: 'POST', headers: { 'content-type': request.headers.get('content-type') ?? '', 'sec-fetch-site': 'same-origin' } }),
        body: Buffer.from(await request.arrayBuffer()).toString('base64'),
        isBase64Encoded: true,
      } as APIGatewayProxyEventV2;
    };
    await expect(checkCsrf(await multipart({ csrf: session.csrf }), session, true)).resolves.toBeUndefined();
    await expect(checkCsrf(await multipart({ note: 'no token' }), session, true)).rejects.toMatchObject({ status: 403, code: 'csrf' });
    await expect(checkCsrf(await multipart({ csrf: 'the-token-of-this-session-0123456789abcdefgX' }), session, true)).rejects.toMatchObject({ status: 403, code: 'csrf' });
  });

  it('does not check safe methods', async () => {
    await expect(checkCsrf(event({ headers: { 'sec-fetch-site': 'cross-site' } }), session, true)).resolves.toBeUndefined();
  });

  it.each([
    ['no token', form(undefined)],
    ['an empty token', form('')],
    ['a forged token', form('the-token-of-this-session-0123456789abcdefgX')],
    ['a shorter token', form('the-token')],
    ['a cross-site fetch', form(session.csrf, { 'sec-fetch-site': 'cross-site' })],
    ['a same-site (sibling subdomain) fetch', form(session.csrf, { 'sec-fetch-site': 'same-site' })],
    ['another origin', form(session.csrf, { 'sec-fetch-site': '', origin: 'https://evil.example' })],
    ['an opaque origin from another site', form(session.csrf, { 'sec-fetch-site': 'cross-site', origin: 'null' })],
    ['an opaque origin without the token', form(undefined, { origin: 'null' })],
    ['plain http origin for an https site', form(session.csrf, { origin: 'http://safer.example.gov.uk' })],
  ])('refuses %s with a 403', async (_, e) => {
    await expect(checkCsrf(e, session, true)).rejects.toThrow(expect.objectContaining({ status: 403, code: 'csrf' }));
  });
});
