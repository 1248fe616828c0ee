import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ConfigurationError } from '#shared/config';
import { checkCsrf } from '#shared/csrf';
import { BadRequestError } from '#shared/errors';
import { httpApi, type HttpResult } from '#shared/http';
import {
  cookieLine,
  cookiesOf,
  open,
  seal,
  sealSession,
  secureCookies,
  sessionCookieName,
  sessionMinutes,
  sessionOf,
  secretString,
  sessionSecret,
} from '#shared/session';
import type { FunctionDeclaration } from '#shared/wiring';
import { errorPageFor } from '../../web/error-page.ts';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/sign-in.js'; // the sign-in/ templates this module renders
import { authorizationUrl, endSessionUrl, newAttempt, providerSettings, rolesFromClaims, safeReturnTo, type ProviderSettings, type SignInAttempt } from './oidc.ts';

const service = { name: 'Safer Communities staff', url: '/officer/triage' };
const errorPage = errorPageFor({ service, links: [{ href: '/sign-in', text: 'Start signing in again' }] });

/** The attempt between leaving for the provider and coming back: its own short-lived cookie. */
const ATTEMPT_COOKIE = 'sc_sign_in';
const ATTEMPT_PURPOSE = 'sc-sign-in';
const ATTEMPT_SECONDS = 10 * 60;
const CALLBACK_PATH = '/sign-in/callback';
/** Where a person lands after signing out (registered with the provider as the address to come back to). */
export const SIGNED_OUT_PATH = '/signed-out';

/** Where the provider sends the browser back: configured on AWS; on this machine, the host asked. */
function redirectUri(event: APIGatewayProxyEventV2): string {
  if (process.env.OIDC_REDIRECT_URI) return process.env.OIDC_REDIRECT_URI;
  if (process.env.SC_PUBLIC_URL) return `${process.env.SC_PUBLIC_URL.replace(/\/$/, '')}${CALLBACK_PATH}`;
  if (!secureCookies(event)) return `http://${event.headers?.host ?? 'localhost'}${CALLBACK_PATH}`;
  throw new ConfigurationError('set OIDC_REDIRECT_URI or SC_PUBLIC_URL: the sign-in callback address is not configured');
}

/** The client secret: a value locally, a Secrets Manager secret on AWS (`OIDC_CLIENT_SECRET_ARN`). */
const clientSecret = async () => (process.env.OIDC_CLIENT_SECRET_ARN ? secretString(process.env.OIDC_CLIENT_SECRET_ARN, 'sign-in client secret') : undefined);
const provider = () => providerSettings(process.env, fetch, clientSecret);

const noStore = { 'cache-control': 'no-store' };
const found = (location: string, cookies: string[]): HttpResult => ({ statusCode: 302, headers: { location, ...noStore }, cookies, body: '' });

const jwksCache = new Map<string, JWTVerifyGetKey>();
const keysOf = (uri: string) => {
  let keys = jwksCache.get(uri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(uri));
    jwksCache.set(uri, keys);
  }
  return keys;
};

/** Exchanges the code (with the PKCE verifier) at the token endpoint and returns the ID token. */
async function exchange(provider: ProviderSettings, code: string, attempt: SignInAttempt, redirect: string): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: attempt.verifier, client_id: provider.clientId });
  if (provider.clientSecret) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(provider.clientId)}:${encodeURIComponent(provider.clientSecret)}`).toString('base64')}`;
  }
  const res = await fetch(provider.tokenEndpoint, { method: 'POST', headers, body: form.toString() });
  const body = (await res.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
  if (!res.ok || typeof body.id_token !== 'string') {
    throw new BadRequestError(`the identity provider did not accept the sign-in (${typeof body.error === 'string' ? body.error : res.status}); start again`);
  }
  return body.id_token;
}

