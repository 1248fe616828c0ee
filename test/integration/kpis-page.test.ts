import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '#infra/topology';
import { kpiLabels } from '../../functions/kpis/model.ts';
import { rowOf, seedKpiEvents } from '../support/kpi-seed.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

describe('integration: the KPI dashboard on the local stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedKpiEvents(stack);
  });
  afterAll(() => stack.dispose());

  const html = async (query: string, role: Role | null = 'officer', headers: Record<string, string> = { accept: 'text/html' }) => {
    const res = await stack.request('GET', `/officer/kpis${query}`, { ...(role ? { role } : {}), headers });
    return { status: res.status, type: res.headers.get('content-type'), csp: res.headers.get('content-security-policy'), text: await res.text() };
  };

  it('shows a month beside the month before, counted by London date, with the tenancy table, NM01 and charts', async () => {
    const page = await html('?period=month&month=2024-05');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.csp).toContain("style-src 'self'");
    expect(page.text).toContain('<h1 class="govuk-heading-l">KPIs for May 2024</h1>');
    expect(page.text).toContain('Compared with April 2024, the period of the same length just before it.');
    expect(rowOf(page.text, kpiLabels.cpw_issued)).toEqual([kpiLabels.cpw_issued, '3', '5', 'down 2']);
    expect(rowOf(page.text, kpiLabels.asb_cases_investigated)).toEqual([kpiLabels.asb_cases_investigated, '1', '0', 'up 1']);
    expect(rowOf(page.text, kpiLabels.pct_cases_referred_from_housing)).toEqual([kpiLabels.pct_cases_referred_from_housing, '50.0%', 'Not available: no cases were opened', 'Cannot compare']);
    expect(rowOf(page.text, kpiLabels.total_team_actions)).toEqual([kpiLabels.total_team_actions, '3', '5', 'down 2']);
    expect(rowOf(page.text, 'A')).toEqual(['A', '1', '0', '0', '0', '1']);
    expect(rowOf(page.text, 'All')).toEqual(['All', '2', '0', '0', '0', '2']);
    expect(rowOf(page.text, kpiLabels.nm01_asb_per_1000_homes)).toEqual([kpiLabels.nm01_asb_per_1000_homes, '0.50', '0.00', 'up 0.50']);
    expect(rowOf(page.text, kpiLabels.nm01_hate_asb_per_1000_homes)).toEqual([kpiLabels.nm01_hate_asb_per_1000_homes, '0.25', '0.00', 'up 0.25']);
    for (const label of Object.values(kpiLabels)) expect(page.text).toContain(label.replace(/'/g, '&#39;'));
    expect(page.text.match(/<svg class="sc-chart" role="img"/g)).toHaveLength(6);
    expect(page.text).not.toContain('style="');
  });

  it('reads the other period types from the query', async () => {
    const year = await html('?period=financial-year&year=2024-25');
    expect(year.text).toContain('KPIs for Financial year 2024-25 (April 2024 to March 2025)');
    expect(rowOf(year.text, kpiLabels.cpw_issued)).toEqual([kpiLabels.cpw_issued, '9', '0', 'up 9']);
    const quarter = await html('?period=quarter&year=2024-25&quarter=Q1');
    expect(quarter.text).toContain('Compared with Q4 2023-24 (January to March 2024)');
    const custom = await html('?period=custom&from=2024-05-31&to=2024-06-01');
    expect(custom.text).toContain('KPIs for 31 May 2024 to 1 June 2024');
    expect(rowOf(custom.text, kpiLabels.cpw_issued)?.slice(1, 3)).toEqual(['2', '0']);
  });

  it('answers a period it cannot read with 400 and an error summary that says what to fix', async () => {
    const bad = await html('?period=custom&from-day=31&from-month=2&from-year=2024&to-day=&to-month=&to-year=');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<title>Error: Choose a period');
    expect(bad.text).toContain('govuk-error-summary');
    expect(bad.text).toContain('<a href="#from-day">The start date must be a real date, like 1 4 2024</a>');
    expect(bad.text).toContain('<a href="#to-day">Enter the end date</a>');
    const tooLong = await html('?period=custom&from=2001-01-01&to=2024-01-01');
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('href="#to-day"');
    expect(tooLong.text).not.toContain('sc-chart');
  });

  it('sends a browser that is not signed in to sign in, and back to this page after', async () => {
    const res = await stack.request('GET', '/officer/kpis?period=month&month=2024-05', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/sign-in?returnTo=${encodeURIComponent('/officer/kpis?period=month&month=2024-05')}`);
  });

  it.each([undefined, ...roles])('lets only officer, finance and admin see it; others get a page that says why (%s)', async (role) => {
    const expected = role === undefined ? 401 : ['officer', 'finance', 'admin'].includes(role) ? 200 : 403;
    // Without a session a browser is sent to sign in (above); a client that does not ask for HTML by name gets the 401 page.
    const page = await html('?period=month&month=2024-05', role ?? null, { accept: '*/*' });
    expect(page.status).toBe(expected);
    expect(page.type).toBe('text/html; charset=utf-8');
    if (expected !== 200) {
      expect(page.text).toContain(expected === 401 ? 'Sign in to see this page' : 'You cannot see this page');
      expect(page.text).not.toContain(kpiLabels.cpw_issued);
    }
  });
});
