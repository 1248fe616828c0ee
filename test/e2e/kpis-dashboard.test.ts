import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, screenshots, staffPage } from '../support/browser.ts';
import { seedKpiEvents } from '../support/kpi-seed.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

describe('e2e: the KPI dashboard in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack();
    await seedKpiEvents(stack);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  const open = (javaScriptEnabled: boolean, width = 1024) => staffPage(browser, stack.endpoints.gateway, 'Olivia Officer', javaScriptEnabled, width);
  const axe = axeViolations;
  const cpwRow = (page: Page) => page.getByRole('table', { name: /The team's twelve KPIs/ }).getByRole('row', { name: /Community Protection Warnings issued/ });

  it('shows a month with its charts and passes axe (WCAG 2.2 AA); the period picker reveals only the chosen inputs', async () => {
    const { page, close } = await open(true);
    await page.goto(`${stack.endpoints.gateway}/officer/kpis?period=month&month=2024-05`);
    expect(await page.locator('h1').textContent()).toBe('KPIs for May 2024');
    expect(await cpwRow(page).locator('td').allTextContents()).toEqual(['3', '5', 'down 2'].map((t) => expect.stringContaining(t)));
    expect(await page.getByRole('img', { name: /Warnings, notices and penalties: May 2024 compared with April 2024/ }).count()).toBe(1);
    expect(await page.getByRole('img').count()).toBe(6);
    expect(await page.locator('#month').isVisible()).toBe(true);
    expect(await page.locator('#financialYear').isVisible()).toBe(false);
    await page.screenshot({ path: join(screenshots, 'kpis-dashboard.png'), fullPage: true });
    expect(await axe(page)).toEqual([]);

    await page.getByLabel('A financial year').check();
    expect(await page.locator('#financialYear').isVisible()).toBe(true);
    expect(await page.locator('#month').isVisible()).toBe(false);
    expect(await axe(page)).toEqual([]);
    await page.locator('#financialYear').selectOption('2024-25');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL(/period=financial-year/);
    expect(await page.locator('h1').textContent()).toBe('KPIs for Financial year 2024-25 (April 2024 to March 2025)');
    expect(await cpwRow(page).locator('td').first().textContent()).toContain('9');
    await close();
  });

  it('works without JavaScript: every period input shown, and your own dates give the same figures', async () => {
    const { page, close } = await open(false);
    await page.goto(`${stack.endpoints.gateway}/officer/kpis?period=month&month=2024-05`);
    for (const id of ['#month', '#quarter', '#quarterYear', '#financialYear', '#committeeYear', '#from-day', '#to-year']) expect(await page.locator(id).isVisible(), id).toBe(true);
    await page.getByLabel('Dates of your choice').check();
    for (const [id, value] of [['#from-day', '1'], ['#from-month', '5'], ['#from-year', '2024'], ['#to-day', '31'], ['#to-month', '5'], ['#to-year', '2024']] as const) await page.locator(id).fill(value);
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL(/period=custom/);
    expect(await page.locator('h1').textContent()).toBe('KPIs for May 2024');
    expect(await cpwRow(page).locator('td').allTextContents()).toEqual(['3', '5', 'down 2'].map((t) => expect.stringContaining(t)));
    expect(await page.locator('figure svg').count()).toBe(6);
    await close();
  });

  it('says what is wrong with the dates and links to the field', async () => {
    const { page, close } = await open(true);
    await page.goto(`${stack.endpoints.gateway}/officer/kpis?period=custom&from-day=9&from-month=6&from-year=2024&to-day=3&to-month=6&to-year=2024`);
    expect(await page.title()).toMatch(/^Error: /);
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.textContent()).toContain('The end date must be the same as or after the start date');
    await expect.poll(() => page.evaluate<boolean>("document.querySelector('.govuk-error-summary').contains(document.activeElement)")).toBe(true);
    await summary.getByRole('link').click();
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('to-day');
    expect(await axe(page)).toEqual([]);
    await close();
  });

  it('fits a phone: no sideways scrolling, and still passes axe', async () => {
    for (const width of [375, 320]) {
      const { page, close } = await open(true, width);
      await page.goto(`${stack.endpoints.gateway}/officer/kpis?period=committee-year&year=2023/24`);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth'), `${width}px`).toBe(0);
      if (width === 375) {
        await page.screenshot({ path: join(screenshots, 'kpis-dashboard-phone.png'), fullPage: true });
        expect(await axe(page)).toEqual([]);
      }
      await close();
    }
  });
});
