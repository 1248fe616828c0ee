import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { authorise, parseRolesClaim, routeAuth } from '#shared/auth';
import { ForbiddenError, UnauthorizedError } from '#shared/errors';
import { topology } from '#infra/topology';

const event = (routeKey: string, claims?: Record<string, unknown>) =>
  ({ routeKey, requestContext: claims ? { authorizer: { jwt: { claims } } } : {} }) as unknown as APIGatewayProxyEventV2;

describe('unit: authorisation from the topology', () => {
  it('reads roles flattened by API Gateway, JSON arrays and plain lists', () => {
    expect(parseRolesClaim('[officer finance]')).toEqual(['officer', 'finance']);
    expect(parseRolesClaim('["officer","admin"]')).toEqual(['officer', 'admin']);
    expect(parseRolesClaim(['tenancy'])).toEqual(['tenancy']);
    expect(parseRolesClaim('officer')).toEqual(['officer']);
    expect(parseRolesClaim('[superuser officer]')).toEqual(['officer']);
    expect(parseRolesClaim(42)).toEqual([]);
  });

  it('has an access rule for every HTTP route in the topology', () => {
    const routes = topology.flatMap((f) => f.triggers.filter((t) => t.kind === 'http'));
    expect(routeAuth.size).toBe(routes.length);
  });

  it('refuses a protected route with 401 without claims and 403 with the wrong role', () => {
    expect(() => authorise(event('GET /reports/{reportId}'))).toThrow(UnauthorizedError);
    expect(() => authorise(event('GET /reports/{reportId}', { sub: 'u1', roles: '[finance]' }))).toThrow(ForbiddenError);
    expect(authorise(event('GET /reports/{reportId}', { sub: 'u1', roles: '[officer]' }))?.roles).toEqual(['officer']);
  });

  it('lets anyone call a public route', () => {
    expect(authorise(event('POST /reports'))).toBeUndefined();
  });

  it('refuses a route the topology does not list', () => {
    expect(() => authorise(event('DELETE /everything', { sub: 'u1', roles: '[admin]' }))).toThrow(ForbiddenError);
  });
});
