import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'constructs';

/** The repository root: topology entries are relative to it, and bundling runs from it. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ApiAuthConfig {
  /**
   * OIDC issuer whose tokens the HTTP API accepts, when it is not the staff sign-in provider
   * itself. Without it the API trusts the provider staff sign in with (the Cognito user pool
   * this deployment makes, or context `oidcIssuer`), in one deployment.
   */
  readonly jwtIssuer?: string;
  /** Accepted `aud` (or Cognito `client_id`) values: with jwtIssuer, at least one; otherwise added to the sign-in client's. */
  readonly jwtAudience: readonly string[];
  /** Where the issuer publishes its signing keys; by default `<issuer>/.well-known/jwks.json` (Cognito). */
  readonly jwksUrl?: string;
  /** The longest lifetime (exp − iat) a token may have, in seconds; by default 12 hours (functions/shared/auth.ts). */
  readonly tokenMaxLifetimeSeconds?: number;
  /** The service's public address (SC_PUBLIC_URL); by default the HTTP API's own endpoint. */
  readonly publicUrl?: string;
}

/** The issuer the HTTP API and the staff pages trust, once the sign-in provider is known. */
export interface TokenTrust {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwksUrl: string;
}

/**
 * Whose tokens the API accepts: context `jwtIssuer` when set (a separate issuer for API
 * clients); otherwise the provider staff sign in with, its client id the audience.
 */
