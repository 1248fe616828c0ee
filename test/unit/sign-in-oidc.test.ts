import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizationUrl, endSessionUrl, isVerifier, newAttempt, providerSettings, rolesFromClaims, s256, safeReturnTo } from '../../functions/sign-in/oidc.ts';

describe('sign-in: PKCE, state and nonce', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a fresh verifier, state and nonce each time, each 256 bits', () => {
    const a = newAttempt('/x');
    const b = newAttempt('/x');
    expect(isVerifier(a.verifier)).toBe(true);
    expect(a.verifier).toHaveLength(43);
    expect(new Set([a.state, a.nonce, a.verifier, b.state, b.nonce, b.verifier]).size).toBe(6);
  });

  it('rejects verifiers too short, too long or with other characters', () => {
    expect(isVerifier('a'.repeat(42))).toBe(false);
    expect(isVerifier('a'.repeat(129))).toBe(false);
    expect(isVerifier(`${'a'.repeat(42)}+`)).toBe(false);
    expect(isVerifier('a'.repeat(128))).toBe(true);
  });

  it('asks for the code with the challenge (never the verifier), state, nonce and redirect URI', () => {
    const attempt = newAttempt('/officer/cases');
    const url = new URL(
      authorizationUrl(
        { issuer: 'https://idp', clientId: 'c', clientSecret: 's', authorizationEndpoint: 'https://idp/authorize', tokenEndpoint: '', jwksUri: '', rolesClaim: 'roles', organisationClaim: 'org', scope: 'openid', endSession: undefined },
        attempt,
        'https://site/sign-in/callback',
      ),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'c',
      redirect_uri: 'https://site/sign-in/callback',
      scope: 'openid',
      state: attempt.state,
      nonce: attempt.nonce,
      code_challenge: createHash('sha256').update(attempt.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(url.toString()).not.toContain(attempt.verifier);
  });
});

describe('sign-in: where to go back to', () => {
  it.each([
    ['/officer/triage', '/officer/triage'],
    ['/officer/cases?status=open&page=2', '/officer/cases?status=open&page=2'],
    ['/officer/../finance/funding', '/finance/funding'],
    // Encoded line breaks stay encoded in the Location header: no header injection.
    ['/%0d%0aSet-Cookie:x', '/%0d%0aSet-Cookie:x'],
  ])('keeps a path on this site: %s', (given, kept) => {
    expect(safeReturnTo(given)).toBe(kept);
  });

  it.each([
    undefined,
    '',
    'officer/triage',
    '//evil.example/x',
    '/\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/ok\r\nLocation: https://evil.example',
    '/sign-in?returnTo=/x',
    '/sign-in/callback?code=1',
    '/sign-out',
    '/signed-out',
    `/${'a'.repeat(2001)}`,
  ])('falls back to the triage queue for %s', (given) => {
    expect(safeReturnTo(given)).toBe('/officer/triage');
  });
});

describe('sign-in: roles from the provider', () => {
  it('maps the groups claim to known staff roles only', () => {
    expect(rolesFromClaims({ 'cognito:groups': ['officer', 'finance', 'everyone', 'public'] }, 'cognito:groups')).toEqual(['officer', 'finance']);
    expect(rolesFromClaims({ roles: 'tenancy admin' }, 'roles')).toEqual(['tenancy', 'admin']);
    expect(rolesFromClaims({ roles: ['Officer', 'officer', 'officer'] }, 'roles')).toEqual(['officer']);
    expect(rolesFromClaims({}, 'roles')).toEqual([]);
    expect(rolesFromClaims({ roles: { officer: true } }, 'roles')).toEqual([]);
  });
});

