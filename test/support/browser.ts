import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, with the flags this machine's closed network needs (stack.md). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The axe-core tags for WCAG 2.2 AA (and the 2.0 and 2.1 criteria it includes). */
export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const screenshots = join(process.cwd(), 'test-results');

export function launchChromium(): Promise<Browser> {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({ executablePath: process.env.SC_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/**
 * A page as a signed-in member of staff, signed in the way a person does: /sign-in, the local
 * OpenID provider's "choose who you are" form (infra/local/oidc-provider.ts names the demo
 * staff), back with a session cookie. No token is set by hand, so the staff forms carry the
 * session's CSRF token as they do for a person.
 */
export async function staffPage(browser: Browser, gateway: string, person: string, javaScriptEnabled: boolean, width = 1024) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const landing = '/';
  await page.goto(`${gateway}/sign-in?returnTo=${encodeURIComponent(landing)}`);
  await page.getByRole('button', { name: person, exact: true }).click();
  await page.waitForURL((url) => url.pathname === landing);
  if (!(await context.cookies()).some((c) => c.name === 'sc_session')) throw new Error(`${person} was not signed in`);
  return { page, close: () => context.close() };
}

/**
 * The page's WCAG 2.2 AA violations, one line each (an empty list passes); with `region`, also
 * the "region" best practice (everything on the page is in a landmark), run on its own because
 * it carries no WCAG tag.
 */
export async function axeViolations(page: Page, options: { region?: boolean } = {}): Promise<string[]> {
  const found = (await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()).violations;
  if (options.region) found.push(...(await new AxeBuilder({ page }).withRules(['region']).analyze()).violations);
  return found.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
