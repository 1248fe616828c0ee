import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { importJWK, SignJWT } from 'jose';
import type { Role } from '../topology.ts';
import { publicKeys, signingKey } from './auth.ts';

/**
 * A small, real OpenID provider for `npm start`: discovery, an authorize endpoint whose page
 * lets you choose which demo member of staff you are, a token endpoint that checks the client,
 * the redirect URI and the PKCE verifier (S256 only), the JWKS, and sign-out (RP-initiated logout). ID tokens are signed with
 * the local token issuer's key. It plays the part Cognito (or the council's Entra ID) plays on AWS.
 */
export interface DemoStaff {
  readonly username: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly organisation?: string;
}

export const demoStaff: readonly DemoStaff[] = [
  { username: 'olivia.officer', name: 'Olivia Officer', roles: ['officer'] },
  { username: 'tom.tenancy', name: 'Tom Tenancy', roles: ['tenancy'] },
  { username: 'fiona.finance', name: 'Fiona Finance', roles: ['finance'] },
  { username: 'pat.police', name: 'Pat Police (partner)', roles: ['partner'], organisation: 'police' },
  { username: 'ada.admin', name: 'Ada Admin', roles: ['admin'] },
];

export const OIDC_BASE_PATH = '/oidc';
export const LOCAL_CLIENT_ID = 'safer-communities-staff';

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly nonce: string | undefined;
  readonly user: DemoStaff;
  readonly expires: number;
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const b64urlSha256 = (value: string) => createHash('sha256').update(value, 'ascii').digest('base64url');

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export interface LocalProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Answers the request when it is for the provider; false leaves it to the gateway. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

