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
  return { jwtIssuer: issuer, jwtAudience: audiences, ...(typeof jwksUrl === 'string' ? { jwksUrl } : {}) };
}

/**
 * Settings a council chooses for its deployment (docs/runbook.md, "Deployment settings"):
 * CDK context `settings`, an object of environment variables given to every function, e.g.
 * `{ "SC_COUNCIL_NAME": "…", "CASE_REVIEW_QUALIFYING_COMPLAINTS": "3", "NOTIFY_TEMPLATES": "{…}" }`.
 * Only the families the functions read are accepted, so a typo fails the synth, not a handler.
 */
export const settingPattern = /^(SC_COUNCIL_NAME|SC_COUNCIL_URL|SC_COUNCIL_PHONE|SC_AREA_POSTCODE_DISTRICTS|SC_AREA_BOUNDARY|SC_PUBLIC_URL|CASE_REVIEW_[A-Z_]+|NOTIFY_TEMPLATES|NOTIFICATIONS_TRANSPORT)$/;

export function deploymentSettings(node: Node): Record<string, string> {
  const raw: unknown = node.tryGetContext('settings');
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('context settings must be an object of environment variables');
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => {
      if (!settingPattern.test(name)) throw new Error(`context settings: ${name} is not a setting the functions read (see docs/runbook.md)`);
      return [name, typeof value === 'string' ? value : JSON.stringify(value)];
    }),
  );
}
