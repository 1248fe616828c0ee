import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, screenshots, staffPage } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/** axe under WCAG 2.2 AA and the "region" rule (every piece of content in a landmark). */
const violations = (page: Page) => axeViolations(page, { region: true });

/** axe runs as a script in the page: without JavaScript there is nothing to run it, so that pass checks the rest. */
const checked = async (page: Page, javaScript: boolean) => (javaScript ? violations(page) : []);

const fitsWidth = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

describe('e2e: recording the count of homes in Chromium, at 320 px', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it('takes a count from Tenancy Services, without JavaScript too: errors linked to their fields, then the count listed; axe finds nothing', { timeout: 240_000 }, async () => {
    for (const javaScript of [true, false]) {
      const { page, close } = await staffPage(browser, stack.endpoints.gateway, 'Tom Tenancy', javaScript, 320);
      await page.goto(`${stack.endpoints.gateway}/officer/kpis/housing-stock`);
      expect(await page.locator('h1').textContent()).toBe('Record the number of homes');
      expect(await fitsWidth(page)).toBe(true);
      expect(await checked(page, javaScript)).toEqual([]);

      // Impossible date and no homes: the page again, with a summary that links to each field.
      await page.getByLabel('Day').fill('31');
      await page.getByLabel('Month').fill('2');
      await page.getByLabel('Year').fill('2024');
      await page.getByRole('button', { name: 'Record the number of homes' }).click();
      expect(await page.title()).toMatch(/^Error: Record the number of homes/);
      const summary = page.locator('.govuk-error-summary');
      expect(await summary.textContent()).toContain('The date the homes were counted must be a real date, like 31 3 2025');
      expect(await summary.textContent()).toContain('Enter the number of homes the council owns, like 3872');
      expect(await checked(page, javaScript)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      // govuk-frontend moves focus to the field (with JavaScript); without it the link goes to the field's place.
      await summary.getByRole('link', { name: /number of homes/ }).click();
      if (javaScript) await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('homes');
      else expect(new URL(page.url()).hash).toBe('#homes');

      const homes = javaScript ? '3,872' : '3,873';
      await page.getByLabel('Day').fill('31');
      await page.getByLabel('Month').fill('3');
      await page.getByLabel('Year').fill('2024');
      await page.getByLabel('Number of homes the council owns as landlord').fill(homes);
      await page.getByRole('button', { name: 'Record the number of homes' }).click();
      await page.waitForURL(/recorded=/);
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(`${homes} homes as at 31 March 2024 recorded`);
      expect(await page.getByRole('table').getByRole('row', { name: /31 March 2024/ }).locator('td').first().textContent()).toContain(homes);
      expect(await checked(page, javaScript)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      if (javaScript) await page.screenshot({ path: join(screenshots, 'housing-stock.png'), fullPage: true });
      await close();
    }
  });

  it('shows on the KPI dashboard which count NM01 used, with the link to record one for admin only', async () => {
    const dashboard = '/officer/kpis?period=financial-year&financialYear=2024-25';
    const admin = await staffPage(browser, stack.endpoints.gateway, 'Ada Admin', true, 320);
    await admin.page.goto(`${stack.endpoints.gateway}${dashboard}`);
    const used = admin.page.locator('.govuk-summary-list');
    // The last count recorded for 31 March 2024 (the form above, sent without JavaScript) is the previous year's, and this year's too.
    expect(await used.textContent()).toMatch(/This period \(Financial year 2024-25[^)]*\)\)?\s*3,873 homes as at 31 March 2024/);
    expect(await used.textContent()).toMatch(/Previous period[\s\S]*3,873 homes as at 31 March 2024/);
    await admin.page.getByRole('link', { name: 'Record a new count of homes' }).click();
    await admin.page.waitForURL(/\/officer\/kpis\/housing-stock$/);
    expect(await violations(admin.page)).toEqual([]);
    await admin.close();

    const officer = await staffPage(browser, stack.endpoints.gateway, 'Olivia Officer', true, 320);
    await officer.page.goto(`${stack.endpoints.gateway}/officer/kpis?period=financial-year&financialYear=2023-24`);
    expect(await officer.page.locator('.govuk-summary-list').textContent()).toMatch(/Previous period[\s\S]*None: no count of homes recorded on or before 31 March 2023/);
    expect(await officer.page.getByRole('link', { name: 'Record a new count of homes' }).count()).toBe(0);
    expect(await fitsWidth(officer.page)).toBe(true);
    expect(await violations(officer.page)).toEqual([]);
    await officer.close();
  });
});
