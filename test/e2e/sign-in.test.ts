import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { submitReport } from '../support/reports.ts';

/**
 * A member of staff signs in with an ordinary browser: no token set by hand, the real
 * authorization-code flow through the local OpenID provider, a session cookie, and sign-out.
 */
describe('e2e: staff sign in through the OpenID provider, triage a report and sign out', () => {
  let stack: TestStack;
  let browser: Browser;
  let reference: string;

  beforeAll(async () => {
    stack = await startTestStack();
    ({ reference } = await submitReport(stack, {
      category: 'asb.neighbour',
      description: 'Loud music from the flat above every night until 3am.',
      location: { postcode: 'LE13 1AB', text: 'Flat 2, 9 Oak Street' },
    }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  const newPage = async () => {
    const context = await browser.newContext({ javaScriptEnabled: true, viewport: { width: 1100, height: 900 } });
    return { page: await context.newPage(), context };
  };
  const chooseWhoYouAre = async (page: Page, name: string) => {
    expect(await page.locator('h1').textContent()).toContain('choose who you are');
    await page.getByRole('button', { name }).click();
  };

  it('an officer opening the triage queue is sent to sign in, comes back to it, triages a report, and signs out', async () => {
    const { page, context } = await newPage();
    await page.goto(`${stack.endpoints.gateway}/officer/triage`);
    // Sent to the provider, which is not this service's page.
    expect(new URL(page.url()).pathname).toBe('/oidc/authorize');
    await chooseWhoYouAre(page, 'Olivia Officer');
    await page.waitForURL(`${stack.endpoints.gateway}/officer/triage`);
    expect(await axeViolations(page)).toEqual([]);

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'sc_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate<string>('document.cookie')).not.toContain('sc_session');

    await page.getByRole('link', { name: reference }).click();
    await page.getByLabel('Open a case').check();
    await page.getByLabel('Kind of case').selectOption('asb');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.waitForURL(/\/officer\/cases\/case-\d{4}-\d{4}$/);
    expect(await page.locator('#timeline + .sc-scroll table').textContent()).toContain('Case opened');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.locator('h1').textContent()).toContain('You have signed out');
    expect(await axeViolations(page)).toEqual([]);
    expect((await context.cookies()).some((c) => c.name === 'sc_session')).toBe(false);

    // The page asks to sign in again.
    const again = await page.request.get(`${stack.endpoints.gateway}/officer/triage`, { headers: { accept: 'text/html' }, maxRedirects: 0 });
    expect(again.status()).toBe(303);
    expect(again.headers().location).toBe('/sign-in?returnTo=%2Fofficer%2Ftriage');
    await page.goto(`${stack.endpoints.gateway}/officer/triage`);
    expect(new URL(page.url()).pathname).toBe('/oidc/authorize');
    await context.close();
  });

  it('a finance user on an officer page is told it needs the officer role', async () => {
    const { page, context } = await newPage();
    await page.goto(`${stack.endpoints.gateway}/officer/triage`);
    await chooseWhoYouAre(page, 'Fiona Finance');
    await page.waitForURL(`${stack.endpoints.gateway}/officer/triage`);
    expect(await page.locator('h1').textContent()).toContain('You cannot see this page');
    expect(await page.locator('main').textContent()).toContain('Safer Communities officer');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
