import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/local/stack';
import { importFunding } from '../../scripts/import-funding.ts';
import { launchChromium, screenshots, staffPage, WCAG_22_AA } from '../support/browser.ts';
import { openTestStreams } from '../support/funding-streams.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';


describe('e2e: the finance funding pages in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startTestStack();
    await openTestStreams(stack);
    token = await stack.token('finance');
    const csv = readFileSync(join(repoRoot, 'docs/funding-csp-2024-25.csv'), 'utf8');
    const extra = 'type,stream,financialYear,kind,project,amount,reference\ncommitment,CSP,2024-25,,CCTV maintenance 2025,"2,400.00",PO-7\n';
    for (const file of [csv, extra]) expect((await importFunding({ csv: file, apiUrl: stack.endpoints.gateway, token })).ok).toBe(true);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  // Signed in through the local OpenID provider as a finance user.
  const open = (javaScriptEnabled: boolean) => staffPage(browser, stack.endpoints.gateway, 'Fiona Finance', javaScriptEnabled);

  it('shows the year with its chart and passes axe (WCAG 2.2 AA)', async () => {
    const { page, close } = await open(true);
    await page.goto(`${stack.endpoints.gateway}/finance/funding/CSP/2024-25`);
    expect(await page.locator('h1').textContent()).toContain('£2,512.82 remaining');
    expect(await page.getByRole('img', { name: /Spend against allocation by project/ }).count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'funding-ledger.png'), fullPage: true });
    const violations = (await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(violations).toEqual([]);
    await page.goto(`${stack.endpoints.gateway}/finance/funding`);
    expect((await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()).violations.map((v) => v.id)).toEqual([]);
    await close();
  });

  it('shows the same figures without JavaScript', async () => {
    const { page, close } = await open(false);
    await page.goto(`${stack.endpoints.gateway}/finance/funding/CSP/2024-25`);
    expect(await page.locator('h1').textContent()).toContain('£2,512.82 remaining');
    expect(await page.locator('figure svg rect').count()).toBe(12); // five projects and all projects, spent and committed
    expect(await page.getByRole('table', { name: 'By project' }).locator('tbody tr').count()).toBe(5);
    await close();
  });
});