/** Checks the ID token: signature from the provider's JWKS, issuer, audience, expiry and our nonce. */
async function verifyIdToken(provider: ProviderSettings, idToken: string, nonce: string) {
  try {
    const { payload } = await jwtVerify(idToken, keysOf(provider.jwksUri), {
      issuer: provider.issuer,
      audience: provider.clientId,
      requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
    });
    if (payload.nonce !== nonce) throw new Error('nonce');
    return payload as Record<string, unknown> & { sub: string };
  } catch {
    throw new BadRequestError('the identity provider sent back a sign-in this service cannot trust; start again');
  }
}

export function signInHandler(declaration: FunctionDeclaration) {
  return httpApi(
    declaration,
    {
      'GET /sign-in': async ({ event, query }) => {
        const settings = await provider();
        const attempt = newAttempt(safeReturnTo(query.returnTo));
        const secure = secureCookies(event);
        const sealed = await seal({ ...attempt }, await sessionSecret(), ATTEMPT_PURPOSE, ATTEMPT_SECONDS);
        return found(authorizationUrl(settings, attempt, redirectUri(event)), [
          cookieLine(ATTEMPT_COOKIE, sealed, { secure, maxAge: ATTEMPT_SECONDS, path: '/sign-in' }),
        ]);
      },

      'GET /sign-in/callback': async ({ event, query }) => {
        if (query.error) throw new BadRequestError(`the identity provider did not sign you in (${query.error_description ?? query.error})`);
        const secret = await sessionSecret();
        const sealed = cookiesOf(event).get(ATTEMPT_COOKIE);
        const claims = sealed ? await open(sealed, secret, ATTEMPT_PURPOSE) : undefined;
        if (!claims || typeof claims.state !== 'string' || typeof claims.nonce !== 'string' || typeof claims.verifier !== 'string') {
          throw new BadRequestError('this sign-in took too long or was started in another browser; start again');
        }
        const attempt: SignInAttempt = { state: claims.state, nonce: claims.nonce, verifier: claims.verifier, returnTo: safeReturnTo(String(claims.returnTo)) };
        if (!query.state || query.state !== attempt.state) throw new BadRequestError('this sign-in does not match the one this browser started; start again');
        if (!query.code) throw new BadRequestError('the identity provider sent no authorization code; start again');
        const settings = await provider();
        const payload = await verifyIdToken(settings, await exchange(settings, query.code, attempt, redirectUri(event)), attempt.nonce);
        const organisation = payload[settings.organisationClaim];
        const name = payload.name;
        const secure = secureCookies(event);
        const lifetime = sessionMinutes() * 60;
        const session = await sealSession(
          {
            subject: payload.sub,
            roles: rolesFromClaims(payload, settings.rolesClaim),
            ...(typeof organisation === 'string' ? { organisation } : {}),
            ...(typeof name === 'string' ? { name } : {}),
          },
          secret,
          lifetime,
        );
        return {
          statusCode: 303,
          headers: { location: attempt.returnTo, ...noStore },
          cookies: [
            cookieLine(sessionCookieName(secure), session, { secure, maxAge: lifetime }),
            cookieLine(ATTEMPT_COOKIE, '', { secure, maxAge: 0, path: '/sign-in' }),
          ],
          body: '',
        };
      },

      'POST /sign-out': async ({ event }) => {
        const secure = secureCookies(event);
        const session = await sessionOf(event);
        // Only our own page may end a session: a cross-site form cannot sign a person out.
        if (session) await checkCsrf(event, session, secure);
        // Then the provider's session too, so the next person at this computer must sign in afresh.
        const atProvider = endSessionUrl(await provider(), new URL(SIGNED_OUT_PATH, redirectUri(event)).toString());
        return { statusCode: 303, headers: { location: atProvider ?? SIGNED_OUT_PATH, ...noStore }, cookies: [cookieLine(sessionCookieName(secure), '', { secure, maxAge: 0 })], body: '' };
      },

      'GET /signed-out': async () => page('sign-in/signed-out.njk', { service }, { headers: noStore }),
    },
    { errorPage },
  );
}
