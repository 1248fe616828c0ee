import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'constructs';

/** The repository root: topology entries are relative to it, and bundling runs from it. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ApiAuthConfig {
  /** OIDC issuer whose tokens the HTTP API accepts (a Cognito user pool, Entra ID, …). */
  readonly jwtIssuer: string;
  /** Accepted `aud` (or Cognito `client_id`) values. */
  readonly jwtAudience: readonly string[];
  /** Where the issuer publishes its signing keys; by default `<issuer>/.well-known/jwks.json` (Cognito). */
  readonly jwksUrl?: string;
  /** The longest lifetime (exp − iat) a token may have, in seconds; by default 12 hours (functions/shared/auth.ts). */
  readonly tokenMaxLifetimeSeconds?: number;
  /** The service's public address (SC_PUBLIC_URL); by default the HTTP API's own endpoint. */
  readonly publicUrl?: string;
}

/**
 * Deployment settings come from CDK context (cdk.json, or `-c jwtIssuer=…` on the command
 * line), so one codebase serves every council without code changes.
 */
export function apiAuthConfig(node: Node): ApiAuthConfig {
  const issuer: unknown = node.tryGetContext('jwtIssuer');
  const audience: unknown = node.tryGetContext('jwtAudience');
  if (typeof issuer !== 'string' || !/^https:\/\/\S+$/.test(issuer)) {
    throw new Error(`context jwtIssuer must be the https URL of the token issuer, got ${JSON.stringify(issuer)}`);
  }
  const audiences = (Array.isArray(audience) ? audience : String(audience ?? '').split(','))
    .map((a: unknown) => String(a).trim())
    .filter((a) => a.length > 0);
  if (audiences.length === 0) {
    throw new Error('context jwtAudience must name at least one audience (a string, comma-separated, or a list)');
  }
  const jwksUrl: unknown = node.tryGetContext('jwksUrl');
  if (jwksUrl !== undefined && (typeof jwksUrl !== 'string' || !/^https:\/\/\S+$/.test(jwksUrl))) {
    throw new Error(`context jwksUrl must be the https URL of the issuer's JWKS, got ${JSON.stringify(jwksUrl)}`);
  }
  const lifetime: unknown = node.tryGetContext('tokenMaxLifetimeSeconds');
  const lifetimeSeconds = lifetime === undefined ? undefined : Number(lifetime);
  if (lifetimeSeconds !== undefined && !(Number.isInteger(lifetimeSeconds) && lifetimeSeconds > 0)) {
    throw new Error(`context tokenMaxLifetimeSeconds must be a whole number of seconds, got ${JSON.stringify(lifetime)}`);
  }
  const publicUrl: unknown = node.tryGetContext('publicUrl');
  if (publicUrl !== undefined && (typeof publicUrl !== 'string' || !/^https:\/\/[^/\s]+\/?$/.test(publicUrl))) {
    throw new Error(`context publicUrl must be the https address people reach the service at, like https://report.council.gov.uk, got ${JSON.stringify(publicUrl)}`);
  }
  return {
    jwtIssuer: issuer,
    jwtAudience: audiences,
    ...(typeof jwksUrl === 'string' ? { jwksUrl } : {}),
    ...(lifetimeSeconds !== undefined ? { tokenMaxLifetimeSeconds: lifetimeSeconds } : {}),
    ...(typeof publicUrl === 'string' ? { publicUrl: publicUrl.replace(/\/$/, '') } : {}),
  };
}
