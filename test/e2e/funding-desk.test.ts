import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/local/stack';
import { importFunding } from '../../scripts/import-funding.ts';
import { axeViolations, launchChromium, screenshots, staffPage } from '../support/browser.ts';
import { openTestStreams } from '../support/funding-streams.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

/**
 * Finance at the desk in Chromium: a spend recorded on the page changes the balance shown, a
 * CSV import is previewed then confirmed, and every finance page fits 320 px with no sideways
 * scroll. axe runs with JavaScript on (it hangs without); the forms are also sent without it.
 */
describe('e2e: finance records money and imports a CSV on the pages', () => {
  let stack: TestStack;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await openTestStreams(stack);
    token = await stack.token('finance');
    const csv = readFileSync(join(repoRoot, 'docs/funding-csp-2024-25.csv'), 'utf8');
    expect((await importFunding({ csv, apiUrl: stack.endpoints.gateway, token })).ok).toBe(true);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  // Signed in through the local OpenID provider: every form carries the session's CSRF token.
  const open = (javaScriptEnabled: boolean, width = 1024) => staffPage(browser, stack.endpoints.gateway, 'Fiona Finance', javaScriptEnabled, width);
  const url = (path: string) => `${stack.endpoints.gateway}${path}`;
  const axe = (page: Page) => axeViolations(page, { region: true });

  it('records a spend on the page and shows the balance change, with the error summary first on bad input', async () => {
    const { page, close } = await open(true);
    await page.goto(url('/finance/funding/CSP/2024-25'));
    expect(await page.locator('h1').textContent()).toContain('£2,512.82 remaining');
    await page.getByRole('button', { name: 'Record a spend' }).click();
    expect(await page.locator('h1').textContent()).toBe('Record a spend');
    expect(await axe(page)).toEqual([]);

    await page.getByLabel('Amount').fill('12.345');
    await page.getByRole('button', { name: 'Record the spend' }).click();
    expect(await page.title()).toMatch(/^Error: Record a spend/);
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.textContent()).toContain('Give the project');
    expect(await summary.textContent()).toContain('more than two decimal places');
    expect(await axe(page)).toEqual([]);

    await page.getByLabel('Project').fill('Street pastors');
    await page.getByLabel('Amount').fill('£1,234.56');
    await page.getByLabel('Reference').fill('INV-2025-0303');
    await page.getByLabel('Day').fill('3');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('2025');
    await page.getByRole('button', { name: 'Record the spend' }).click();
    expect(await page.locator('h1').textContent()).toContain('£1,278.26 remaining');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Recorded: a spend of £1,234.56 on Street pastors.');
    expect(await page.getByRole('region', { name: 'Ledger lines' }).textContent()).toContain('Street pastors – INV-2025-0303');
    await page.screenshot({ path: join(screenshots, 'funding-desk-recorded.png'), fullPage: true });
    expect(await axe(page)).toEqual([]);
    await close();
  });

  it('records a commitment and reverses a spend without JavaScript', async () => {
    const { page, close } = await open(false);
    await page.goto(url('/finance/funding/CSP/2024-25/record/commitment'));
    await page.getByLabel('Project').fill('CCTV maintenance 2025');
    await page.getByLabel('Amount').fill('2,400.00');
    await page.getByRole('button', { name: 'Record the commitment' }).click();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Recorded: a commitment of £2,400.00');
    const before = await page.locator('h1').textContent();
    await page.getByRole('link', { name: /Reverse the spend: Street pastors/ }).click();
    await page.getByLabel('Why is it reversed?').fill('Posted to the wrong stream');
    await page.getByRole('button', { name: 'Reverse the spend' }).click();
    expect(before).toContain('£1,278.26 remaining');
    expect(await page.locator('h1').textContent()).toContain('£2,512.82 remaining');
    await close();
  });

  it('imports a CSV: the preview shows what it would do, and confirming records it', async () => {
    const { page, close } = await open(true);
    await page.goto(url('/finance/funding'));
    await page.getByRole('button', { name: 'Import a CSV' }).click();
    expect(await axe(page)).toEqual([]);
    const csv = 'type,stream,financialYear,kind,project,amount,reference,date\nallocation,CSP,2023-24,provisional,,"30,000.00",OPCC letter 2023-24,10/04/2023\nspend,CSP,2023-24,,Youth club,"2,500.50",INV-9,01/06/2023\n';
    await page.locator('#file').setInputFiles({ name: 'csp-2023-24.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    expect(await page.locator('h1').textContent()).toBe('Check the import before recording it');
    expect(await page.getByRole('table', { name: 'What the import does to each year' }).textContent()).toContain('£27,499.50');
    expect(await page.getByRole('table', { name: 'Rows in the file' }).locator('tbody tr').count()).toBe(2);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'funding-import-preview.png'), fullPage: true });
    await page.getByRole('button', { name: 'Record 2 rows' }).click();
    expect(await page.locator('.govuk-panel').textContent()).toContain('2 of 2 rows recorded');
    expect(await axe(page)).toEqual([]);
    await page.getByRole('link', { name: 'CSP 2023-24' }).click();
    expect(await page.locator('h1').textContent()).toContain('CSP 2023-24: £27,499.50 remaining');
    await close();
  });

  it('fits every finance page into 320 px with no sideways scroll, and passes axe there', async () => {
    const { page, close } = await open(true, 320);
    await page.goto(url('/finance/funding/CSP/2024-25'));
    const reversal = await page.getByRole('link', { name: /Reverse the spend/ }).first().getAttribute('href');
    await page.goto(url('/finance/funding/import'));
    await page.locator('#file').setInputFiles({ name: 'f.csv', mimeType: 'text/csv', buffer: Buffer.from('type,stream,financialYear,kind,project,amount,reference,date\nspend,CSP,2024-25,,A project with a rather long name indeed,"1.00",REF-WITH-A-LONG-REFERENCE-0001,01/05/2024\n') });
    await page.getByRole('button', { name: 'Check the file' }).click();
    const preview = new URL(page.url()).pathname;
    for (const path of [
      '/finance/funding',
      '/finance/funding/CSP/2024-25',
      '/finance/funding/CSP/2024-25/record/spend',
      '/finance/funding/CSP/2024-25/record/allocation',
      '/finance/funding/CSP/2024-25/profile',
      reversal ?? '',
      '/finance/funding/streams/new',
      '/finance/funding/import',
      preview,
    ]) {
      await page.goto(url(path));
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth'), path).toBe(0);
      expect(await axe(page), path).toEqual([]);
    }
    await page.goto(url('/finance/funding/CSP/2024-25'));
    await page.screenshot({ path: join(screenshots, 'funding-year-320.png'), fullPage: true });
    await close();
  });
});
