import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

/**
 * Verifies a bearer token the way API Gateway's JWT authorizer does (issuer, audience,
 * signature from the issuer's JWKS, an `exp` that has not passed), for page routes; the
 * lifetime cap and the roles are then checked as for every caller (auth.ts). The gateway cannot answer a
 * person with a page, so pages check the token themselves. Settings come from the
 * environment (CDK sets them from the same context as the authorizer; the local runtime
 * points them at its own issuer).
 */
let keys: JWTVerifyGetKey | undefined;

export async function verifyBearer(token: string): Promise<Record<string, unknown> | undefined> {
  const issuer = process.env.AUTH_ISSUER;
  const audience = process.env.AUTH_AUDIENCE?.split(',').filter(Boolean);
  const jwks = process.env.AUTH_JWKS_URL;
  if (!issuer || !audience?.length || !jwks) return undefined;
  keys ??= createRemoteJWKSet(new URL(jwks));
  try {
    const { payload } = await jwtVerify(token, keys, { issuer, requiredClaims: ['exp'] });
    return audienceAccepted(payload, audience) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The audience check of API Gateway's JWT authorizer: `aud` (a string or a list) names one of
 * the accepted audiences; a token without `aud` (a Cognito access token) is judged by its
 * `client_id` instead.
 */
export function audienceAccepted(payload: Record<string, unknown>, audience: readonly string[]): boolean {
  const { aud, client_id: clientId } = payload;
  if (aud !== undefined) return (Array.isArray(aud) ? aud : [aud]).some((a) => typeof a === 'string' && audience.includes(a));
  return typeof clientId === 'string' && audience.includes(clientId);
}
