import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, staffPage } from '../support/browser.ts';
import { fillCaseReviewApplication } from '../support/case-review-form.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * The case review officer pages through browser sign-in: every form there changes something,
 * so each must carry the session's CSRF token (partials/csrf.njk) for the shared HTTP stack to
 * let it through.
 */
describe('e2e: an officer signed in through the browser records a case review application and sends the threshold decision', () => {
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

  it('records the application, sends the letter, and a form without the session token is refused', async () => {
    const { page, close } = await staffPage(browser, stack.endpoints.gateway, 'Olivia Officer', true); // axe runs in the page
    try {
      await page.goto(`${stack.endpoints.gateway}/officer/case-reviews/new`);
      expect(await page.locator('h1').innerText()).toBe('Record an ASB Case Review application');
      expect(await page.locator('form[action="/officer/case-reviews/new"] input[name="csrf"]').count()).toBe(1);

      await fillCaseReviewApplication(page);
      await page.getByRole('button', { name: 'Record the application' }).click();
      expect(await page.locator('h1').innerText()).toContain('Application recorded');
      await stack.settle();
      expect(stack.observedOf('CaseReviewRequested')).toHaveLength(1);
      expect(stack.observedOf('CaseReviewThresholdAssessed')).toHaveLength(1);

      await page.getByRole('link', { name: 'Open the case review' }).click();
      const reviewUrl = page.url().split('?')[0] ?? '';
      const send = page.locator('form[action$="/letter-threshold"]');
      expect(await send.locator('input[name="csrf"]').count()).toBe(1);
      await send.getByRole('button', { name: 'Send the threshold decision' }).click();
      await page.waitForURL(/\?done=letter-threshold$/);
      expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Recorded.');
      await stack.settle();
      expect(stack.observedOf('CaseReviewLetterSent')).toHaveLength(1);
      expect(await axeViolations(page)).toEqual([]);

      // The same browser's session cookie on a form without the page's token: refused, nothing sent.
      const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const forged = await fetch(`${reviewUrl}/letter-threshold`, {
        method: 'POST',
        headers: { accept: 'text/html', cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'confirm=yes',
        redirect: 'manual',
      });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toContain('This form could not be sent');
      await stack.settle();
      expect(stack.observedOf('CaseReviewLetterSent')).toHaveLength(1);
    } finally {
      await close();
    }
  });
});