export function tokenTrust(auth: ApiAuthConfig, provider: { readonly issuer: string; readonly clientId: string }): TokenTrust {
  const issuer = auth.jwtIssuer ?? provider.issuer;
  const audience = auth.jwtIssuer !== undefined ? auth.jwtAudience : [provider.clientId, ...auth.jwtAudience.filter((a) => a !== provider.clientId)];
  return { issuer, audience, jwksUrl: auth.jwksUrl ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json` };
}

/**
 * Deployment settings come from CDK context (cdk.json, or `-c jwtIssuer=…` on the command
 * line), so one codebase serves every council without code changes.
 */
export function apiAuthConfig(node: Node): ApiAuthConfig {
  const issuer: unknown = node.tryGetContext('jwtIssuer');
  const audience: unknown = node.tryGetContext('jwtAudience');
  if (issuer !== undefined && (typeof issuer !== 'string' || !/^https:\/\/\S+$/.test(issuer))) {
    throw new Error(`context jwtIssuer must be the https URL of the token issuer, got ${JSON.stringify(issuer)}`);
  }
  const audiences = (Array.isArray(audience) ? audience : String(audience ?? '').split(','))
    .map((a: unknown) => String(a).trim())
    .filter((a) => a.length > 0);
  if (issuer !== undefined && audiences.length === 0) {
    throw new Error('context jwtAudience must name at least one audience (a string, comma-separated, or a list) when jwtIssuer is set');
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
    ...(typeof issuer === 'string' ? { jwtIssuer: issuer } : {}),
    jwtAudience: audiences,
    ...(typeof jwksUrl === 'string' ? { jwksUrl } : {}),
    ...(lifetimeSeconds !== undefined ? { tokenMaxLifetimeSeconds: lifetimeSeconds } : {}),
    ...(typeof publicUrl === 'string' ? { publicUrl: publicUrl.replace(/\/$/, '') } : {}),
  };
}

/**
 * Settings a council chooses for its deployment (docs/runbook.md, "Deployment settings"):
 * CDK context `settings`, an object of environment variables given to every function, e.g.
 * `{ "SC_COUNCIL_NAME": "…", "CASE_REVIEW_QUALIFYING_COMPLAINTS": "3", "NOTIFY_TEMPLATES": "{…}" }`.
 * Only the families the functions read are accepted, so a typo fails the synth, not a handler.
 */
export const settingPattern = /^(SC_COUNCIL_NAME|SC_REPORT_RATE_LIMIT|SC_CASE_REVIEW_RATE_LIMIT|SC_COUNCIL_URL|SC_COUNCIL_PHONE|SC_AREA_POSTCODE_DISTRICTS|SC_AREA_BOUNDARY|SC_PUBLIC_URL|SC_STAFF_DIRECTORY|SC_DUPLICATE_DISTANCE_METRES|SC_DUPLICATE_WITHIN_DAYS|CASE_REVIEW_[A-Z_]+|NOTIFY_TEMPLATES|NOTIFICATIONS_TRANSPORT)$/;

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

/** The stages a deployment can be; `prod` refuses placeholders. */
export const stages = ['dev', 'test', 'prod'] as const;
export type Stage = (typeof stages)[number];

export const defaultRegion = 'eu-west-2';

/** How a new function version takes traffic: CodeDeploy's predefined Lambda configurations. */
export const deploymentStyles = ['canary', 'linear', 'all-at-once'] as const;
export type DeploymentStyle = (typeof deploymentStyles)[number];

/** The public edge: CloudFront and WAF in front of a custom domain (all or nothing). */
export interface EdgeConfig {
  /** The name the public and staff use, e.g. `safer.example-council.gov.uk`. */
  readonly domainName: string;
  /** ACM certificate for domainName in us-east-1 (CloudFront only takes certificates from there). */
  readonly certificateArn: string;
  /**
   * ACM certificate in the stacks' region for `origin.<domainName>`, the API's own custom
   * domain that CloudFront calls (the execute-api endpoint is switched off).
   */
  readonly originCertificateArn: string;
}

export interface DeploymentConfig {
  readonly stage: Stage;
  readonly region: string;
  /** Where alarms go (the on-call inbox). */
  readonly alarmEmail: string | undefined;
  /** Who hears that a funding stream is overspent. */
  readonly financeEmail: string | undefined;
  readonly edge: EdgeConfig | undefined;
  /** In prod, the DISC secret made by hand (never the generated placeholder). */
  readonly discSecretArn: string | undefined;
  readonly deployment: DeploymentStyle;
  /** The whole API's request budget per second, shared out between its routes. */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
}

const placeholder = /REPLACE|EXAMPLE|CHANGEME|TODO|placeholder/i;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const acmArn = (region: string) => new RegExp(`^arn:aws:acm:${region}:\\d{12}:certificate/[0-9a-f-]{36}$`);

function stringContext(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value.trim();
}

function positiveContext(node: Node, key: string, fallback: number): number {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`context ${key} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

function oneOf<T extends string>(node: Node, key: string, allowed: readonly T[], fallback: T): T {
  const value = stringContext(node, key) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`context ${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/**
 * Everything a deployment may change, from CDK context, checked before anything is built. A
 * production synth (`-c stage=prod`) fails while any value is still a placeholder: the token
 * issuer, the DISC secret (prod imports one made by hand, `discSecretArn`) or the alarm e-mail.
 */
export function deploymentConfig(node: Node): DeploymentConfig {
  const stage = oneOf(node, 'stage', stages, 'dev');
  const region = stringContext(node, 'region') ?? defaultRegion;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`context region must be an AWS region such as eu-west-2, got ${JSON.stringify(region)}`);
  const alarmEmail = stringContext(node, 'alarmEmail');
  const financeEmail = stringContext(node, 'financeEmail');
  for (const [key, value] of [['alarmEmail', alarmEmail], ['financeEmail', financeEmail]] as const) {
    if (value !== undefined && !email.test(value)) throw new Error(`context ${key} must be an e-mail address, got ${JSON.stringify(value)}`);
  }
  const discSecretArn = stringContext(node, 'discSecretArn');
  if (discSecretArn !== undefined && !/^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/.test(discSecretArn)) {
    throw new Error(`context discSecretArn must be the complete ARN of a Secrets Manager secret, got ${JSON.stringify(discSecretArn)}`);
  }

  const domainName = stringContext(node, 'domainName');
  const certificateArn = stringContext(node, 'certificateArn');
  const originCertificateArn = stringContext(node, 'originCertificateArn');
  let edge: EdgeConfig | undefined;
  if (domainName !== undefined || certificateArn !== undefined || originCertificateArn !== undefined) {
    if (!domainName || !/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(domainName)) {
      throw new Error(`context domainName must be a DNS name such as safer.example-council.gov.uk, got ${JSON.stringify(domainName)}`);
    }
    if (!certificateArn || !acmArn('us-east-1').test(certificateArn)) {
      throw new Error('context certificateArn must be an ACM certificate in us-east-1 for domainName (CloudFront takes no other region)');
    }
    if (!originCertificateArn || !acmArn(region).test(originCertificateArn)) {
      throw new Error(`context originCertificateArn must be an ACM certificate in ${region} for origin.${domainName}`);
    }
    edge = { domainName, certificateArn, originCertificateArn };
  }

  const config: DeploymentConfig = {
    stage,
    region,
    alarmEmail,
    financeEmail,
    edge,
    discSecretArn,
    deployment: oneOf(node, 'deployment', deploymentStyles, stage === 'prod' ? 'canary' : 'all-at-once'),
    apiRateLimit: positiveContext(node, 'apiRateLimit', 400),
    apiBurstLimit: positiveContext(node, 'apiBurstLimit', 800),
  };
  if (stage === 'prod') refusePlaceholders(config, apiAuthConfig(node));
  return config;
}

/** Warning id for a value a non-production synth still takes from a placeholder. */
export const placeholderWarning = 'safer-communities:placeholder';

/**
 * What a dev or test synth still takes from a placeholder, said loudly (a CDK warning on the
 * stack, shown by `cdk synth` and `cdk deploy`); a prod synth refuses them instead.
 */
export function placeholderWarnings(config: DeploymentConfig, auth: ApiAuthConfig): { readonly disc: string[]; readonly auth: string[] } {
  return {
    disc: config.discSecretArn
      ? []
      : [
          `PLACEHOLDER DISC SECRET: no discSecretArn, so this ${config.stage} deployment makes a DISC secret whose webhookSecret is a placeholder; DISC webhooks cannot be trusted until it is set by hand. A prod synth refuses this.`,
        ],
    auth: auth.jwtIssuer !== undefined && placeholder.test(auth.jwtIssuer)
      ? [`PLACEHOLDER TOKEN ISSUER: jwtIssuer ${auth.jwtIssuer} is a placeholder, so no staff token will be accepted. A prod synth refuses this.`]
      : [],
  };
}

/** Every reason a production deployment would start broken, all at once. */
function refusePlaceholders(config: DeploymentConfig, auth: ApiAuthConfig): void {
  const problems: string[] = [];
  if (auth.jwtIssuer !== undefined && placeholder.test(auth.jwtIssuer)) problems.push(`jwtIssuer is a placeholder (${auth.jwtIssuer}): set the real token issuer`);
  if (!config.alarmEmail || placeholder.test(config.alarmEmail) || /@example\./i.test(config.alarmEmail)) {
    problems.push('alarmEmail is missing or a placeholder: set the on-call inbox');
  }
  if (!config.discSecretArn) {
    problems.push('discSecretArn is missing: create the DISC secret by hand (webhookSecret agreed with DISC, a random subjectKey) and pass its ARN');
  }
  if (config.financeEmail !== undefined && (placeholder.test(config.financeEmail) || /@example\./i.test(config.financeEmail))) {
    problems.push('financeEmail is a placeholder');
  }
  if (problems.length > 0) throw new Error(`refusing a production synth:\n  - ${problems.join('\n  - ')}`);
}
