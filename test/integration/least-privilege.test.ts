import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology, type FunctionSpec } from '#infra/topology';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * The local stack holds each function to the key families its capability.ts declares, as its
 * AWS role does: here the reports API is started declaring REPORT but not REPORTS (the gsi1
 * family it lists through), and listing reports fails while reading one still works.
 */
describe('local least privilege on a running stack', () => {
  let stack: TestStack;
  const narrowed: readonly FunctionSpec[] = topology.map((spec) =>
    spec.name === 'ReportsApi' ? { ...spec, keyPrefixes: { main: ['REPORT'] } } : spec,
  );

  beforeAll(async () => {
    stack = await startTestStack({ functions: narrowed });
  });
  afterAll(async () => stack?.dispose());

  it('refuses a listing through a gsi1 family the function does not declare', async () => {
    const list = await stack.request('GET', '/reports', { role: 'officer' });
    expect(list.status).toBe(500);
    const one = await stack.request('GET', '/reports/no-such-report', { role: 'officer' });
    expect(one.status).toBe(404);
  });
});
