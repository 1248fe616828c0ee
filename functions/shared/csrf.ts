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
 * Bearer-token callers (scripts, partners) send no cookie and need no token; a staff form they
 * post still gets the browser check (`refuseCrossSite`, from `web/form-post.ts`).
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

/**
 * The origins this site answers as: the public address (`SC_PUBLIC_URL`) when set, the host the
 * browser asked (with the scheme its cookies use), and the gateway's own domain (always https).
 */
export function siteOrigins(event: APIGatewayProxyEventV2, secure: boolean): Set<string> {
  const origins = new Set<string>();
  const configured = process.env.SC_PUBLIC_URL;
  if (configured) {
    try {
      origins.add(new URL(configured).origin);
    } catch {
      // A malformed setting adds nothing; the host asked still counts.
    }
  }
  const host = headerOf(event, 'host');
  if (host) origins.add(`${secure ? 'https' : 'http'}://${host}`);
  const gateway = event.requestContext?.domainName;
  if (gateway) origins.add(`https://${gateway}`);
  return origins;
}

/** The token a form sent: its `csrf` field (URL-encoded or multipart body) or the `x-csrf-token` header. */
export async function sentToken(event: APIGatewayProxyEventV2): Promise<string | undefined> {
  const fromHeader = headerOf(event, CSRF_HEADER);
  if (fromHeader) return fromHeader;
  const type = headerOf(event, 'content-type') ?? '';
  const media = type.split(';')[0]?.trim().toLowerCase();
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (media === 'application/x-www-form-urlencoded') return new URLSearchParams(raw.toString('utf8')).get(CSRF_FIELD) ?? undefined;
  if (media === 'multipart/form-data') {
    try {
      const field = (await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData()).get(CSRF_FIELD);
      return typeof field === 'string' ? field : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const TRY_AGAIN = 'go back to the page, reload it and try again';

/**
 * The browser's word, the one place it is checked: a form post (or other state-changing request) whose
 * `Sec-Fetch-Site` is neither `same-origin` nor `none`, or whose `Origin` (when sent and not
 * `null`) is not this site's, is refused with a 403. A request with neither header is not a
 * browser's cross-site post. `checkCsrf` runs it for a signed-in browser; a staff form posted with
 * a bearer token gets it from `web/form-post.ts`.
 */
export function refuseCrossSite(event: APIGatewayProxyEventV2, secure: boolean): void {
  const fetchSite = headerOf(event, 'sec-fetch-site')?.toLowerCase();
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new CsrfError(`this form was sent from another site, so it was refused; ${TRY_AGAIN}`);
  }
  // Our pages send `Referrer-Policy: no-referrer`, so a browser posts our own forms with
  // `Origin: null`: an opaque origin says nothing either way (the token, or Sec-Fetch-Site, decides).
  const origin = headerOf(event, 'origin');
  if (origin !== undefined && origin !== 'null' && !siteOrigins(event, secure).has(origin)) {
    throw new CsrfError(`this form was sent from another site (${origin}), so it was refused; ${TRY_AGAIN}`);
  }
}

/** Throws a 403 unless a cookie-authenticated, state-changing request came from our own page. */
export async function checkCsrf(event: APIGatewayProxyEventV2, session: Session, secure: boolean): Promise<void> {
  if (!isUnsafeMethod(event)) return;
  refuseCrossSite(event, secure);
  const token = await sentToken(event);
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
