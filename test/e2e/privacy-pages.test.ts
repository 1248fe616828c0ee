import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#shared/wiring';
import { axeViolations, launchChromium, screenshots, staffPage } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { submitReport } from '../support/reports.ts';

const person = { name: 'Bea Hollins', email: 'bea.hollins@example.org', phone: '01664 502 777', consentToContact: true };

describe('e2e: an officer is shown a reporter\'s contact details only after giving a reason; an admin reads the record, exports and erases', () => {
  let stack: TestStack;
  let browser: Browser;
  let reference: string;

  beforeAll(async () => {
    stack = await startTestStack();
    ({ reference } = await submitReport(stack, { description: 'Parties every weekend at number 9.', contact: person }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  /** Signed in through the local OpenID provider as its demo officer or admin. */
  const people: Partial<Record<Role, string>> = { officer: 'Olivia Officer', admin: 'Ada Admin' };
  const open = async (role: Role, javaScriptEnabled = true) => {
    const opened = await staffPage(browser, stack.endpoints.gateway, people[role] ?? role, javaScriptEnabled, 1100);
    opened.page.setDefaultTimeout(15_000);
    return opened;
  };
  const axe = axeViolations;

  for (const javaScriptEnabled of [true, false]) {
    it(`from the triage page, asks why, then shows the details (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      // axe runs in the page, so only with JavaScript on; the same pages are checked there.
      const accessible = (page: Page) => (javaScriptEnabled ? axe(page) : Promise.resolve([]));
      const { page, close } = await open('officer', javaScriptEnabled);
      await page.goto(`${stack.endpoints.gateway}/officer/triage`);
      await page.getByRole('link', { name: reference }).click();
      expect(await page.content()).not.toContain(person.email);
      await page.getByRole('link', { name: 'Show the reporter’s contact details' }).click();
      expect(await page.locator('h1').textContent()).toContain('Show contact details');
      expect(await accessible(page)).toEqual([]);

      await page.getByRole('button', { name: 'Show contact details' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose why you need to see their contact details');
      expect(await page.content()).not.toContain(person.email);
      expect(await accessible(page)).toEqual([]);

      await page.getByLabel('A safeguarding concern').check();
      await page.getByRole('button', { name: 'Show contact details' }).click();
      expect(await page.locator('h1').textContent()).toContain('Contact details');
      expect(await page.locator('.govuk-summary-list').textContent()).toContain(person.email);
      expect(await accessible(page)).toEqual([]);
      await page.screenshot({ path: join(screenshots, `privacy-contact-shown-js-${javaScriptEnabled ? 'on' : 'off'}.png`), fullPage: true });
      await close();
    });
  }

  it('an admin sees the record, exports what is held and erases it; each page is accessible', async () => {
    const { page, close } = await open('admin');
    await page.goto(`${stack.endpoints.gateway}/admin/privacy/access-record`);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('Olivia Officer');
    expect(await rows.first().textContent()).toContain('A safeguarding concern');
    expect(await axe(page)).toEqual([]);

    await page.getByRole('link', { name: 'Subject access' }).click();
    expect(await axe(page)).toEqual([]);
    await page.getByLabel('The council’s reference for the request').fill('SAR-77');
    await page.getByLabel('Email address').fill(person.email);
    await page.getByRole('button', { name: 'Find what we hold' }).click();
    expect(await page.locator('main').textContent()).toContain('Parties every weekend at number 9.');
    expect(await axe(page)).toEqual([]);

    await page.goto(`${stack.endpoints.gateway}/admin/privacy/erasure`);
    await page.getByLabel('The council’s reference for the request').fill('ER-77');
    await page.getByLabel('Email address').fill(person.email);
    await page.getByRole('button', { name: 'Erase their data' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Tick the box to confirm the erasure');
    expect(await axe(page)).toEqual([]);
    await page.getByLabel('I have checked the request').check();
    await page.getByRole('button', { name: 'Erase their data' }).click();
    expect(await page.locator('main').textContent()).toContain('Erased the data held under ct_');
    expect(await axe(page)).toEqual([]);
    await close();
  });
});
