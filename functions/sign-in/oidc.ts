import { createHash, randomBytes } from 'node:crypto';
import { ConfigurationError } from '#shared/config';
import { roles as knownRoles, type Role } from '#shared/wiring';

/**
 * The OpenID Connect relying party, as plain functions: PKCE, state and nonce, the return path,
 * the provider's settings, and the mapping from the provider's groups to our roles.
 */

/** 32 random bytes, base64url: a PKCE verifier (43 characters), a state or a nonce. */
export const randomToken = () => randomBytes(32).toString('base64url');

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** A verifier of 43-128 characters from the unreserved set (RFC 7636 section 4.1). */
export const isVerifier = (value: string) => /^[A-Za-z0-9\-._~]{43,128}$/.test(value);

export interface SignInAttempt {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly returnTo: string;
}

export const newAttempt = (returnTo: string): SignInAttempt => ({ state: randomToken(), nonce: randomToken(), verifier: randomToken(), returnTo });

export const DEFAULT_RETURN = '/officer/triage';

/**
 * Where to send a person after signing in: only a path on this site. Anything that a browser
 * could read as another site (`//evil`, `/\evil`, `https://…`, control characters, a path that
 * normalises elsewhere) falls back to the default, so sign-in is never an open redirect.
 */
export function safeReturnTo(value: string | undefined, fallback = DEFAULT_RETURN): string {
  if (!value || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(value, 'https://this.site');
  } catch {
    return fallback;
  }
  if (resolved.origin !== 'https://this.site') return fallback;
  const path = `${resolved.pathname}${resolved.search}`;
  // Never back into sign-in itself (a loop) or the provider's callback.
  if (path === '/sign-in' || path.startsWith('/sign-in/') || path.startsWith('/sign-in?') || path.startsWith('/sign-out') || path.startsWith('/signed-out')) return fallback;
  return path;
}

export interface ProviderSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** The claim that holds the person's groups: `cognito:groups` on Cognito, `roles` on Entra ID. */
  readonly rolesClaim: string;
  readonly organisationClaim: string;
  readonly scope: string;
  /**
   * Where signing out of this service also ends the person's session at the provider (OIDC
   * RP-initiated logout's `end_session_endpoint`, or Cognito's `/logout`), and the parameter
   * that carries the address to come back to (`post_logout_redirect_uri`; Cognito: `logout_uri`).
   * Without it, the provider's session outlives ours: on a shared computer the next person to
   * press "Sign in" would be signed in as the last one without a password.
   */
  readonly endSession: { readonly endpoint: string; readonly returnParameter: string } | undefined;
}

type Fetch = typeof fetch;

const discoveryCache = new Map<string, Promise<Record<string, unknown>>>();

async function discover(issuer: string, fetchFn: Fetch): Promise<Record<string, unknown>> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let found = discoveryCache.get(url);
  if (!found) {
    found = fetchFn(url).then(async (res) => {
      if (!res.ok) throw new ConfigurationError(`the identity provider's discovery document answered ${res.status} at ${url}`);
      return (await res.json()) as Record<string, unknown>;
    });
    found.catch(() => discoveryCache.delete(url));
    discoveryCache.set(url, found);
  }
  return found;
}

/**
 * The provider's settings from the environment (CDK sets them; the local stack points them at
 * its own provider). Endpoints not given are read from the issuer's discovery document, whose
 * `issuer` must be the configured one.
 */
export async function providerSettings(env: NodeJS.ProcessEnv = process.env, fetchFn: Fetch = fetch, clientSecret?: () => Promise<string | undefined>): Promise<ProviderSettings> {
  const issuer = env.OIDC_ISSUER;
  const clientId = env.OIDC_CLIENT_ID;
  if (!issuer || !clientId) throw new ConfigurationError('set OIDC_ISSUER and OIDC_CLIENT_ID: staff sign-in has no identity provider');
  let authorizationEndpoint = env.OIDC_AUTHORIZATION_ENDPOINT;
  let tokenEndpoint = env.OIDC_TOKEN_ENDPOINT;
  let jwksUri = env.OIDC_JWKS_URI;
  let endSessionEndpoint = env.OIDC_END_SESSION_ENDPOINT;
  if (!authorizationEndpoint || !tokenEndpoint || !jwksUri) {
    const doc = await discover(issuer, fetchFn);
    if (doc.issuer !== issuer) throw new ConfigurationError(`the discovery document names issuer ${String(doc.issuer)}, not ${issuer}`);
    authorizationEndpoint ??= String(doc.authorization_endpoint);
    tokenEndpoint ??= String(doc.token_endpoint);
    jwksUri ??= String(doc.jwks_uri);
    if (!endSessionEndpoint && typeof doc.end_session_endpoint === 'string') endSessionEndpoint = doc.end_session_endpoint;
  }
  return {
    issuer,
    clientId,
    clientSecret: env.OIDC_CLIENT_SECRET || (clientSecret ? await clientSecret() : undefined),
    authorizationEndpoint,
    tokenEndpoint,
    jwksUri,
    rolesClaim: env.OIDC_ROLES_CLAIM || 'roles',
    organisationClaim: env.OIDC_ORGANISATION_CLAIM || 'organisation',
    scope: env.OIDC_SCOPE || 'openid profile email',
    endSession: endSessionEndpoint ? { endpoint: endSessionEndpoint, returnParameter: env.OIDC_END_SESSION_RETURN_PARAMETER || 'post_logout_redirect_uri' } : undefined,
  };
}

/** Where the browser goes to end the provider's session too, coming back to `returnTo`; undefined when the provider has no such endpoint. */
export function endSessionUrl(provider: ProviderSettings, returnTo: string): string | undefined {
  if (!provider.endSession) return undefined;
  const url = new URL(provider.endSession.endpoint);
  url.searchParams.set('client_id', provider.clientId);
  url.searchParams.set(provider.endSession.returnParameter, returnTo);
  return url.toString();
}

export function authorizationUrl(provider: ProviderSettings, attempt: SignInAttempt, redirectUri: string): string {
  const url = new URL(provider.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: redirectUri,
    scope: provider.scope,
    state: attempt.state,
    nonce: attempt.nonce,
    code_challenge: s256(attempt.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

const isStaffRole = (r: string): r is Role => r !== 'public' && (knownRoles as readonly string[]).includes(r);

/**
 * Our roles from the provider's groups claim (an array, or a space/comma separated string):
 * a group that is not one of our role names grants nothing.
 */
export function rolesFromClaims(claims: Record<string, unknown>, claim: string): Role[] {
  const value = claims[claim];
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return [...new Set(names.filter((n): n is string => typeof n === 'string').filter(isStaffRole))];
}
