import { AsyncLocalStorage } from 'node:async_hooks';
import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AppError } from './errors.ts';
import type { Session } from './session.ts';

/**
 * Cross-site request forgery: a browser sends the session cookie with any request, so a
 * state-changing request authenticated by the cookie must prove it came from one of our own
 * pages. Two checks, both required:
 * - the browser's own word: `Sec-Fetch-Site` is `same-origin` (or `none`, typed by the person),
 *   and an `Origin`, when sent and not opaque, is this site's;
 * - the form's hidden `csrf` field (or an `x-csrf-token` header) equals the token sealed in
 *   the session, so it cannot be forged without reading one of our pages.
 * Bearer-token callers (scripts, partners) send no cookie and are not checked.
 */
export const CSRF_FIELD = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

export class CsrfError extends AppError {
  readonly status = 403;
  readonly code = 'csrf';
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isUnsafeMethod = (event: APIGatewayProxyEventV2) => unsafe.has((event.requestContext?.http?.method ?? '').toUpperCase());

function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** This site's origin: the configured public address, else the host the request came to. */
export function siteOrigin(event: APIGatewayProxyEventV2, secure: boolean): string | undefined {
  const configured = process.env.SC_PUBLIC_URL;
  if (configured) return new URL(configured).origin;
  const host = headerOf(event, 'host');
  return host ? `${secure ? 'https' : 'http'}://${host}` : undefined;
}

/** The token a form sent: its `csrf` field (urlencoded body) or the `x-csrf-token` header. */
export function sentToken(event: APIGatewayProxyEventV2): string | undefined {
  const fromHeader = headerOf(event, CSRF_HEADER);
  if (fromHeader) return fromHeader;
  const type = (headerOf(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  return new URLSearchParams(text).get(CSRF_FIELD) ?? undefined;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const TRY_AGAIN = 'go back to the page, reload it and try again';

/** Throws a 403 unless a cookie-authenticated, state-changing request came from our own page. */
export function checkCsrf(event: APIGatewayProxyEventV2, session: Session, secure: boolean): void {
  if (!isUnsafeMethod(event)) return;
  const fetchSite = headerOf(event, 'sec-fetch-site')?.toLowerCase();
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new CsrfError(`this form was sent from another site, so it was refused; ${TRY_AGAIN}`);
  }
  // Our pages send `Referrer-Policy: no-referrer`, so a browser posts our own forms with
  // `Origin: null`: an opaque origin says nothing either way, and the token decides.
  const origin = headerOf(event, 'origin');
  if (origin !== undefined && origin !== 'null' && origin !== siteOrigin(event, secure)) {
    throw new CsrfError(`this form was sent from another site (${origin}), so it was refused; ${TRY_AGAIN}`);
  }
  const token = sentToken(event);
  if (!token || !same(token, session.csrf)) {
    throw new CsrfError(`this form has expired or was not sent from your session; ${TRY_AGAIN}`);
  }
}

/** The signed-in session of the request being handled, for templates (the form field, sign-out). */
const current = new AsyncLocalStorage<Session | undefined>();

export const withSession = <T>(session: Session | undefined, work: () => Promise<T>): Promise<T> => current.run(session, work);

/** The CSRF token for forms on the page being rendered; empty when the caller has no session. */
export const currentCsrfToken = (): string => current.getStore()?.csrf ?? '';
export const currentSession = (): Session | undefined => current.getStore();
