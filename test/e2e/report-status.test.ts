import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshots, WCAG_22_AA } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

process.env.SC_REPORT_RATE_LIMIT = '1000/3600';

const PHONE = { width: 375, height: 667 };
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('e2e: report → confirmation → status page → message in the outbox (Chromium)', () => {
  let stack: TestStack;
  let browser: Browser;
  // axe runs with JavaScript on: with it off, axe's own script cannot run.
  const axe = async (page: Page) => (await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startTestStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it('sends a noise report with a photo chosen on the form, follows it by its reference, and gets the acknowledgement', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${stack.endpoints.gateway}/`);
    expect(await axe(page)).toEqual([]);

    // The hate question: hidden for fly-tipping, asked for anti-social behaviour.
    await page.getByLabel('Fly-tipping').check();
    expect(await page.getByRole('group', { name: /because of hostility/ }).isVisible()).toBe(false);
    await page.getByLabel('Nuisance noise').check();
    await page.getByRole('group', { name: /because of hostility/ }).getByLabel('No').check();

    await page.getByLabel('Describe what happened').fill('Loud music from the flat above until 3am, most nights.');
    const yesterday = new Date(Date.now() - 86400_000);
    await page.getByLabel('Day', { exact: true }).fill(String(yesterday.getUTCDate()));
    await page.getByLabel('Month', { exact: true }).fill(String(yesterday.getUTCMonth() + 1));
    await page.getByLabel('Year', { exact: true }).fill(String(yesterday.getUTCFullYear()));
    await page.getByLabel('Time (optional)').fill('night');
    await page.getByLabel('Postcode (if you know it)').fill('LE13 1GH');
    await page.getByLabel('Yes, you can contact me').check();
    await page.getByLabel('Email address').fill('jo@example.com');
    // With JavaScript the photo goes with the form (sent through the confirmation page's upload).
    await page.getByLabel('Add photos (optional)').setInputFiles({ name: 'speaker.png', mimeType: 'image/png', buffer: PNG });
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'report-form-photo-phone.png'), fullPage: true });
    await page.getByRole('button', { name: 'Send report' }).click();

    // S3, its redirect and the photo check, then back: Playwright's wait for the photo list.
    await page.locator('#photo-list').waitFor();
    expect(page.url()).toMatch(/\/confirmation\/[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('#photo-list').textContent()).toContain('Photo 1 (PNG');
    const reference = (await page.locator('.govuk-panel__body strong').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^SC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const when = page.locator('.govuk-summary-list__row', { hasText: 'When' }).locator('.govuk-summary-list__value');
    expect(await when.textContent()).toContain('at night');
    expect(await axe(page)).toEqual([]);

    await stack.settle();
    await page.getByRole('link', { name: 'Check the progress of your report' }).click();
    await page.waitForURL(new RegExp(`/status/${reference}$`));
    expect(await page.locator('h1').textContent()).toContain(reference);
    expect(await page.locator('.govuk-tag').textContent()).toContain('Received');
    expect(await page.locator('#history').textContent()).toContain('We received your report');
    expect(await page.content()).not.toContain('Loud music');
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'report-status-phone.png'), fullPage: true });

    const outbox = join(stack.stateDir, 'outbox');
    const sent = existsSync(outbox)
      ? readdirSync(outbox)
          .filter((f) => f.endsWith('.json'))
          .map((f) => JSON.parse(readFileSync(join(outbox, f), 'utf8')) as { template: string; to: string; personalisation: Record<string, string> })
      : [];
    const ack = sent.find((m) => m.personalisation.reference === reference);
    expect(ack).toMatchObject({ template: 'report-received', to: 'jo@example.com', personalisation: { statusUrl: `${stack.endpoints.gateway}/status/${reference}` } });
    await context.close();
  });

  it('shows a kind page for a reference it does not know, and passes axe there and on the privacy notice', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const res = await page.goto(`${stack.endpoints.gateway}/status/SC-0000-0000`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toContain('We cannot find a report with that reference');
    expect(await axe(page)).toEqual([]);
    await page.getByRole('link', { name: 'Privacy notice' }).click();
    await page.waitForURL(/\/privacy$/);
    expect(await page.locator('h1').textContent()).toContain('Privacy notice');
    expect(await axe(page)).toEqual([]);
    await context.close();
  });
});
