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

/**
 * API Gateway's JWT authorizer passes claims as strings, flattening an array claim to
 * "[officer finance]"; a JSON array is accepted too.
 */
export function parseRolesClaim(claim: unknown): Role[] {
  let values: unknown[] = [];
  if (Array.isArray(claim)) values = claim;
  else if (typeof claim === 'string') {
    const trimmed = claim.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        values = Array.isArray(parsed) ? parsed : [];
      } catch {
        values = trimmed.slice(1, -1).split(/[\s,]+/);
      }
    } else values = trimmed.split(/[\s,]+/);
  }
  return values.filter((v): v is string => typeof v === 'string').filter(isRole);
}

/** The caller from verified claims (the gateway's authorizer, or the page stack's own check). */
export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal | undefined {
  if (!claims || typeof claims.sub !== 'string') return undefined;
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
