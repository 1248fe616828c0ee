import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { BadRequestError } from '#shared/errors';
import { roles, type Role } from '#shared/wiring';
import { kpiPagesHandler } from '../../functions/kpis/staff-pages.ts';
import type { DateRange } from '../../functions/kpis/model.ts';
import { previousOf } from '../../functions/kpis/periods.ts';
import { committeeYearReport, reportFor } from '../support/kpi-reports.ts';

const now = () => new Date('2024-06-10T10:00:00Z'); // 11:00 BST: May 2024 is the last complete month
const context = { functionName: 'test', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const request = (query: Record<string, string> = {}, token?: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'GET /officer/kpis',
    rawPath: '/officer/kpis',
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { host: 'example.test', accept: 'text/html', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    queryStringParameters: query,
    requestContext: { http: { method: 'GET', path: '/officer/kpis', sourceIp: '192.0.2.1', protocol: 'HTTP/1.1', userAgent: 'test' }, routeKey: 'GET /officer/kpis', domainName: 'example.test' },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const unused = () => Promise.reject(new Error('the dashboard reads no funding stream or ledger, no exports and no report without its housing stock'));

/** The count of homes the fixture's previous period divided by (the current one has none). */
const previousStock = { asOf: '2024-03-31', homes: 3872 };

/** The handler with a fixture reader; a token is the role it names. */
function setUp(read?: (range: DateRange) => ReturnType<typeof committeeYearReport>) {
  const readKpis = vi.fn(async (range: DateRange) => (read ? read(range) : reportFor(range, previousOf(range), { cpw_issued: 3, nm01_asb_per_1000_homes: null }, { cpw_issued: 5 })));
  const readKpiReading = async (range: DateRange) => ({ report: await readKpis(range), housingStock: { current: undefined, previous: previousStock } });
  const handler = kpiPagesHandler(
    { readKpis: unused, readKpiReading, now, readLedger: unused, streams: { list: unused }, listExports: unused },
    { verifyToken: async (token) => ({ sub: `user-${token}`, roles: [token], exp: Math.floor(Date.now() / 1000) + 3600 }) },
  );
  const get = async (query: Record<string, string> = {}, role: Role | null = 'officer') =>
    (await handler(request(query, role ?? undefined), context)) as APIGatewayProxyStructuredResultV2 & { body: string };
  return { get, readKpis };
}

describe('unit: the KPI dashboard page', () => {
  it('shows the last complete month beside the period of the same length before it when no period is asked for', async () => {
    const { get, readKpis } = setUp();
    const page = await get();
    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(readKpis).toHaveBeenCalledWith({ from: '2024-05-01', to: '2024-05-31' });
    expect(page.body).toContain('<title>KPIs for May 2024 – Safer Communities KPIs');
    expect(page.body).toMatch(/Compared\s+with April 2024, the period of the same length just before it\./);
    expect(page.body).toMatch(/Community Protection Warnings issued\s*<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">\s*3\s*<\/td>\s*<td[^>]*>\s*5\s*<\/td>\s*<td[^>]*>\s*down 2\s*</);
    expect(page.body).toContain('Not available: no count of homes recorded by 31 May 2024');
    expect(page.body.match(/<svg class="sc-chart" role="img"/g)).toHaveLength(6);
    expect(page.body).not.toContain('style="');
  });

  it('says which count of homes NM01 divided by in each period, and links to record one only for those who may', async () => {
    const { get } = setUp();
    for (const role of ['officer', 'finance', 'admin'] as const) {
      const page = await get({}, role);
      const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(text).toContain('The count of homes NM01 divides by');
      expect(text).toContain('This period (May 2024) None: no count of homes recorded on or before 31 May 2024');
      expect(text).toContain('Previous period (April 2024) 3,872 homes as at 31 March 2024');
      expect(page.body.includes('href="/officer/kpis/housing-stock"'), role).toBe(role === 'admin');
    }
  });

  it('reads the period from the query and names it', async () => {
    const { get, readKpis } = setUp(() => committeeYearReport());
    const page = await get({ period: 'committee-year', year: '2023/24' });
    expect(readKpis).toHaveBeenCalledWith({ from: '2023-10-01', to: '2024-09-30' });
    expect(page.body).toContain('KPIs for Committee year 2023/24 (October 2023 to September 2024)');
    expect(page.body).toMatch(/Compared\s+with Committee year 2022\/23 \(October 2022 to September 2023\), the period/);
    expect(page.body).toContain('4,364');
    expect(page.body).toContain('up 1,758');
    expect(page.body).toMatch(/id="period-4" name="period" type="radio" value="committee-year" checked/);
  });

  it('answers a period it cannot read with 400, the picker and an error summary, and reads nothing', async () => {
    const { get, readKpis } = setUp();
    const page = await get({ period: 'financial-year', financialYear: '2024-26' });
    expect(page.statusCode).toBe(400);
    expect(readKpis).not.toHaveBeenCalled();
    expect(page.body).toContain('<title>Error: Choose a period');
    expect(page.body).toContain('govuk-error-summary');
    expect(page.body).toContain('href="#financialYear"');
    expect(page.body).toContain('Choose a financial year, written like 2024-25');
    expect(page.body).not.toContain('sc-chart');
  });

  it("puts the reader's refusal of a range on the form", async () => {
    const { get } = setUp(() => {
      throw new BadRequestError('the range is longer than 5 years: choose a shorter one', [{ path: 'to', message: 'choose an end date within 5 years of the start' }]);
    });
    const page = await get({ period: 'custom', from: '2001-01-01', to: '2024-01-01' });
    expect(page.body).toMatch(/id="period-5" name="period" type="radio" value="custom" checked/);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('href="#to-day"');
    expect(page.body).toContain('Choose an end date within 5 years of the start');
  });

  it.each([undefined, ...roles])('lets only officer, finance and admin see it, and tells others in a page (%s)', async (role) => {
    const { get, readKpis } = setUp();
    const page = await get({}, role ?? null);
    const expected = role === undefined ? 401 : ['officer', 'finance', 'admin'].includes(role) ? 200 : 403;
    expect(page.statusCode).toBe(expected);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    if (expected !== 200) {
      expect(readKpis).not.toHaveBeenCalled();
      expect(page.body).not.toContain('Community Protection Warnings');
      expect(page.body).toContain(expected === 401 ? 'Sign in to see this page' : 'You cannot see this page');
    }
  });
});
