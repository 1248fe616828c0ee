import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseOpened } from '#events/cases';
import { createEventPublisher } from '#events/put';
import { HousingStockRecorded } from '#events/tenancy';
import { roles, type Role } from '#infra/topology';
import { importFunding } from '../../scripts/import-funding.ts';
import { countEvent, type KpiEvent } from '../../functions/kpis/count-event.ts';
import { buildCounterStore } from '../../functions/kpis/counter-store.ts';
import { cspCsv, documentTable, publishedCsp, safeStreetsCsv } from '../support/annual-report.ts';
import { committeeYearEvents, committeeYears, kpiEvent, outsideCommitteeYears, outsideTenancyYear, tenancyYearEvents, withDuplicates } from '../support/kpi-events.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { openTestStreams } from '../support/funding-streams.ts';

const publishedEnforcement = [
  ['Closure order', '1', '1'],
  ['Section 1 injunction', '1', '1'],
  ['Community Protection Warnings', '58', '40'],
  ['Community Protection Notices', '19', '18'],
  ['Other enforcement notices', '5', '5'],
  ['Interviews under caution', '14', '35'],
  ['Fixed Penalty Notices', '10', '15'],
  ['Case files presented to legal', '0', '6'],
  ['Waste-carrier stop-and-search operations', '0', '1'],
  ['Total recorded team actions', '2,606', '4,364'],
];
const publishedTenancy = [
  ['A', '3', '4', '0', '3', '10'],
  ['B', '5', '3', '8', '8', '24'],
  ['C', '16', '9', '23', '24', '72'],
  ['All', '24', '16', '31', '35', '106'],
];

