import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAddReportPhoto } from '../../functions/intake/photos.ts';
import { axeViolations, launchChromium, screenshots, staffPage } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { submitReport } from '../support/reports.ts';

/** A 4×3 PNG, so a loaded thumbnail has a size. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGOoiLKBIwacHAD5wwypckMnBwAAAABJRU5ErkJggg==', 'base64');

describe("e2e: an officer's day — home, the triage queue with a photo, the case, an action, closing it", () => {
  let stack: TestStack;
  let browser: Browser;
  const reports: { reportId: string; reference: string }[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    // Two reports of a fly-tip at the same postcode: likely duplicates; the first with a photo.
    for (const text of ['Bags of rubble behind the garages', 'Rubble dumped by the garages again']) {
      const res = await stack.request('POST', '/reports', {
        json: { category: 'enviro.fly-tipping', description: text, occurredAt: new Date(Date.now() - 3_600_000).toISOString(), location: { postcode: 'LE13 7QQ', text: 'Garages, Elm Close' }, hateMotivated: false },
      });
      expect(res.status).toBe(202);
      reports.push((await res.json()) as { reportId: string; reference: string });
    }
    await stack.settle();
    // The photo as intake keeps an accepted one: the object under its report, and the report's photo list.
    const [first] = reports;
    const key = `photos/${first?.reportId}/1.png`;
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.endpoints.buckets.intake, Key: key, Body: PNG, ContentType: 'image/png' }));
    await buildAddReportPhoto(DynamoDBDocumentClient.from(stack.dynamodb), stack.endpoints.tables.main)(first?.reportId ?? '', {
      n: 1,
      key,
      contentType: 'image/png',
      bytes: PNG.length,
      addedAt: new Date().toISOString(),
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  // axe runs with JavaScript on (with it off, axe never finishes). Signed in through the local
  // OpenID provider: the session cookie goes to the gateway only (a photo's link is the
  // gateway's, OfficerPhotos, which redirects to the bucket with the signature in the address),
  // and every form carries the session's CSRF token.
  const open = (width = 1100) => staffPage(browser, stack.endpoints.gateway, 'Olivia Officer', true, width);
  /** The width of a loaded image (waits for it to load; 0 if it could not be). */
  type Img = { complete: boolean; naturalWidth: number; onload: (() => void) | null; onerror: (() => void) | null };
  const loadedWidth = (img: ReturnType<Page['getByAltText']>) =>
    img.first().evaluate((el) => {
      const image = el as unknown as Img;
      return image.complete
        ? image.naturalWidth
        : new Promise<number>((resolve) => {
            image.onload = () => resolve(image.naturalWidth);
            image.onerror = () => resolve(0);
          });
    });
  /** WCAG 2.2 AA, and the "region" best practice: everything on the page is in a landmark. */
  const axe = (page: Page) => axeViolations(page, { region: true });
  /** No sideways scroll of the page itself (a table may scroll in its own box). */
  const overflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

  let caseId = '';

  it('goes from home to the triage queue, sees the photo and the duplicate, opens one case for both, records a visit and closes it', async () => {
    const [first, second] = reports as [{ reportId: string; reference: string }, { reportId: string; reference: string }];
    const { page, close } = await open();
    await page.goto(`${stack.endpoints.gateway}/officer`);
    expect(await page.locator('h1').textContent()).toContain('Your day');
    expect(await axe(page)).toEqual([]);

    await page.getByRole('link', { name: 'Triage queue' }).click();
    await page.waitForURL(/\/officer\/triage$/);
    expect(await page.locator('h2', { hasText: 'reports that look like the same thing' }).textContent()).toContain('2 reports');
    // The thumbnail's link is the page's own origin; the browser follows its redirect to the
    // bucket's short-lived link, which the page's CSP allows (img-src applies to the redirect too).
    const thumbnail = page.getByAltText(`Photo 1 sent with report ${first.reference}`);
    expect(await thumbnail.first().getAttribute('src')).toBe(`/officer/photos/${first.reportId}/1`);
    expect(await loadedWidth(thumbnail)).toBe(4);
    expect(await page.locator('main').textContent()).toContain('Garages, Elm Close');
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'officer-triage-queue.png'), fullPage: true });

    // The group is led by the report that arrived first (the bus's clock counts in seconds: either may lead here).
    const decide = page.getByRole('link', { name: /^Decide on report / });
    const other = (await decide.textContent())?.includes(first.reference) ? second : first;
    await decide.click();
    expect(await page.getByLabel(`Report ${other.reference}`).isChecked()).toBe(true);
    await page.getByLabel('Open a case').check();
    await page.getByLabel('Kind of case').selectOption('enviro');
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.waitForURL(/\/officer\/cases\/case-\d{4}-\d{4}\?linked=1$/);
    caseId = (await page.locator('h1').textContent())?.replace('Case ', '').trim() ?? '';
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('1 more report was linked');
    expect(await page.locator('#reports ~ .govuk-summary-card').count()).toBe(2);
    expect(await loadedWidth(page.getByAltText(`Photo 1 sent with report ${first.reference}`))).toBe(4);
    // Names and words, not ids and codes: the case is run by the signed-in officer, named.
    const summary = await page.locator('.govuk-summary-list').first().textContent();
    expect(summary).toContain('Olivia Officer');
    expect(summary).toContain('A member of the public');
    expect(await axe(page)).toEqual([]);

    // The action form: choose the action, then only its fields.
    await page.getByLabel('What did you do?').selectOption('TeamActionRecorded:visit');
    await page.getByRole('button', { name: 'Continue' }).click();
    const form = page.locator('form[action$="/actions#record"]');
    expect(await form.locator('[name="contactWith"]').count()).toBe(3);
    expect(await form.locator('[name="complyBy-day"], [name="offence"], [name="service"], [name="subjectKind"]').count()).toBe(0);
    await page.getByLabel('The complainant', { exact: true }).check();
    await page.getByLabel('Notes (optional)').fill('Walked the site with the complainant.');
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Record action' }).click();
    await page.waitForURL(/recorded=/);
    const timeline = await page.locator('#timeline + .sc-scroll table').textContent();
    expect(timeline).toContain('Visit');
    expect(timeline).toContain('with the complainant');
    expect(timeline).toContain('Report linked');

    // Closing without saying how it ended: told on the form; then closed.
    await page.getByRole('button', { name: 'Close case' }).click();
    expect(await page.locator('#outcome-error').textContent()).toContain('Choose how the case ended');
    expect(await axe(page)).toEqual([]);
    await page.getByLabel('Resolved: the behaviour stopped').check();
    await page.getByRole('button', { name: 'Close case' }).click();
    await page.waitForURL(/done=closed/);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The case was closed.');
    expect(await page.locator('.govuk-summary-list').first().textContent()).toContain('Resolved: the behaviour stopped');
    expect(await page.getByRole('button', { name: 'Record action' }).count()).toBe(0);
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'officer-case-closed.png'), fullPage: true });

    // Searching by the postcode finds both reports and the case.
    await page.goto(`${stack.endpoints.gateway}/officer`);
    await page.getByLabel('Search').fill('le13 7qq');
    await page.getByRole('button', { name: 'Search' }).click();
    const results = await page.locator('main').textContent();
    expect(results).toContain(first.reference);
    expect(results).toContain(second.reference);
    expect(results).toContain(caseId);
    expect(await axe(page)).toEqual([]);
    await close();
  });

  it('fits a 320px screen with no sideways page scroll, and stays axe-clean there', async () => {
    // An open case too, for its forms: the action's second step has date inputs.
    const { reportId } = await submitReport(stack, { description: 'Music until 3am every night from the flat above.', occurredAt: new Date().toISOString(), location: { postcode: 'LE13 7QR' } });
    const opened = await stack.request('POST', `/reports/${reportId}/triage`, { role: 'officer', json: { action: 'open-case', kind: 'asb', owner: 'safer-communities' } });
    const openCase = ((await opened.json()) as { caseId: string }).caseId;
    await stack.settle();
    const { page, close } = await open(320);
    const paths = ['/officer', '/officer/search?q=LE13', '/officer/triage', `/officer/triage/${reports[0]?.reportId}`, '/officer/cases?status=all', `/officer/cases/${caseId}`];
    for (const path of [...paths, `/officer/cases/${openCase}`, `/officer/cases/${openCase}?action=WarningIssued:CPW`]) {
      await page.goto(`${stack.endpoints.gateway}${path}`);
      expect(await overflow(page), path).toBeLessThanOrEqual(0);
      expect(await axe(page), path).toEqual([]);
    }
    await page.screenshot({ path: join(screenshots, 'officer-case-320.png'), fullPage: true });
    await close();
  });
});
