import { chromium } from 'playwright-core';
import { startTestStack } from './test/support/local-stack.ts';
const stack = await startTestStack();
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
try {
  const ctx = await b.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 1 });
  const p = await ctx.newPage();
  await p.goto(stack.endpoints.gateway + '/');
  for (const [i, y] of [0, 1500, 2400, 3300].entries()) { await p.evaluate((y) => window.scrollTo(0, y), y); await p.screenshot({ path: `test-results/seg${i}.png` }); }
  await p.getByRole('button', { name: 'Send report' }).click();
  await p.waitForLoadState();
  await p.screenshot({ path: 'test-results/err0.png' });
} finally { await b.close(); await stack.dispose(); }