describe('integration: the annual report figures on the local stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    // 1. Both committee years' enforcement (~7,000 events, some delivered twice, shuffled) straight
    //    into the counters' write path against the stack's DynamoDB; the bus would deliver the same, far slower.
    const dynamo = DynamoDBDocumentClient.from(stack.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
    const store = buildCounterStore(dynamo, stack.endpoints.tables.main);
    const deliveries = withDuplicates([...committeeYearEvents(committeeYears[0] as never, 'y22'), ...committeeYearEvents(committeeYears[1] as never, 'y23'), ...outsideCommitteeYears('edge')], 25, 2_024_1001);
    let next = 0;
    await Promise.all(Array.from({ length: 6 }, async () => {
      while (next < deliveries.length) await countEvent(deliveries[next++] as KpiEvent, store);
    }));
    // 2. Tenancy Services' cases and the housing stock on the bus, duplicated, across BST midnights.
    const client = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const bus = createEventPublisher({ client, busName: stack.endpoints.eventBusName });
    const tenancy = withDuplicates(
      [...tenancyYearEvents('fy23'), ...outsideTenancyYear('fy23'), kpiEvent(HousingStockRecorded, { eventId: 'stock-2024', occurredAt: '2024-04-01T09:00:00+01:00', asOf: '2024-03-31', homes: 3_872 })],
      5,
      31,
    );
    for (let i = 0; i < tenancy.length; i += 10) {
      await bus.publish(tenancy.slice(i, i + 10).map((e) => ({ contract: e.detailType === 'CaseOpened' ? CaseOpened : HousingStockRecorded, detail: e.detail as never })));
    }
    client.destroy();
    // 3. The funding as finance import it, through the funding API, into the streams finance opened.
    await openTestStreams(stack);
    const token = await stack.token('finance');
    for (const csv of [cspCsv, safeStreetsCsv]) expect((await importFunding({ csv, apiUrl: stack.endpoints.gateway, token })).ok).toBe(true);
    await stack.settle();
  }, 300_000);
  afterAll(() => stack.dispose());

  const get = async (path: string, role: Role | null = 'finance') => {
    const res = await stack.request('GET', path, { ...(role ? { role } : {}), headers: { accept: 'text/html' } });
    return { status: res.status, type: res.headers.get('content-type'), location: res.headers.get('location'), csp: res.headers.get('content-security-policy') ?? '', text: await res.text() };
  };
  const figures = (html: string, caption: string) => documentTable(html, caption)?.rows.slice(1);

  it("answers year=2024 with the council's published enforcement table, tenancy quarters and CSP year, every figure from the counters and ledgers", async () => {
    const page = await get('/officer/kpis/annual?year=2024');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>Safer Communities annual report figures: committee year 2023/24</title>');
    expect(figures(page.text, 'Enforcement, committee years 2022/23 and 2023/24')?.map((r) => r.slice(0, 3))).toEqual(publishedEnforcement);
    expect(page.text).toContain('Total recorded team actions rose by 1,758, from 2,606 in 2022/23 to 4,364 in 2023/24.');
    expect(figures(page.text, 'Tenancy Services ASB cases opened by risk category and quarter, Financial year 2023-24')).toEqual(publishedTenancy);
    expect(figures(page.text, 'NM01')?.map((r) => r[2])).toEqual(['27.38', '1.55']);
    expect(figures(page.text, 'CSP 2024-25')).toEqual(publishedCsp);
    expect(figures(page.text, 'SS5 by financial year')?.at(-1)).toEqual(['All years', '£300,000.00', '£0.00', '£70,000.00', '£226,000.00', '£4,000.00']);
    // The same figures GET /kpis and GET /funding answer.
    const api = (await (await stack.request('GET', '/kpis?from=2023-10-01&to=2024-09-30', { role: 'finance' })).json()) as { kpis: { cpw_issued: number } };
    expect(api.kpis.cpw_issued).toBe(40);
    const csp = (await (await stack.request('GET', '/funding/CSP/2024-25', { role: 'finance' })).json()) as { remainingPence: number };
    expect(csp.remainingPence).toBe(251_282);
    // Its own stylesheet is allowed by hash; no script may run.
    expect(page.csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(page.csp).toMatch(/script-src 'self' 'nonce-/);
    expect(page.text).not.toMatch(/<script/);
  });

  it('says plainly that NM01 is not available for a year with no housing stock recorded', async () => {
    const page = await get('/officer/kpis/annual?year=2023');
    expect(page.status).toBe(200);
    expect(page.text).toContain('NM01 for 2022-23 is not available: no count of the homes the council owns has been recorded on or before 31 March 2023.');
    expect(figures(page.text, 'Tenancy Services ASB cases opened')?.at(-1)).toEqual(['All', '0', '0', '0', '1', '1']);
  });

  it('answers a year it cannot read with 400 and the year picker that says what to change', async () => {
    const page = await get('/officer/kpis/annual?year=2099');
    expect(page.status).toBe(400);
    expect(page.text).toContain('<title>Error: Annual report figures: choose a committee year</title>');
    expect(page.text).toMatch(/<a href="#year">Committee year 2098\/99 has not begun: choose \d{4}\/\d{2} \(the year so far\) or an earlier one<\/a>/);
  });

  it('writes the annual document with the committee-year export, lists it, and links to it from the exports page and the dashboard', async () => {
    await stack.invokers.get('KpiScheduledExports')?.({ schedule: 'KpiCommitteeYearExport', scheduledTime: '2024-10-01T05:45:00Z' });
    await stack.settle();
    const ready = stack.observedOf('KpiExportReady').map((e) => e.detail as { period: string; objects: { key: string; format: string; bucket: string }[] });
    expect(ready.at(-1)?.period).toBe('2023-24-oct-sep');
    const annual = ready.at(-1)?.objects.find((o) => o.format === 'annual-report');
    expect(annual?.key).toBe('kpis/2023-10-01_2024-09-30/annual-report.html');
    const stored = await (await stack.s3.send(new GetObjectCommand({ Bucket: annual?.bucket ?? '', Key: annual?.key ?? '' }))).Body?.transformToString('utf-8');
    expect(figures(stored ?? '', 'Enforcement, committee years 2022/23 and 2023/24')?.map((r) => r.slice(0, 3))).toEqual(publishedEnforcement);
    expect(figures(stored ?? '', 'CSP 2024-25')).toEqual(publishedCsp);
    expect(stored).not.toContain('<header class="staff">');

    const list = await get('/officer/kpis/exports');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Committee year 2023/24 (October 2023 to September 2024)');
    const href = /<a class="govuk-link" href="([^"]+)">Annual report figures \(HTML\)<span class="govuk-visually-hidden"> for Committee year 2023\/24/.exec(list.text)?.[1];
    // The page links to the staff download route, which redirects to a presigned GET made then.
    expect(href).toBe('/officer/kpis/exports/2023-10-01_2024-09-30/annual-report');
    const link = await get(href ?? '');
    expect(link.status).toBe(302);
    expect(link.location).toMatch(/X-Amz-Signature=/);
    const download = await fetch(link.location ?? '');
    expect(download.status).toBe(200);
    expect(await download.text()).toContain('Total recorded team actions rose by 1,758');

    const dashboard = await get('/officer/kpis?period=committee-year&year=2023/24');
    expect(dashboard.text).toContain('<a class="govuk-link" href="/officer/kpis/annual?year=2024">Annual report figures for 2023/24</a>');
    expect(dashboard.text).toContain('<a class="govuk-link" href="/officer/kpis/exports">');
  });

  it('answers a browser asking for a file of no export with a page not found, not JSON', async () => {
    const page = await get('/officer/kpis/exports/2020-01-01_2020-01-31/csv');
    expect(page.status).toBe(404);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('There is no KPI export 2020-01-01_2020-01-31');
    expect(page.text).toContain('<a class="govuk-link" href="/officer/kpis/exports">See the list of KPI exports</a>');
  });

  it.each([undefined, ...roles])('lets only officer, finance and admin see the annual report and the exports list; others get a page that says why (%s)', async (role) => {
    // A browser that is not signed in is sent to sign in, and back to this page after.
    const expected = role === undefined ? 303 : ['officer', 'finance', 'admin'].includes(role) ? 200 : 403;
    for (const path of ['/officer/kpis/annual?year=2024', '/officer/kpis/exports', '/officer/kpis/exports/2023-10-01_2024-09-30/csv']) {
      const page = await get(path, role ?? null);
      // A download that is allowed redirects to the file.
      expect(page.status, path).toBe(expected === 200 && path.endsWith('/csv') ? 302 : expected);
      if (page.status === 302) continue;
      if (expected === 303) {
        expect(page.location).toBe(`/sign-in?returnTo=${encodeURIComponent(path)}`);
        continue;
      }
      expect(page.type).toBe('text/html; charset=utf-8');
      if (expected !== 200) {
        expect(page.text).toContain('You cannot see this page');
        expect(page.text).not.toMatch(/4,364|£31,335.75|Annual report figures \(HTML\)/);
      }
    }
  });
});
