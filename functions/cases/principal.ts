import type { Principal } from '#shared/auth';
import { UnauthorizedError } from '#shared/errors';

/** Routes that are not public always have a principal (http.ts authorises first); this narrows the type. */
export function signedIn(principal: Principal | undefined): Principal {
  if (!principal) throw new UnauthorizedError('sign in: this needs a bearer token');
  return principal;
}
