import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, topology, type Role } from '#infra/topology';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * Every protected route in the topology, called with no token and as every role: roles the
 * route does not list get 401/403 and a body that says nothing about the resource; listed
 * roles get past authorisation (any other answer: 2xx, or a 4xx about the request itself).
 */
const routes = topology.flatMap((fn) => fn.triggers.flatMap((t) => (t.kind === 'http' && t.auth !== 'public' ? [t] : [])));
const concrete = (path: string) => path.replace(/\{(\w+)\+?\}/g, (_, name: string) => `probe-${name}`);

describe('integration: who may call each route', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.dispose());

  it('covers every protected route', () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  /**
   * The public's pages about a report (its progress by reference, the privacy notice): anyone
   * may read them, with or without a token, whatever its roles, and a token changes nothing.
   */
  const publicReads = ['/status', '/status/{reference}', '/privacy'];
  it('declares the public report pages as public', () => {
    const declared = topology.flatMap((fn) => fn.triggers.flatMap((t) => (t.kind === 'http' && publicReads.includes(t.path) ? [t] : [])));
    expect(declared.map((t) => [t.method, t.path, t.auth])).toEqual(expect.arrayContaining(publicReads.map((p) => ['GET', p, 'public'])));
    expect(declared).toHaveLength(publicReads.length);
  });
  for (const path of publicReads) {
    it(`GET ${path}: the same answer without a token and for every role`, async () => {
      const call = async (role?: Role) => {
        const res = await stack.request('GET', concrete(path), { ...(role ? { role } : {}), headers: { accept: 'text/html' } });
        return [res.status, (await res.text()).includes('<h1')];
      };
      const anonymous = await call();
      expect([200, 404]).toContain(anonymous[0]);
      for (const role of roles) expect(await call(role), role).toEqual(anonymous);
    });
  }

  for (const route of routes) {
    const allowed = route.auth as readonly Role[];
    it(`${route.method} ${route.path}: 401 without a token, 403 for ${roles.filter((r) => !allowed.includes(r)).join(', ') || 'nobody'}`, async () => {
      const call = (role?: Role) =>
        stack.request(route.method, concrete(route.path), { ...(role ? { role } : {}), ...(route.method === 'GET' ? {} : { json: {} }) });
      expect((await call()).status).toBe(401);
      for (const role of roles) {
        const res = await call(role);
        if (allowed.includes(role)) {
          expect([401, 403], `${role} is listed for ${route.method} ${route.path}`).not.toContain(res.status);
        } else {
          expect(res.status, `${role} on ${route.method} ${route.path}`).toBe(403);
          expect(await res.text()).not.toContain('probe-');
        }
      }
    });
  }
});