describe('sign-in: provider settings', () => {
  it('needs an issuer and a client id', async () => {
    await expect(providerSettings({})).rejects.toThrow(/OIDC_ISSUER and OIDC_CLIENT_ID/);
  });

  it('refuses a discovery document for another issuer', async () => {
    const fakeFetch = (async () => new Response(JSON.stringify({ issuer: 'https://other', authorization_endpoint: 'a', token_endpoint: 't', jwks_uri: 'j' }))) as typeof fetch;
    await expect(providerSettings({ OIDC_ISSUER: 'https://idp-unit-1', OIDC_CLIENT_ID: 'c' }, fakeFetch)).rejects.toThrow(/names issuer https:\/\/other/);
  });

  it('reads the endpoints from discovery, and the groups claim from settings', async () => {
    const doc = { issuer: 'https://idp-unit-2', authorization_endpoint: 'https://idp-unit-2/a', token_endpoint: 'https://idp-unit-2/t', jwks_uri: 'https://idp-unit-2/j' };
    const fakeFetch = (async () => new Response(JSON.stringify(doc))) as typeof fetch;
    const settings = await providerSettings({ OIDC_ISSUER: 'https://idp-unit-2', OIDC_CLIENT_ID: 'c', OIDC_ROLES_CLAIM: 'cognito:groups' }, fakeFetch);
    expect(settings).toMatchObject({ authorizationEndpoint: doc.authorization_endpoint, tokenEndpoint: doc.token_endpoint, jwksUri: doc.jwks_uri, rolesClaim: 'cognito:groups' });
    expect(settings.endSession).toBeUndefined();
  });

  it('ends the provider\'s session at its discovered end_session_endpoint, coming back by post_logout_redirect_uri', async () => {
    const doc = { issuer: 'https://idp-unit-3', authorization_endpoint: 'a', token_endpoint: 't', jwks_uri: 'j', end_session_endpoint: 'https://idp-unit-3/logout?tenant=x' };
    const settings = await providerSettings({ OIDC_ISSUER: 'https://idp-unit-3', OIDC_CLIENT_ID: 'c 1' }, (async () => new Response(JSON.stringify(doc))) as typeof fetch);
    const url = new URL(endSessionUrl(settings, 'https://site/signed-out') ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://idp-unit-3/logout');
    expect(Object.fromEntries(url.searchParams)).toEqual({ tenant: 'x', client_id: 'c 1', post_logout_redirect_uri: 'https://site/signed-out' });
  });

  it('takes Cognito\'s /logout and its logout_uri from settings, without discovery', async () => {
    const settings = await providerSettings({
      OIDC_ISSUER: 'https://cognito-idp.eu-west-2.amazonaws.com/pool',
      OIDC_CLIENT_ID: 'c',
      OIDC_AUTHORIZATION_ENDPOINT: 'https://sc.auth.eu-west-2.amazoncognito.com/oauth2/authorize',
      OIDC_TOKEN_ENDPOINT: 'https://sc.auth.eu-west-2.amazoncognito.com/oauth2/token',
      OIDC_JWKS_URI: 'https://cognito-idp.eu-west-2.amazonaws.com/pool/.well-known/jwks.json',
      OIDC_END_SESSION_ENDPOINT: 'https://sc.auth.eu-west-2.amazoncognito.com/logout',
      OIDC_END_SESSION_RETURN_PARAMETER: 'logout_uri',
    }, (async () => {
      throw new Error('no discovery expected');
    }) as typeof fetch);
    expect(endSessionUrl(settings, 'https://site/signed-out')).toBe('https://sc.auth.eu-west-2.amazoncognito.com/logout?client_id=c&logout_uri=https%3A%2F%2Fsite%2Fsigned-out');
  });

  it('has no provider sign-out when the provider publishes none', () => {
    expect(endSessionUrl({ issuer: 'i', clientId: 'c', clientSecret: undefined, authorizationEndpoint: 'a', tokenEndpoint: 't', jwksUri: 'j', rolesClaim: 'r', organisationClaim: 'o', scope: 'openid', endSession: undefined }, 'https://site/signed-out')).toBeUndefined();
  });
});
