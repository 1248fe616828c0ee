import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
