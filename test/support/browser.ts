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

/** A page as a signed-in member of staff: the bearer token on every request (there is no browser sign-in yet). */
export async function staffPage(browser: Browser, token: string, javaScriptEnabled: boolean, width = 1024) {
  const context = await browser.newContext({ javaScriptEnabled, extraHTTPHeaders: { authorization: `Bearer ${token}` }, viewport: { width, height: 900 } });
  return { page: await context.newPage(), close: () => context.close() };
}

/** The page's WCAG 2.2 AA violations, one line each (an empty list passes). */
export async function axeViolations(page: Page): Promise<string[]> {
  return (await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
