import { createHash, randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { principalFromClaims, tokenMaxLifetimeSeconds, type Principal } from './auth.ts';
import { ConfigurationError } from './config.ts';
import { UnauthorizedError } from './errors.ts';
import type { Role } from './wiring.ts';

/**
 * A member of staff's browser session: an encrypted cookie (JWE, `dir` + A256GCM, the key
 * derived from a secret), not a server-side item. Every page function can check it without a
 * table grant or a read per request; it is short-lived (an hour by default) and a person signs
 * in again at the provider when it ends (the provider's own session makes that a round trip
 * without a password). Sign-out clears it. The cookie carries who the person is, their roles
 * (mapped from the provider's groups when they signed in) and the CSRF token bound to it.
 */
export interface Session {
  readonly subject: string;
  /** As sealed at sign-in; checked against the known roles on every request (principalOfSession). */
  readonly roles: readonly unknown[];
  readonly organisation?: string;
  readonly name?: string;
  /** The CSRF token every form of this session carries. */
  readonly csrf: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export const SESSION_COOKIE = 'sc_session';
/** With `Secure`, the `__Host-` prefix also pins the cookie to this host and path `/`. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
const SESSION_PURPOSE = 'sc-session';
export const DEFAULT_SESSION_MINUTES = 60;

const MIN_SECRET = 32;
const CACHE_MS = 5 * 60 * 1000;

/**
 * The session secret: `SC_SESSION_KEY` (the local stack and tests) or the Secrets Manager
 * secret `SC_SESSION_SECRET_ARN` (AWS), read through the Parameters and Secrets extension.
 */
export async function sessionSecret(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const direct = env.SC_SESSION_KEY;
  if (direct) {
    if (direct.length < MIN_SECRET) throw new ConfigurationError(`SC_SESSION_KEY must be at least ${MIN_SECRET} characters`);
    return direct;
  }
  const arn = env.SC_SESSION_SECRET_ARN;
  if (!arn) throw new ConfigurationError('set SC_SESSION_SECRET_ARN (AWS) or SC_SESSION_KEY (local) for staff sessions');
  const value = await secretString(arn, 'session secret', env);
  if (value.length < MIN_SECRET) throw new ConfigurationError(`the session secret must be at least ${MIN_SECRET} characters`);
  return value;
}

const secretCache = new Map<string, { value: string; at: number }>();

/**
 * A Secrets Manager secret's string, read through the Parameters and Secrets extension on
 * localhost (so it never sits in the function's configuration), cached for five minutes.
 */
export async function secretString(arn: string, what: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const cached = secretCache.get(arn);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const res = await fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(arn)}`, {
    headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' },
  });
  if (!res.ok) throw new ConfigurationError(`the secrets extension answered ${res.status} for the ${what}`);
  const value = String(((await res.json()) as { SecretString?: unknown }).SecretString ?? '');
  secretCache.set(arn, { value, at: Date.now() });
  return value;
}

/** A 256-bit key per purpose, so the session and sign-in cookies never share a key. */
export const keyFor = (secret: string, purpose: string) => createHash('sha256').update(`${purpose}\0${secret}`).digest();

/** Seals any claims as a JWE for a purpose; `open` refuses another purpose, a forgery or an expired one. */
export async function seal(claims: Record<string, unknown>, secret: string, purpose: string, lifetimeSeconds: number, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  return new EncryptJWT({ ...claims, pur: purpose })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .encrypt(keyFor(secret, purpose));
}

export async function open(token: string, secret: string, purpose: string, now = Date.now()): Promise<Record<string, unknown> | undefined> {
  try {
    const { payload } = await jwtDecrypt(token, keyFor(secret, purpose), { currentDate: new Date(now), requiredClaims: ['exp'] });
    return payload.pur === purpose ? payload : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long a session lasts: `SC_SESSION_MINUTES`, never longer than the token lifetime cap
 * (auth.ts), which a session's claims must meet on every request as a token's do.
 */
export const sessionMinutes = (env: NodeJS.ProcessEnv = process.env) => {
  const minutes = Number(env.SC_SESSION_MINUTES ?? DEFAULT_SESSION_MINUTES);
  const longest = Math.floor(tokenMaxLifetimeSeconds() / 60);
  return Math.min(Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_SESSION_MINUTES, longest);
};

export const newCsrfToken = () => randomBytes(32).toString('base64url');

export async function sealSession(
  who: { subject: string; roles: readonly Role[]; organisation?: string; name?: string },
  secret: string,
  lifetimeSeconds: number,
  now = Date.now(),
): Promise<string> {
  return seal({ sub: who.subject, roles: [...who.roles], org: who.organisation, name: who.name, csrf: newCsrfToken() }, secret, SESSION_PURPOSE, lifetimeSeconds, now);
}

export async function openSession(token: string, secret: string, now = Date.now()): Promise<Session | undefined> {
  const claims = await open(token, secret, SESSION_PURPOSE, now);
  if (!claims || typeof claims.sub !== 'string' || typeof claims.csrf !== 'string' || !Array.isArray(claims.roles)) return undefined;
  return {
    subject: claims.sub,
    roles: claims.roles,
    ...(typeof claims.org === 'string' ? { organisation: claims.org } : {}),
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    csrf: claims.csrf,
    issuedAt: Number(claims.iat),
    expiresAt: Number(claims.exp),
  };
}

/** The cookies of a request (API Gateway v2 hands them over as `cookies`, not a header). */
export function cookiesOf(event: APIGatewayProxyEventV2): Map<string, string> {
  const jar = new Map<string, string>();
  const lines = event.cookies ?? [];
  for (const line of lines.flatMap((l) => l.split(/;\s*/))) {
    const at = line.indexOf('=');
    if (at > 0 && !jar.has(line.slice(0, at).trim())) jar.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return jar;
}

const localHost = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/**
 * Cookies are `Secure` everywhere except a browser talking plain HTTP to this machine
 * (`npm start`): the local stack has no TLS, and browsers treat localhost as a secure context.
 */
export function secureCookies(event: APIGatewayProxyEventV2): boolean {
  const host = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'host')?.[1] ?? '';
  const forwarded = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-forwarded-proto')?.[1];
  const publicUrl = process.env.SC_PUBLIC_URL;
  if (publicUrl && publicUrl.startsWith('https://')) return true;
  return !(localHost.test(host) && forwarded !== 'https');
}

export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

/** A Set-Cookie line: HttpOnly and SameSite=Lax always, Secure unless on http://localhost. */
export function cookieLine(name: string, value: string, options: { secure: boolean; maxAge: number; path?: string }): string {
  return [`${name}=${value}`, `Path=${options.path ?? '/'}`, `Max-Age=${options.maxAge}`, 'HttpOnly', 'SameSite=Lax', ...(options.secure ? ['Secure'] : [])].join('; ');
}

/** The session the request's cookie holds, if it is genuine and current. */
export async function sessionOf(event: APIGatewayProxyEventV2, now = Date.now()): Promise<Session | undefined> {
  const jar = cookiesOf(event);
  const token = jar.get(SECURE_SESSION_COOKIE) ?? (secureCookies(event) ? undefined : jar.get(SESSION_COOKIE));
  if (!token) return undefined;
  return openSession(token, await sessionSecret(), now);
}

/**
 * A page's caller by session cookie, when it brings no bearer token (scripts and partners keep
 * using theirs; a request with both is judged by the token alone).
 */
export async function pageSessionOf(event: APIGatewayProxyEventV2): Promise<Session | undefined> {
  const authorization = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  if (authorization) return undefined;
  return sessionOf(event);
}

/**
 * Where a browser that must sign in is sent: `SC_SIGN_IN_PATH` with the page it asked for
 * (path and query) to come back to. Only for GET: a form sent without a session cannot be
 * replayed after signing in, so it gets the "sign in" page instead; and only for a browser.
 */
export function signInLocation(event: APIGatewayProxyEventV2): string | undefined {
  const signIn = process.env.SC_SIGN_IN_PATH;
  if (!signIn || (event.requestContext?.http?.method ?? 'GET').toUpperCase() !== 'GET') return undefined;
  // A browser asks for HTML by name; a script (curl, fetch, a test) gets the 401 it can act on,
  // and so does a caller that brought a token (a browser never does): its token is what failed.
  const headerOf = (name: string) => Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
  if (!(headerOf('accept') ?? '').toLowerCase().includes('text/html') || headerOf('authorization')) return undefined;
  const path = event.rawPath ?? '/';
  const returnTo = event.rawQueryString ? `${path}?${event.rawQueryString}` : path;
  return `${signIn}?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * The caller a session stands for (never the CSRF token or name: handlers need neither). Its
 * claims pass the same check as any token's (auth.ts `checkTokenClaims`: exp required and not
 * past, lifetime within the cap, roles an array of known names), so a session sealed before a
 * role was withdrawn or the cap lowered is refused (401: the browser signs in again).
 */
export function principalOfSession(session: Session, now: Date = new Date()): Principal {
  const claims = { sub: session.subject, roles: session.roles, organisation: session.organisation, iat: session.issuedAt, exp: session.expiresAt };
  const principal = principalFromClaims(claims, now);
  if (!principal) throw new UnauthorizedError('sign in again: your session names no one');
  return principal;
}
