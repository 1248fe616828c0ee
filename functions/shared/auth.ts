import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { roles, topology, type Role } from '#infra/topology';
import { ForbiddenError, UnauthorizedError } from './errors.ts';

export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** A partner's organisation: partners see only what is shared with it. */
  readonly organisation?: string;
}

type RouteAuth = 'public' | readonly Role[];

/** routeKey ("GET /reports/{reportId}") → who may call it, straight from the topology. */
export const routeAuth: ReadonlyMap<string, RouteAuth> = new Map(
  topology.flatMap((fn) =>
    fn.triggers.flatMap((t) => (t.kind === 'http' ? [[`${t.method} ${t.path}`, t.auth] as const] : [])),
  ),
);

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

export function principalOf(event: APIGatewayProxyEventV2): Principal | undefined {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt
    ?.claims;
  if (!claims || typeof claims.sub !== 'string') return undefined;
  const organisation = typeof claims.organisation === 'string' ? claims.organisation : undefined;
  return { subject: claims.sub, roles: parseRolesClaim(claims.roles), ...(organisation ? { organisation } : {}) };
}

/** 401 without a verified identity, 403 when none of its roles may use the route. */
export function authorise(event: APIGatewayProxyEventV2): Principal | undefined {
  const auth = routeAuth.get(event.routeKey);
  if (auth === undefined) throw new ForbiddenError(`no access rule for route ${event.routeKey}`);
  if (auth === 'public') return principalOf(event);
  const principal = principalOf(event);
  if (!principal) throw new UnauthorizedError('sign in: this needs a bearer token');
  if (!principal.roles.some((r) => auth.includes(r))) {
    throw new ForbiddenError('your role does not allow this');
  }
  return principal;
}
