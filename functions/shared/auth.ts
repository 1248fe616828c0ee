import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { roles, type Role, type RouteAuth } from './wiring.ts';
import { ForbiddenError, UnauthorizedError } from './errors.ts';

export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** A partner's organisation: partners see only what is shared with it. */
  readonly organisation?: string;
}

const isRole = (r: string): r is Role => (roles as readonly string[]).includes(r);

/** The longest a token may live (exp − iat), unless SC_TOKEN_MAX_LIFETIME_SECONDS says otherwise: 12 hours, a script's working day. */
export const TOKEN_MAX_LIFETIME_SECONDS = 12 * 3600;

export function tokenMaxLifetimeSeconds(): number {
  const raw = process.env.SC_TOKEN_MAX_LIFETIME_SECONDS;
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : TOKEN_MAX_LIFETIME_SECONDS;
}

const refused = (why: string) => new UnauthorizedError(`this token cannot be used: ${why}; ask for a new one`);

/**
 * The roles claim: an array of known role names. API Gateway's JWT authorizer hands an array
 * claim on flattened to "[officer finance]", so a bracketed string is read as that array; a
 * bare string, an unknown name or anything else is refused (401), never silently trimmed.
 */
export function parseRolesClaim(claim: unknown): Role[] {
  let values: unknown[];
  if (Array.isArray(claim)) values = claim;
  else if (typeof claim === 'string' && /^\[.*\]$/s.test(claim.trim())) {
    const inner = claim.trim();
    try {
      const parsed: unknown = JSON.parse(inner);
      values = Array.isArray(parsed) ? parsed : [];
    } catch {
      values = inner.slice(1, -1).split(/\s+/).filter(Boolean);
    }
  } else throw refused('its roles claim must be an array of role names');
  const unknown = values.filter((v) => typeof v !== 'string' || !isRole(v));
  if (unknown.length) throw refused(`its roles claim names ${unknown.length === 1 ? 'a role' : 'roles'} this service does not know (the roles are ${roles.join(', ')})`);
  return values as Role[];
}

/** A NumericDate claim: a number of seconds, or its decimal string as API Gateway passes it on. */
const numericDate = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Checks a verified token's claims, the one check every caller passes (API routes with the
 * claims API Gateway's authorizer hands on, pages with those the stack verified itself):
 * `exp` is required and not past, the lifetime (exp − iat, or exp − now without iat) is at
 * most the cap, and roles is an array of known role names. Anything else is a 401 that says
 * what is wrong with the token.
 */
export function checkTokenClaims(claims: Record<string, unknown>, now: Date = new Date()): void {
  const exp = numericDate(claims.exp);
  if (exp === undefined) throw refused('it has no expiry (exp)');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (exp <= nowSeconds) throw refused('it has expired');
  const iat = numericDate(claims.iat);
  const cap = tokenMaxLifetimeSeconds();
  if (exp - (iat ?? nowSeconds) > cap) throw refused(`its lifetime is longer than the ${cap / 3600} hours this service accepts`);
  parseRolesClaim(claims.roles);
}

/** The caller from verified claims (the gateway's authorizer, or the page stack's own check); 401 for claims that break the rules. */
export function principalFromClaims(claims: Record<string, unknown> | undefined, now: Date = new Date()): Principal | undefined {
  if (!claims || typeof claims.sub !== 'string') return undefined;
  checkTokenClaims(claims, now);
  const organisation = typeof claims.organisation === 'string' ? claims.organisation : undefined;
  return { subject: claims.sub, roles: parseRolesClaim(claims.roles), ...(organisation ? { organisation } : {}) };
}

export function principalOf(event: APIGatewayProxyEventV2): Principal | undefined {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt
    ?.claims;
  return principalFromClaims(claims);
}

const listed = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`;

/**
 * 401 without a verified identity, 403 when none of its roles may use the route. The rule is
 * the route's own, from its function's declaration.
 */
export function authorise(auth: RouteAuth, principal: Principal | undefined): Principal | undefined {
  if (auth === 'public') return principal;
  if (!principal) throw new UnauthorizedError('sign in to use this: it is for council staff and partners');
  if (!principal.roles.some((r) => auth.includes(r))) {
    throw new ForbiddenError(`this needs the ${listed(auth)} role; you are signed in as ${listed(principal.roles) || 'no role'}`, undefined, {
      needs: auth,
    });
  }
  return principal;
}
