import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/local/stack';
import type { Role } from '#infra/topology';
import { importFunding } from '../../scripts/import-funding.ts';
import { openTestStreams } from '../support/funding-streams.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

describe('integration: the finance funding pages', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await openTestStreams(stack);
    const token = await stack.token('finance');
    const csv = readFileSync(join(repoRoot, 'docs/funding-csp-2024-25.csv'), 'utf8');
    const hostile = 'type,stream,financialYear,kind,project,amount,reference\nallocation,SS5,2024-25,provisional,,"1,000.00",letter\nspend,SS5,2024-25,,<script>alert(1)</script> & co,"1,250.00",=HYPERLINK("x")\n';
    for (const file of [csv, hostile]) {
      const result = await importFunding({ csv: file, apiUrl: stack.endpoints.gateway, token });
      expect(result.ok).toBe(true);
    }
    await stack.settle();
  });
  afterAll(() => stack.dispose());

  const html = async (path: string, role: Role = 'finance') => {
    const res = await stack.request('GET', path, { role });
    return { status: res.status, type: res.headers.get('content-type'), csp: res.headers.get('content-security-policy'), text: await res.text() };
  };

  it('shows the reported year: balance table, spend chart with its text alternative, and the lines', async () => {
    const page = await html('/finance/funding/CSP/2024-25');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.csp).toContain("style-src 'self'");
    expect(page.text).toContain('CSP 2024-25: £2,512.82 remaining');
    for (const figure of ['£31,335.75', '£4,796.07', '£33,619.00', '£15,462.00', '£10,837.00', '−\u2060£1,320.00']) expect(page.text).toContain(figure);
    expect(page.text).toMatch(/<svg role="img" aria-labelledby="chart-title chart-desc"/);
    expect(page.text).toContain('Funding available: £36,131.82');
    expect(page.text).toContain('By project');
    expect(page.text).toContain('href="/funding/CSP/2024-25?format=csv"');
    expect(page.text).not.toContain('style="');
    expect(page.text).not.toContain('Overspent');
  });

  it('flags an overspent year and shows text from finance only escaped', async () => {
    const page = await html('/finance/funding/SS5/2024-25');
    expect(page.status).toBe(200);
    expect(page.text).toContain('This year is overspent by £250.00');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
  });

  it('lists every stream and year with its balance', async () => {
    const page = await html('/finance/funding', 'officer');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/finance/funding/CSP/2024-25"');
    expect(page.text).toContain('£2,512.82');
    expect(page.text).toContain('Safer Streets Fund (round 5)');
  });

  it('answers an unknown stream or year with a page that says what is wrong', async () => {
    const unknown = await html('/finance/funding/XYZ/2024-25');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('There is no funding stream &quot;XYZ&quot;');
    expect((await html('/finance/funding/CSP/2024-26')).status).toBe(400);
  });

  it.each([undefined, 'public', 'officer', 'tenancy', 'finance', 'partner', 'admin'] as const)('lets only officer, finance and admin see the pages (%s)', async (role) => {
    const expected = role === undefined ? 401 : ['officer', 'finance', 'admin'].includes(role) ? 200 : 403;
    for (const path of ['/finance/funding', '/finance/funding/CSP/2024-25']) {
      const res = await stack.request('GET', path, role ? { role } : {});
      const text = await res.text();
      expect({ path, status: res.status }).toEqual({ path, status: expected });
      if (expected !== 200) expect(text).not.toContain('2,512.82');
    }
  });
});
