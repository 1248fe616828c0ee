import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillCaseReviewApplication } from '../support/case-review-form.ts';
import { launchChromium, WCAG_22_AA } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

// Read per request by the applications function, which runs in this process: these tests apply more than the public's 5 an hour.
process.env.SC_CASE_REVIEW_RATE_LIMIT = '1000/3600';

const REFERENCE = /CR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

describe('e2e: the ASB Case Review application in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let sentUrl = '';

  const axe = async (page: Page) => (await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it('is sent without JavaScript: errors summarised on the page, corrected, then the reference', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.endpoints.gateway}/case-reviews/apply`);
      expect(await page.locator('h1').innerText()).toBe('Ask for an ASB Case Review');

      await page.getByRole('button', { name: 'Send application' }).click();
      await page.waitForURL(/\/case-reviews$/);
      const summary = page.locator('.govuk-error-summary');
      await expect.poll(() => summary.isVisible()).toBe(true);
      expect(await summary.innerText()).toContain('Select whether you are applying for yourself or for someone else');

      await fillCaseReviewApplication(page);
      await page.getByRole('button', { name: 'Send application' }).click();
      await page.waitForURL(/\/case-reviews\/apply\/sent\//);
      expect(await page.locator('.govuk-panel').innerText()).toMatch(REFERENCE);
      sentUrl = page.url();
    } finally {
      await context.close();
    }
    await stack.settle();
    expect(stack.observedOf('CaseReviewThresholdAssessed')).toHaveLength(1);
  });

  // axe runs in the page, so these pages (rendered the same either way) are checked with JavaScript on.
  it('finds no accessibility violations on the form, the form with errors, the confirmation and the figures', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${stack.endpoints.gateway}/case-reviews/apply`);
      expect(await axe(page)).toEqual([]);
      await page.getByRole('button', { name: 'Send application' }).click();
      await expect.poll(() => page.title()).toMatch(/^Error: /);
      expect(await axe(page)).toEqual([]);
      await page.goto(sentUrl);
      expect(await page.locator('.govuk-panel').innerText()).toMatch(REFERENCE);
      expect(await axe(page)).toEqual([]);
      await page.goto(`${stack.endpoints.gateway}/case-reviews/figures`);
      expect(await page.locator('h1').innerText()).toBe('ASB Case Review figures');
      expect(await page.locator('.govuk-summary-list').innerText()).toContain('Applications for a case review');
      expect(await axe(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
