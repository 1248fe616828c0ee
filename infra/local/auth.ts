import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { roles, type Role } from '../topology.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from './settings.ts';

/**
 * The local stack's token issuer. It plays the part a Cognito user pool plays on AWS: the
 * gateway verifies tokens as API Gateway's JWT authorizer does and hands the claims on.
 */
const keyFile = (stateDir: string) => join(stateDir, 'auth', 'signing-key.jwk.json');

async function loadOrCreateKey(stateDir: string): Promise<JWK> {
  const file = keyFile(stateDir);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: `local-${Date.now()}` };
  mkdirSync(join(stateDir, 'auth'), { recursive: true });
  writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

/** The issuer's private signing key (the local OpenID provider signs ID tokens with it too). */
export const signingKey = (stateDir: string): Promise<JWK> => loadOrCreateKey(stateDir);

export interface TokenOptions {
  subject?: string;
  organisation?: string;
  expiresIn?: string;
}

export async function issueToken(stateDir: string, tokenRoles: readonly Role[], options: TokenOptions = {}) {
  return signToken(
    stateDir,
    { roles: [...tokenRoles], sub: options.subject ?? `local-${tokenRoles.join('-')}`, ...(options.organisation ? { organisation: options.organisation } : {}) },
    { expiresIn: options.expiresIn ?? '12h' },
  );
}

/**
 * Signs any claims with the local issuer's key, issuer and audience: tests use it to present
 * tokens the issuer would never hand out (no exp, a month's lifetime, odd roles).
 */
export async function signToken(stateDir: string, claims: JWTPayload, options: { expiresIn: string | false }) {
  const jwk = await loadOrCreateKey(stateDir);
  const key = await importJWK(jwk, 'ES256');
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: jwk.kid }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt();
  return (options.expiresIn === false ? jwt : jwt.setExpirationTime(options.expiresIn)).sign(key);
}

/** Where the local gateway serves the issuer's public keys (Cognito serves them at the same path). */
export const LOCAL_JWKS_PATH = '/.well-known/jwks.json';

/** The issuer's public signing keys as a JWKS document. */
export async function publicKeys(stateDir: string) {
  const { d: _private, ...publicJwk } = await loadOrCreateKey(stateDir);
  return { keys: [publicJwk] };
}

/** The local gateway's authorizer: signature, issuer, audience and a required, unexpired `exp`, as API Gateway's JWT authorizer checks. */
export async function createVerifier(stateDir: string) {
  const { d: _private, ...publicJwk } = await loadOrCreateKey(stateDir);
  const key = await importJWK(publicJwk, 'ES256');
  return async (token: string): Promise<JWTPayload | undefined> => {
    try {
      const { payload } = await jwtVerify(token, key, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, requiredClaims: ['exp'] });
      return payload;
    } catch {
      return undefined;
    }
  };
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/**
 * A secret kept in the state directory, created on first use, so values derived from it
 * (DISC subject refs, webhook signatures) stay stable across restarts.
 */
export function localSecret(stateDir: string, name: string): string {
  const file = join(stateDir, 'auth', `${name}.secret`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(join(stateDir, 'auth'), { recursive: true });
  const value = randomBytes(32).toString('hex');
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}