export function createLocalProvider(options: {
  stateDir: string;
  origin: string;
  clientSecret: string;
  redirectUris: readonly string[];
  /** Where the provider may send a browser back after signing out (RP-initiated logout). */
  postLogoutRedirectUris: readonly string[];
}): LocalProvider {
  const issuer = `${options.origin}${OIDC_BASE_PATH}`;
  const codes = new Map<string, PendingCode>();
  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: string) => {
    res.writeHead(status, { 'cache-control': 'no-store', ...headers });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, { 'content-type': 'application/json' }, JSON.stringify(body));
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) => json(res, status, { error, error_description: description });
  const page = (res: ServerResponse, status: number, title: string, body: string) =>
    send(
      res,
      status,
      { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; form-action 'self'; style-src 'unsafe-inline'" },
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}button{font-size:1rem;margin:.25em 0;padding:.5em 1em}</style></head><body><main>${body}</main></body></html>`,
    );

  /** The authorization request's own checks: a known client, its registered redirect URI, PKCE S256. */
  const checkRequest = (params: URLSearchParams): string | undefined => {
    if (params.get('client_id') !== LOCAL_CLIENT_ID) return 'unknown client_id';
    if (!options.redirectUris.includes(params.get('redirect_uri') ?? '')) return 'redirect_uri is not registered for this client';
    if (params.get('response_type') !== 'code') return 'response_type must be code';
    if (params.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')) return 'a PKCE S256 code_challenge is required';
    if (!(params.get('scope') ?? '').split(' ').includes('openid')) return 'scope must include openid';
    return undefined;
  };
  /**
   * RP-initiated logout. This provider keeps no session of its own (its page asks who you are
   * every time), so there is nothing to end here; it checks the request as a real provider does
   * (a known client, a registered address to come back to) and sends the browser back.
   */
  const logout = (res: ServerResponse, url: URL) => {
    const back = url.searchParams.get('post_logout_redirect_uri') ?? '';
    if (url.searchParams.get('client_id') !== LOCAL_CLIENT_ID) return page(res, 400, 'Sign-out request refused', '<h1>Sign-out request refused</h1><p>unknown client_id</p>');
    if (!options.postLogoutRedirectUris.includes(back)) {
      return page(res, 400, 'Sign-out request refused', '<h1>Sign-out request refused</h1><p>post_logout_redirect_uri is not registered for this client</p>');
    }
    return send(res, 302, { location: back }, '');
  };
  const passOn = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method'];

  const authorizePage = (res: ServerResponse, params: URLSearchParams) => {
    const hidden = passOn.map((k) => (params.get(k) !== null ? `<input type="hidden" name="${k}" value="${html(params.get(k) ?? '')}">` : '')).join('');
    const people = demoStaff
      .map((p) => `<li><form method="post" action="${OIDC_BASE_PATH}/authorize">${hidden}<input type="hidden" name="username" value="${html(p.username)}"><button type="submit">${html(p.name)}</button> <span>(${html(p.roles.join(', '))})</span></form></li>`)
      .join('');
    page(res, 200, 'Choose who you are', `<h1>Local sign-in: choose who you are</h1><p>This is the local identity provider of <code>npm start</code>. On AWS this is the council's sign-in.</p><ul>${people}</ul>`);
  };

  const authorize = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const params = req.method === 'POST' ? await formOf(req) : url.searchParams;
    const problem = checkRequest(params);
    // Never redirect to an unchecked address: a bad request is answered here, as the spec says.
    if (problem) return page(res, 400, 'Sign-in request refused', `<h1>Sign-in request refused</h1><p>${html(problem)}</p>`);
    if (req.method !== 'POST') return authorizePage(res, params);
    const user = demoStaff.find((p) => p.username === params.get('username'));
    if (!user) return authorizePage(res, params);
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      clientId: LOCAL_CLIENT_ID,
      redirectUri: params.get('redirect_uri') ?? '',
      challenge: params.get('code_challenge') ?? '',
      nonce: params.get('nonce') ?? undefined,
      user,
      expires: Date.now() + 60_000,
    });
    const back = new URL(params.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    if (params.get('state') !== null) back.searchParams.set('state', params.get('state') ?? '');
    return send(res, 302, { location: back.toString() }, '');
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await formOf(req);
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
    if (id !== LOCAL_CLIENT_ID || !secret || !same(secret, options.clientSecret)) return oauthError(res, 401, 'invalid_client', 'client authentication failed');
    if (form.get('grant_type') !== 'authorization_code') return oauthError(res, 400, 'unsupported_grant_type', 'only authorization_code');
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code); // a code is good once, whatever happens next
    if (!pending || pending.expires < Date.now() || pending.clientId !== id) return oauthError(res, 400, 'invalid_grant', 'the code is unknown, used or expired');
    if (form.get('redirect_uri') !== pending.redirectUri) return oauthError(res, 400, 'invalid_grant', 'redirect_uri differs from the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || !same(b64urlSha256(verifier), pending.challenge)) {
      return oauthError(res, 400, 'invalid_grant', 'the PKCE code_verifier does not match the code_challenge');
    }
    const jwk = await signingKey(options.stateDir);
    const key = await importJWK(jwk, 'ES256');
    const { user } = pending;
    const idToken = await new SignJWT({
      name: user.name,
      preferred_username: user.username,
      roles: [...user.roles],
      ...(user.organisation ? { organisation: user.organisation } : {}),
      ...(pending.nonce ? { nonce: pending.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid ?? 'local' })
      .setIssuer(issuer)
      .setAudience(LOCAL_CLIENT_ID)
      .setSubject(`local-${user.username}`)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);
    return json(res, 200, { token_type: 'Bearer', id_token: idToken, access_token: randomBytes(32).toString('base64url'), expires_in: 600 });
  };

  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    clientSecret: options.clientSecret,
    async handle(req, res, url) {
      if (!url.pathname.startsWith(`${OIDC_BASE_PATH}/`)) return false;
      const path = url.pathname.slice(OIDC_BASE_PATH.length);
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'GET' && path === '/.well-known/openid-configuration') {
        json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks.json`,
          end_session_endpoint: `${issuer}/logout`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['ES256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['openid', 'profile', 'email'],
          claims_supported: ['sub', 'name', 'preferred_username', 'roles', 'organisation', 'nonce'],
        });
      } else if (method === 'GET' && path === '/jwks.json') json(res, 200, await publicKeys(options.stateDir));
      else if ((method === 'GET' || method === 'POST') && path === '/authorize') await authorize(req, res, url);
      else if (method === 'POST' && path === '/token') await token(req, res);
      else if (method === 'GET' && path === '/logout') logout(res, url);
      else json(res, 404, { error: 'not_found' });
      return true;
    },
  };
}
