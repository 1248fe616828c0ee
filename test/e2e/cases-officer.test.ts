import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, londonDateOf } from '#shared/london-time';
import { launchChromium, screenshots, staffPage, WCAG_22_AA } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { submitReport } from '../support/reports.ts';


describe('e2e: an officer triages a report, opens a case, records a CPW, is refused a CPN, then serves one after the comply-by date', () => {
  let stack: TestStack;
  let browser: Browser;
  let reference: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startTestStack();
    ({ reference } = await submitReport(stack, {
      category: 'asb.neighbour',
      description: 'Neighbour shouting threats over the fence every evening.',
      occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      location: { postcode: 'LE14 2QX', text: 'Garden fence, 4 Elm Road' },
    }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  // Signed in through the local OpenID provider: every form carries the session's CSRF token.
  const open = (javaScriptEnabled = true) => staffPage(browser, stack.endpoints.gateway, 'Olivia Officer', javaScriptEnabled, 1100);
  /** The action form's first step: choose the action (from the second step, go back to the choice first). */
  const choose = async (page: Page, action: string) => {
    if ((await page.getByLabel('What did you do?').count()) === 0) await page.getByRole('link', { name: 'Choose a different action' }).click();
    await page.getByLabel('What did you do?').selectOption(action);
    await page.getByRole('button', { name: 'Continue' }).click();
  };
  const axe = async (page: Page) =>
    (await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);

  it('goes from the queue to a case, is refused a CPN with the reason shown, and serves one after a CPW comply-by date', async () => {
    const { page, close } = await open();
    await page.goto(`${stack.endpoints.gateway}/officer/triage`);
    expect(await axe(page)).toEqual([]);
    await page.getByRole('link', { name: reference }).click();
    expect(await page.locator('h1').textContent()).toContain(reference);

    // Saving without a choice shows the error summary and the inline error.
    await page.getByRole('button', { name: 'Save decision' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose what should happen to the report');
    expect(await axe(page)).toEqual([]);

    await page.getByLabel('Open a case').check();
    await page.getByLabel('Kind of case').selectOption('asb');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.waitForURL(/\/officer\/cases\/case-\d{4}-\d{4}$/);
    const caseId = (await page.locator('h1').textContent())?.replace('Case ', '').trim() ?? '';
    expect(caseId).toMatch(/^case-\d{4}-\d{4}$/);
    expect(await page.locator('#timeline + .sc-scroll table').textContent()).toContain('Case opened');

    // A CPN with no CPW at all: refused, the reason shown on the form. The form asks only what a CPN needs.
    await choose(page, 'NoticeServed:CPN');
    expect(await page.getByLabel('Offence').count()).toBe(0);
    await page.getByLabel('Person or premises reference').fill('subject-e2e');
    await page.getByRole('button', { name: 'Record action' }).click();
    // Said first: whether it is a person (with an age) or a body.
    expect(await page.locator('#subjectKind-error').textContent()).toContain('is a person');
    // The form comes back at the same step, with what was typed.
    expect(await page.getByLabel('Person or premises reference').inputValue()).toBe('subject-e2e');
    await page.getByLabel('A person', { exact: true }).check();
    await page.getByLabel('Their age (a person)').fill('34');
    await page.getByRole('button', { name: 'Record action' }).click();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('needs an earlier Community Protection Warning');
    expect(await page.locator('#action-error').textContent()).toContain('Issue a CPW first');

    // The CPW, giving two weeks to comply.
    const complyBy = addDays(londonDateOf(new Date()), 14);
    const [year, month, day] = complyBy.split('-');
    await choose(page, 'WarningIssued:CPW');
    await page.getByLabel('Person or premises reference').fill('subject-e2e');
    await page.getByLabel('Their age (a person)').fill('34');
    await page.locator('#complyBy-day').fill(String(Number(day)));
    await page.locator('#complyBy-month').fill(String(Number(month)));
    await page.locator('#complyBy-year').fill(year ?? '');
    await page.getByRole('button', { name: 'Record action' }).click();
    await page.waitForURL(/recorded=/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('recorded');
    const timeline = await page.locator('#timeline + .sc-scroll table').textContent();
    expect(timeline).toContain('Community Protection Warning (CPW)');
    expect(timeline).toContain('subject-e2e (aged 34)');

    // What can be done next says when, from the rules.
    expect(await page.locator('#next + ul').textContent()).toContain('A Community Protection Notice (CPN) can be served on subject-e2e from');

    // The CPN before the comply-by date has passed: refused with the dates.
    await choose(page, 'NoticeServed:CPN');
    await page.getByLabel('Person or premises reference').fill('subject-e2e');
    await page.getByLabel('Their age (a person)').fill('34');
    await page.getByRole('button', { name: 'Record action' }).click();
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('gives until');
    expect(summary).toContain('a CPN can be served from the day after');
    expect(await page.locator('#occurred-day-error, #occurred-error').first().textContent()).toContain('gives until');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'case-cpn-refused.png'), fullPage: true });
    expect(await page.locator('#timeline + .sc-scroll table').textContent()).not.toContain('Community Protection Notice');

    // A CPW recorded afterwards for three weeks ago, its comply-by date a week ago: now a CPN is accepted.
    const fill = async (name: string, date: string) => {
      const [y, m, d] = date.split('-');
      await page.locator(`#${name}-day`).fill(String(Number(d)));
      await page.locator(`#${name}-month`).fill(String(Number(m)));
      await page.locator(`#${name}-year`).fill(y ?? '');
    };
    const today = londonDateOf(new Date());
    await choose(page, 'WarningIssued:CPW');
    await page.getByLabel('Person or premises reference').fill('subject-e2e-2');
    await page.getByLabel('A body (business, premises)').check();
    await page.getByLabel('Their age (a person)').fill('');
    await fill('complyBy', addDays(today, -7));
    await fill('occurred', addDays(today, -21));
    await page.getByLabel('Time', { exact: true }).fill('10:00');
    await page.getByRole('button', { name: 'Record action' }).click();
    await page.waitForURL(/recorded=/);
    await choose(page, 'NoticeServed:CPN');
    await page.getByLabel('Person or premises reference').fill('subject-e2e-2');
    await page.getByLabel('A body (business, premises)').check();
    await page.getByLabel('Their age (a person)').fill('');
    await page.getByRole('button', { name: 'Record action' }).click();
    await page.waitForURL(/recorded=/);
    const rows = await page.locator('#timeline + .sc-scroll table tbody tr').allTextContents();
    const whats = rows.map((r) => (r.includes('Community Protection Notice') ? 'CPN' : r.includes('Community Protection Warning') ? 'CPW' : r.includes('Case opened') ? 'opened' : r));
    // In occurredAt order: the back-dated CPW first, the case, today's CPW, then the CPN.
    expect(whats).toEqual(['CPW', 'opened', 'CPW', 'CPN']);

    await page.goto(`${stack.endpoints.gateway}/officer/cases`);
    expect(await page.getByRole('link', { name: caseId }).count()).toBe(1);
    expect(await axe(page)).toEqual([]);
    await close();
  });

  it('works without JavaScript, every triage choice visible', async () => {
    const { reference: ref } = await submitReport(stack, { category: 'enviro.fly-tipping', description: 'Sofa dumped in the lay-by.', occurredAt: new Date().toISOString(), location: { text: 'Mill Lane lay-by' } });
    const { page, close } = await open(false);
    await page.goto(`${stack.endpoints.gateway}/officer/triage`);
    await page.getByRole('link', { name: ref }).click();
    expect(await page.getByLabel('Service', { exact: true }).isVisible()).toBe(true);
    await page.getByLabel('Refer it to another service').check();
    await page.getByLabel('Service', { exact: true }).fill('Environment Agency');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.waitForURL(/\/officer\/triage\?referred=/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('referred');
    expect(await page.getByRole('link', { name: ref }).count()).toBe(0);
    await close();
  });
});
