import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFunding } from '../../scripts/import-funding.ts';
import { cspCsv, safeStreetsCsv } from '../support/annual-report.ts';
import { axeViolations, launchChromium, screenshots, staffPage } from '../support/browser.ts';
import { seedKpiEvents } from '../support/kpi-seed.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { openTestStreams } from '../support/funding-streams.ts';

describe('e2e: the annual report figures in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  /** While set, KpiExportWriter waits for it: an export asked for stays "being prepared". */
  let holdWriter: Promise<void> | undefined;

  beforeAll(async () => {
    stack = await startTestStack({ wrapInvoke: (spec, invoke) => (spec.name !== 'KpiExportWriter' ? invoke : async (event) => (await holdWriter, invoke(event))) });
    await openTestStreams(stack);
    await seedKpiEvents(stack);
    const finance = await stack.token('finance');
    for (const csv of [cspCsv, safeStreetsCsv]) expect((await importFunding({ csv, apiUrl: stack.endpoints.gateway, token: finance })).ok).toBe(true);
    expect((await stack.request('POST', '/kpis/exports', { role: 'officer', json: { from: '2023-10-01', to: '2024-09-30' } })).status).toBe(202);
    await stack.settle();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  const open = (javaScriptEnabled: boolean, width = 1024) => staffPage(browser, stack.endpoints.gateway, 'Olivia Officer', javaScriptEnabled, width);
  const axe = axeViolations;

  it('shows a committee year with its tables and charts, styled by its own CSS under the page CSP, and passes axe (WCAG 2.2 AA)', async () => {
    const { page, close } = await open(true);
    const refused: string[] = [];
    page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
    await page.goto(`${stack.endpoints.gateway}/officer/kpis/annual?year=2024`);
    expect(await page.locator('h1').textContent()).toBe('Safer Communities annual report figures: committee year 2023/24');
    // The inline stylesheet applied (the CSP allows it by hash): the staff bar is dark.
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('header.staff')).backgroundColor")).toBe('rgb(11, 12, 12)');
    expect(refused.filter((m) => /Content Security Policy/i.test(m))).toEqual([]);
    const csp = page.getByRole('table', { name: /CSP 2024-25/ });
    expect(await csp.getByRole('row', { name: /^Remaining/ }).locator('td').textContent()).toBe('£2,512.82');
    expect(await page.getByRole('img', { name: /Enforcement actions, committee year 2023\/24 compared with 2022\/23/ }).count()).toBe(1);
    expect(await page.getByRole('img').count()).toBe(3);
    await page.screenshot({ path: join(screenshots, 'kpis-annual.png'), fullPage: true });
    expect(await axe(page)).toEqual([]);
    await close();
  });

  it('prints without the staff navigation, and a person can choose another year without JavaScript', async () => {
    const { page, close } = await open(false);
    await page.goto(`${stack.endpoints.gateway}/officer/kpis/annual?year=2024`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.staff').isVisible()).toBe(false);
    await page.pdf({ path: join(screenshots, 'kpis-annual.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    await page.getByLabel('Committee year (October to September)').selectOption('2025');
    await page.getByRole('button', { name: 'Show year' }).click();
    await page.waitForURL(/year=2025/);
    expect(await page.locator('h1').textContent()).toBe('Safer Communities annual report figures: committee year 2024/25');
    expect(await page.getByRole('table', { name: /^Enforcement, committee years 2023\/24 and 2024\/25/ }).count()).toBe(1);
    await close();
  });

  it('says what is wrong with a year and links to the picker; passes axe', async () => {
    const { page, close } = await open(true);
    await page.goto(`${stack.endpoints.gateway}/officer/kpis/annual?year=2099`);
    expect(await page.title()).toMatch(/^Error: /);
    await page.locator('.error-summary a').click();
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('year');
    expect(await axe(page)).toEqual([]);
    await close();
  });

  it('fits a phone without sideways scrolling, and still passes axe', async () => {
    const { page, close } = await open(true, 320);
    await page.goto(`${stack.endpoints.gateway}/officer/kpis/annual?year=2024`);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
    expect(await axe(page)).toEqual([]);
    await close();
  });

  it('reaches the annual report and the exports list from the dashboard; the list downloads the annual document and passes axe', async () => {
    const { page, close } = await open(true);
    await page.goto(`${stack.endpoints.gateway}/officer/kpis?period=committee-year&year=2023/24`);
    await page.getByRole('link', { name: 'KPI exports: CSV, JSON and HTML files to download' }).click();
    await page.waitForURL(/\/officer\/kpis\/exports$/);
    expect(await page.locator('h1').textContent()).toBe('KPI exports');
    expect(await axe(page)).toEqual([]);
    const link = page.getByRole('link', { name: 'Annual report figures (HTML) for Committee year 2023/24 (October 2023 to September 2024)' });
    // The link is the staff download route: the session cookie authorises it, and it redirects to a presigned GET.
    expect(await link.getAttribute('href')).toBe('/officer/kpis/exports/2023-10-01_2024-09-30/annual-report');
    await link.click();
    await page.waitForURL(/X-Amz-Signature=/);
    expect(await page.title()).toBe('Safer Communities annual report figures: committee year 2023/24');
    await page.goBack();
    await page.waitForURL(/\/officer\/kpis\/exports$/);
    await page.goBack();
    await page.getByRole('link', { name: 'Annual report figures for 2023/24' }).click();
    await page.waitForURL(/\/officer\/kpis\/annual\?year=2024$/);
    await page.getByRole('link', { name: 'KPI exports' }).click();
    await page.getByRole('link', { name: 'Back to the KPI dashboard' }).click();
    await page.waitForURL(/\/officer\/kpis$/);
    await close();
  });

  it('says an export just asked for is being prepared, then lists its files once written; passes axe', async () => {
    let release = () => {};
    holdWriter = new Promise((resolve) => (release = resolve));
    expect((await stack.request('POST', '/kpis/exports', { role: 'officer', json: { from: '2024-09-01', to: '2024-09-30' } })).status).toBe(202);
    const { page, close } = await open(true);
    await page.goto(`${stack.endpoints.gateway}/officer/kpis/exports`);
    const september = page.getByRole('row', { name: /^September 2024/ });
    expect(await september.getByText('Being prepared').count()).toBe(1);
    expect(await september.getByRole('link').count()).toBe(0);
    expect(await axe(page)).toEqual([]);
    release();
    holdWriter = undefined;
    await stack.settle();
    await page.reload();
    expect(await september.getByText('Being prepared').count()).toBe(0);
    expect(await september.getByRole('link', { name: 'CSV (spreadsheet) for September 2024' }).getAttribute('href')).toBe('/officer/kpis/exports/2024-09-01_2024-09-30/csv');
    await close();
  });
});
