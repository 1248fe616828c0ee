import { describe, expect, it } from 'vitest';
import { authorise, parseRolesClaim, principalFromClaims, TOKEN_MAX_LIFETIME_SECONDS } from '#shared/auth';
import { ForbiddenError, UnauthorizedError } from '#shared/errors';

const officersOnly = ['officer', 'tenancy', 'admin'] as const;
const NOW = new Date('2024-06-03T09:00:00Z');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
/** Claims as a verified token carries them: issued now, an hour to live. */
const claims = (over: Record<string, unknown> = {}) => ({ sub: 'u1', iat: seconds(NOW), exp: seconds(NOW) + 3600, ...over });
const caller = (roles: unknown) => principalFromClaims(claims({ roles }), NOW);

describe('unit: authorisation by the route\'s declared roles', () => {
  it('reads roles as an array, or as an array API Gateway flattened to "[a b]"', () => {
    expect(parseRolesClaim('[officer finance]')).toEqual(['officer', 'finance']);
    expect(parseRolesClaim('["officer","admin"]')).toEqual(['officer', 'admin']);
    expect(parseRolesClaim(['tenancy'])).toEqual(['tenancy']);
    expect(parseRolesClaim([])).toEqual([]);
    expect(parseRolesClaim('[]')).toEqual([]);
  });

  it('refuses roles that are not an array of known role names, with 401 and a reason', () => {
    for (const roles of ['officer', 'officer finance', '[superuser officer]', ['officer', 'superuser'], [42], 42, { officer: true }, undefined, null]) {
      expect(() => caller(roles), JSON.stringify(roles)).toThrow(UnauthorizedError);
      expect(() => caller(roles), JSON.stringify(roles)).toThrow(/roles/);
    }
  });

  it('refuses a token without exp, with an exp that is not a number, or expired', () => {
    const { exp: _exp, ...noExp } = claims({ roles: ['officer'] });
    expect(() => principalFromClaims(noExp, NOW)).toThrow(/exp/);
    expect(() => principalFromClaims(claims({ roles: ['officer'], exp: 'soon' }), NOW)).toThrow(/exp/);
    expect(() => principalFromClaims(claims({ roles: ['officer'], exp: seconds(NOW) - 1 }), NOW)).toThrow(UnauthorizedError);
  });

  it('caps a token\'s lifetime (12 hours by default), from iat or, without it, from now', () => {
    const cap = TOKEN_MAX_LIFETIME_SECONDS;
    expect(cap).toBe(12 * 3600);
    expect(principalFromClaims(claims({ roles: ['officer'], exp: seconds(NOW) + cap }), NOW)?.roles).toEqual(['officer']);
    expect(() => principalFromClaims(claims({ roles: ['officer'], exp: seconds(NOW) + cap + 1 }), NOW)).toThrow(/lifetime/);
    expect(() => principalFromClaims(claims({ roles: ['officer'], iat: seconds(NOW) - 2 * cap, exp: seconds(NOW) + 60 }), NOW)).toThrow(/lifetime/);
    const { iat: _iat, ...noIat } = claims({ roles: ['officer'], exp: seconds(NOW) + cap + 60 });
    expect(() => principalFromClaims(noIat, NOW)).toThrow(/lifetime/);
    // API Gateway hands claims on as strings.
    expect(principalFromClaims({ sub: 'u1', roles: '[officer]', iat: String(seconds(NOW)), exp: String(seconds(NOW) + 60) }, NOW)?.roles).toEqual(['officer']);
  });

  it('takes the cap from SC_TOKEN_MAX_LIFETIME_SECONDS when it is set', () => {
    process.env.SC_TOKEN_MAX_LIFETIME_SECONDS = '600';
    try {
      expect(() => caller(['officer'])).toThrow(/lifetime/);
    } finally {
      delete process.env.SC_TOKEN_MAX_LIFETIME_SECONDS;
    }
  });

  it('refuses a protected route with 401 without a caller and 403 with the wrong role', () => {
    expect(() => authorise(officersOnly, undefined)).toThrow(UnauthorizedError);
    expect(() => authorise(officersOnly, caller('[finance]'))).toThrow(ForbiddenError);
    expect(authorise(officersOnly, caller('[officer]'))?.roles).toEqual(['officer']);
  });

  it('names the roles a refused caller would need', () => {
    try {
      authorise(officersOnly, caller('[finance]'));
      expect.unreachable();
    } catch (error) {
      expect((error as ForbiddenError).needs).toEqual(officersOnly);
      expect((error as ForbiddenError).message).toContain('officer, tenancy or admin');
    }
  });

  it('lets anyone call a public route', () => {
    expect(authorise('public', undefined)).toBeUndefined();
  });

  it('takes no caller from claims without a subject', () => {
    expect(principalFromClaims({ roles: '[admin]', exp: seconds(NOW) + 60 }, NOW)).toBeUndefined();
    expect(principalFromClaims(undefined, NOW)).toBeUndefined();
  });
});
