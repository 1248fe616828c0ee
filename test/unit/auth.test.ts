import { describe, expect, it } from 'vitest';
import { authorise, parseRolesClaim, principalFromClaims } from '#shared/auth';
import { ForbiddenError, UnauthorizedError } from '#shared/errors';

const officersOnly = ['officer', 'tenancy', 'admin'] as const;
const caller = (roles: string) => principalFromClaims({ sub: 'u1', roles });

describe('unit: authorisation by the route\'s declared roles', () => {
  it('reads roles flattened by API Gateway, JSON arrays and plain lists', () => {
    expect(parseRolesClaim('[officer finance]')).toEqual(['officer', 'finance']);
    expect(parseRolesClaim('["officer","admin"]')).toEqual(['officer', 'admin']);
    expect(parseRolesClaim(['tenancy'])).toEqual(['tenancy']);
    expect(parseRolesClaim('officer')).toEqual(['officer']);
    expect(parseRolesClaim('[superuser officer]')).toEqual(['officer']);
    expect(parseRolesClaim(42)).toEqual([]);
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
    expect(principalFromClaims({ roles: '[admin]' })).toBeUndefined();
  });
});
