import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#shared/wiring';
import { topology } from '../../infra/topology.ts';
import { importFunding } from '../../scripts/import-funding.ts';
import { axeViolations, launchChromium, staffPage } from '../support/browser.ts';
import { openTestStreams } from '../support/funding-streams.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { submitReport } from '../support/reports.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * Issue 12, item 8: every page the topology declares (GET routes with `page: true`) at 320 px
 * wide: it answers, the page itself never scrolls sideways (tables scroll in their own box), and
 * axe finds nothing under WCAG 2.2 AA nor the "region" best practice. A new page joins the
 * sweep by itself; one whose address has a parameter this file cannot fill fails, named.
 */
describe('e2e: every page fits 320 px with no sideways scroll and passes axe, "region" included', () => {
  let stack: TestStack;
  let browser: Browser;
  /** Path parameters by name, from the seeded data. */
  const params: Record<string, string> = {};
  /** Where a route's parameter means something else than the name does elsewhere. */
  const paramsOf: Record<string, Record<string, string>> = {};
  /** The query a page needs to be the page (not its "bad request" answer). */
  const queries: Record<string, string> = { '/officer/search': '?q=LE13', '/confirmation/{token}/photos': '?slot=1' };
  /**
   * Routes whose page is not a 200. The sign-in callback opened on its own shows "start again"
   * (400). A photo's address answers with the photo itself (a redirect to the bucket, which
   * test/e2e/officer-day.test.ts follows in the browser); the only page it shows is "page not
   * found", for a photo the report does not have (the seeded report has none).
   */
  const statuses: Record<string, number> = { '/sign-in/callback': 400, '/officer/photos/{reportId}/{n}': 404, '/officer/kpis/exports/{exportId}/{format}': 404 };
  const url = (path: string) => `${stack.endpoints.gateway}${path}`;

  beforeAll(async () => {
    stack = await startTestStack();
    await openTestStreams(stack);
    browser = await launchChromium();

    // A report with contact details.
    const report = await submitReport(stack, {
      description: 'Parties every weekend at number 9, with music until 3am and shouting in the street afterwards.',
      contact: { name: 'Bea Hollins', email: 'bea.hollins@example.org', phone: '01664 502 777', consentToContact: true },
    });
    params.reportId = report.reportId;
    params.reference = report.reference;
    params.kind = 'report';
    params.id = report.reportId;
    params.n = '1';

    // A case opened from it, with an action recorded.
    const opened = await stack.request('POST', `/reports/${report.reportId}/triage`, { role: 'officer', json: { action: 'open-case', kind: 'asb', owner: 'safer-communities' } });
    expect(opened.status).toBe(202);
    params.caseId = ((await opened.json()) as { caseId: string }).caseId;
    await stack.settle();
    const action = await stack.request('POST', `/officer/cases/${params.caseId}/actions`, { role: 'officer', form: { action: 'TeamActionRecorded:visit', contactWith: 'complainant', notes: 'Walked the site.' } });
    expect(action.status).toBeLessThan(400);
    await stack.settle();

    // A case review application, and its threshold letter.
    const today = new Date().toISOString().slice(0, 10);
    const review = await stack.request('POST', '/case-reviews', {
      json: {
        applicant: { name: 'Pat Applicant', email: 'pat@example.org', consentToContact: true },
        hateIncident: false,
        description: 'Loud music and threats from next door every night; nothing changes.',
        complaints: [1, 2, 3].map((n) => ({ reportedTo: 'police', incidentOn: today, reportedOn: today, reference: `LP-2025-004${n}` })),
      },
    });
    expect(review.status).toBe(202);
    const reviewBody = (await review.json()) as { reviewId: string; reference: string };
    params.reviewId = reviewBody.reviewId;
    paramsOf['/case-reviews/apply/sent/{reference}'] = { reference: reviewBody.reference };
    await stack.settle();
    expect((await stack.request('POST', `/case-reviews/${params.reviewId}/letters/threshold`, { role: 'officer' })).status).toBe(202);
    await stack.settle();
    params.letter = 'threshold';

    // Funding: a spend on CSP 2024-25, then its reversal link and an import's preview from the desk.
    params.stream = 'CSP';
    params.financialYear = '2024-25';
    params.entry = 'spend';
    const desk = await staffPage(browser, stack.endpoints.gateway, 'Fiona Finance', true);
    const ledger = readFileSync(join(process.cwd(), 'docs/funding-csp-2024-25.csv'), 'utf8');
    expect((await importFunding({ csv: ledger, apiUrl: stack.endpoints.gateway, token: await stack.token('finance') })).ok).toBe(true);
    await stack.settle();
    const csv = 'type,stream,financialYear,kind,project,amount,reference,date\nspend,CSP,2024-25,,A youth club with a rather long project name indeed,"2,500.50",INV-WITH-A-LONG-REFERENCE-0001,01/06/2024\n';
    await desk.page.goto(url('/finance/funding/CSP/2024-25'));
    const reversal = (await desk.page.getByRole('link', { name: /Reverse the spend/ }).first().getAttribute('href')) ?? '';
    params.eventId = /\/spends\/([^/]+)\/reversal/.exec(reversal)?.[1] ?? '';
    await desk.page.goto(url('/finance/funding/import'));
    await desk.page.locator('#file').setInputFiles({ name: 'f.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await desk.page.getByRole('button', { name: 'Check the file' }).click();
    params.importId = new URL(desk.page.url()).pathname.split('/').pop() ?? '';
    await desk.close();

    // The reporter's confirmation page: a report sent through the form.
    const reporter = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const sent = await reporter.newPage();
    await sent.goto(url('/'));
    await sent.getByLabel('Fly-tipping').check();
    await sent.getByLabel('Describe what happened').fill('Bags of rubble behind the garages.');
    const now = new Date();
    await sent.getByLabel('Day', { exact: true }).fill(String(now.getDate()));
    await sent.getByLabel('Month', { exact: true }).fill(String(now.getMonth() + 1));
    await sent.getByLabel('Year', { exact: true }).fill(String(now.getFullYear()));
    await sent.getByLabel('Postcode (if you know it)').fill('le13 1gh');
    await sent.getByLabel('Describe the place').fill('Garages, Elm Close');
    await sent.getByLabel('No, I want to stay anonymous').check();
    await sent.getByRole('button', { name: 'Send report' }).click();
    await sent.waitForURL(/\/confirmation\/[A-Za-z0-9_-]{43}$/);
    params.token = sent.url().split('/').pop() ?? '';
    // A photo, so the upload's return address (/photos?slot=1) lands back on the confirmation.
    await sent.getByLabel('Upload a photo').setInputFiles({ name: 'tip.png', mimeType: 'image/png', buffer: PNG });
    await sent.getByRole('button', { name: 'Upload photo' }).click();
    await sent.locator('#photo-list').waitFor();
    await reporter.close();

    // A KPI export (written by KpiExportWriter once the bus settles): its HTML report is what the
    // staff download route opens in the browser, through a presigned GET.
    const exported = await stack.request('POST', '/kpis/exports', { role: 'officer', json: { from: '2024-04-01', to: '2024-06-30' } });
    expect(exported.status).toBe(202);
    params.exportId = ((await exported.json()) as { exportId: string }).exportId;
    await stack.settle();
    // The staff download route answers a browser with the file itself (302 to S3, shown by
    // kpis-annual.test.ts); as a page it is its 404, for a file of no export.
    paramsOf['/officer/kpis/exports/{exportId}/{format}'] = { exportId: '2020-01-01_2020-01-31', format: 'csv' };
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  /** The demo people of the local OpenID provider (infra/local/oidc-provider.ts), by role. */
  const people: [Role, string][] = [
    ['officer', 'Olivia Officer'],
    ['tenancy', 'Tom Tenancy'],
    ['finance', 'Fiona Finance'],
    ['admin', 'Ada Admin'],
  ];


  const pages = topology.flatMap((fn) => fn.triggers.flatMap((t) => (t.kind === 'http' && t.page && t.method === 'GET' ? [t] : [])));
  /** One browser context per demo person (signed in once), and one for the public, shared by the pages. */
  const contexts = new Map<string, Awaited<ReturnType<typeof staffPage>>>();
  let publicContext: BrowserContext | undefined;
  afterAll(async () => {
    await publicContext?.close();
    for (const opened of contexts.values()) await opened.close();
  });

  it('finds the pages in the topology', () => {
    expect(pages.length).toBeGreaterThan(30);
  });

  // One test a page, each with its own time: the sweep grows with every page added.
  it.each(pages.map((route) => [route.path, route] as const))('%s', async (_path, route) => {
    const values = { ...params, ...paramsOf[route.path] };
    const missing = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').filter((name) => !values[name]);
    expect(missing, "no value for these path parameters: add them to the sweep's seeded parameters").toEqual([]);
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? '')) + (queries[route.path] ?? '');
    let page: Page;
    if (route.auth === 'public') {
      publicContext ??= await browser.newContext({ viewport: { width: 320, height: 900 } });
      page = await publicContext.newPage();
    } else {
      const person = people.find(([role]) => (route.auth as readonly Role[]).includes(role))?.[1];
      expect(person, `no demo person has a role among ${route.auth.join(', ')}`).toBeDefined();
      if (!contexts.has(person as string)) contexts.set(person as string, await staffPage(browser, stack.endpoints.gateway, person as string, true, 320));
      page = await (contexts.get(person as string) as Awaited<ReturnType<typeof staffPage>>).page.context().newPage();
    }
    try {
      // The sign-in callback is a step of signing in (staffPage went through it for each
      // person); opened on its own it shows the "start again" page, which must fit too.
      const expected = statuses[route.path] ?? 200;
      const response = await page.goto(url(path));
      const failures: string[] = [];
      if (response?.status() !== expected) failures.push(`answered ${response?.status()}, not ${expected}`);
      const scroll = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
      if (scroll.scrollWidth > scroll.innerWidth) failures.push(`scrolls sideways (${scroll.scrollWidth}px wide in ${scroll.innerWidth}px)`);
      failures.push(...(await axeViolations(page, { region: true })));
      expect(failures, path).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
