import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '#infra/local/stack';
import { launchChromium, screenshots, WCAG_22_AA } from '../support/browser.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

// Several reports come from one address here; the limit itself is tested in intake-rate-limit.
process.env.SC_REPORT_RATE_LIMIT = '1000/3600';

const PHONE = { width: 375, height: 667 };
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const REFERENCE = /SC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

describe('e2e: the public report form in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let s3: S3Client;

  const open = async (options: BrowserContextOptions = {}) => {
    const context = await browser.newContext({ viewport: PHONE, ...options });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return { page, dialogs, close: () => context.close() };
  };

  const axe = async (page: Page) => (await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze()).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);

  /** Fills the form as a person would, by the labels they read. */
  const fillReport = async (page: Page, description: string) => {
    await page.getByLabel('Fly-tipping').check();
    await page.getByLabel('Describe what happened').fill(description);
    await page.getByLabel('Day', { exact: true }).fill('14');
    await page.getByLabel('Month', { exact: true }).fill('5');
    await page.getByLabel('Year', { exact: true }).fill('2024');
    await page.getByLabel('Time (optional)', { exact: true }).fill('9:30pm');
    await page.getByLabel('Postcode (if you know it)').fill('le13 1gh');
    await page.getByLabel('Describe the place').fill('Field gate on Mill Lane');
    // No hate question for fly-tipping: hidden with JavaScript, ignored by the server without.
    await page.getByLabel('No, I want to stay anonymous').check();
  };

  const uploads = async (prefix: string) => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.buckets.intake, Prefix: prefix }));
    return (out.Contents ?? []).map((o) => o.Key ?? '');
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    stack = await startTestStack();
    browser = await launchChromium();
    s3 = new S3Client({ endpoint: stack.endpoints.s3, region: stack.endpoints.region, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    await browser?.close();
    s3?.destroy();
    await stack?.dispose();
  });

  it('sends a fly-tipping report with a photo and shows the reference when JavaScript is on and the screen is phone-sized', async () => {
    const { page, close } = await open();
    await page.goto(`${stack.endpoints.gateway}/`);
    expect(await page.locator('body').getAttribute('class')).toContain('govuk-frontend-supported');
    await page.screenshot({ path: join(screenshots, 'report-form-phone.png'), fullPage: true });
    await fillReport(page, 'About twenty black bags and a sofa dumped in the field gateway.');
    await page.getByRole('button', { name: 'Send report' }).click();

    await expect.poll(() => page.url()).toMatch(/\/confirmation\/[A-Za-z0-9_-]{43}$/);
    const reference = (await page.locator('.govuk-panel__body strong').textContent())?.trim();
    expect(reference).toMatch(REFERENCE);

    await page.getByLabel('Upload a photo').setInputFiles({ name: 'tip.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Upload photo' }).click();
    // S3, its redirect and the photo check: Playwright's wait, not expect.poll's one second.
    await page.locator('#photo-list').waitFor();
    expect(await page.locator('#photo-list').textContent()).toContain('Photo 1 (PNG');
    await page.screenshot({ path: join(screenshots, 'report-confirmation-phone.png'), fullPage: true });

    await stack.settle();
    const queue = (await (await stack.request('GET', '/reports?status=untriaged', { role: 'officer' })).json()) as { items: { reportId: string; reference: string; location: unknown }[] };
    const report = queue.items.find((r) => r.reference === reference);
    expect(report?.location).toEqual({ postcode: 'LE13 1GH', text: 'Field gate on Mill Lane' });
    const stored = await uploads(`photos/${report?.reportId}/`);
    expect(stored).toEqual([`photos/${report?.reportId}/1.png`]);
    const object = await s3.send(new GetObjectCommand({ Bucket: stack.endpoints.buckets.intake, Key: stored[0] }));
    expect(object.ContentType).toBe('image/png');
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(PNG)).toBe(true);
    await close();
  });

  it('sends a report and a photo and shows the reference when JavaScript is off', async () => {
    const { page, close } = await open({ javaScriptEnabled: false });
    await page.goto(`${stack.endpoints.gateway}/`);
    await fillReport(page, 'Builders rubble left by the recycling bins, no JavaScript.');
    // Without JavaScript the contact fields are all shown; choosing "No" means none are kept.
    await page.getByLabel('Email address').fill('not-kept@example.com');
    await page.getByLabel('No, I want to stay anonymous').check();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/confirmation\//);
    const reference = (await page.locator('.govuk-panel__body strong').textContent())?.trim();
    expect(reference).toMatch(REFERENCE);
    await expect.poll(() => page.locator('.govuk-summary-list').textContent()).toContain('You chose to stay anonymous');

    await page.getByLabel('Upload a photo').setInputFiles({ name: 'rubble.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Upload photo' }).click();
    await page.waitForURL(/\/confirmation\/[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('#photo-list').textContent()).toContain('Photo 1 (PNG');
    await close();
  });

  it('asks where, what and how much was fly-tipped and passes axe with the questions open', async () => {
    const { page, close } = await open();
    await page.goto(`${stack.endpoints.gateway}/`);
    await page.getByText('Reporting fly-tipping? Tell us where, what and how much (optional)').click();
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'report-form-fly-tip-phone.png'), fullPage: true });
    await close();
  });

  it('sends the fly-tipping answers, leaving out "I don’t know", when JavaScript is off', async () => {
    const { page, close } = await open({ javaScriptEnabled: false });
    await page.goto(`${stack.endpoints.gateway}/`);
    await fillReport(page, 'Tyres and a fridge dumped in the farm gateway, answers given.');
    await page.getByText('Reporting fly-tipping? Tell us where, what and how much (optional)').click();
    await page.getByRole('group', { name: 'Where was it dumped?' }).getByLabel('Farmland').check();
    await page.getByRole('group', { name: 'What was dumped? Choose the main type of waste' }).getByLabel('Tyres').check();
    await page.getByRole('group', { name: 'How much was dumped?' }).getByLabel('I don’t know').check();
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/confirmation\//);
    const reference = (await page.locator('.govuk-panel__body strong').textContent())?.trim();
    await stack.settle();
    const sent = stack.observedOf('ReportReceived').find((e) => (e.detail as { reference?: string }).reference === reference);
    expect((sent?.detail as { flyTip?: unknown } | undefined)?.flyTip).toEqual({ landType: 'agricultural', wasteType: 'tyres' });
    await close();
  });

  it('shows the error summary and inline errors, keeping what was typed, when the form is sent incomplete', async () => {
    const { page, close } = await open();
    await page.goto(`${stack.endpoints.gateway}/`);
    await page.getByLabel('Describe what happened').fill('Noise every night from the flat above');
    await page.getByLabel('Day', { exact: true }).fill('31');
    await page.getByLabel('Month', { exact: true }).fill('2');
    await page.getByLabel('Year', { exact: true }).fill('2024');
    await page.getByRole('button', { name: 'Send report' }).click();

    await expect.poll(() => page.title()).toMatch(/^Error: /);
    const summary = page.locator('.govuk-error-summary');
    await expect.poll(() => page.evaluate<boolean>("document.querySelector('.govuk-error-summary').contains(document.activeElement)")).toBe(true);
    const links = await summary.locator('a').allTextContents();
    expect(links.map((l) => l.trim())).toEqual([
      'Select what happened',
      'The date it happened must be a real date',
      'Enter a postcode, describe the place, or give a point on a map',
      'Select yes if you think it happened because of hostility to who someone is',
      'Select yes if you want us to contact you about this report',
    ]);
    expect(await page.locator('#category-error').textContent()).toContain('Select what happened');
    expect(await page.getByLabel('Describe what happened').inputValue()).toBe('Noise every night from the flat above');
    expect(await page.getByLabel('Day', { exact: true }).inputValue()).toBe('31');

    await summary.getByRole('link', { name: 'The date it happened must be a real date' }).click();
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('when-day');
    await close();
  });

  it('refuses a file that is not a photo with an error on the confirmation page', async () => {
    const { page, close } = await open({ javaScriptEnabled: false });
    await page.goto(`${stack.endpoints.gateway}/`);
    await fillReport(page, 'Graffiti on the bus shelter.');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/confirmation\//);
    const token = page.url().split('/').pop() ?? '';

    await page.getByLabel('Upload a photo').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('MZ this is not an image') });
    await page.getByRole('button', { name: 'Upload photo' }).click();
    await page.waitForURL(/\/photos\?/);
    expect(await page.title()).toMatch(/^Error: /);
    expect((await page.locator('.govuk-error-summary a').allTextContents()).map((t) => t.trim())).toEqual(['The selected file must be a JPG, PNG or HEIC']);
    expect(await page.locator('#photo-error').textContent()).toContain('The selected file must be a JPG, PNG or HEIC');
    expect(await page.locator('#photo-list').count()).toBe(0);
    // The rejected upload is never referenced: nothing was kept under a report.
    expect(await uploads(`uploads/${token}/`)).toHaveLength(1);
    await close();
  });

  it('uploads a photo on the next click when the script has just refused another one', async () => {
    const { page, close } = await open();
    // The page's clock stands still, so no timer in it (such as a double-click guard's) can
    // run out between the two clicks however slow this machine is: the second click must
    // take effect on its own merits.
    await page.clock.install({ time: new Date('2024-05-14T21:00:00Z') });
    await page.clock.pauseAt(new Date('2024-05-14T21:01:00Z'));
    await page.goto(`${stack.endpoints.gateway}/`);
    await fillReport(page, 'Abandoned trolleys in the brook.');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/confirmation\//);

    await page.getByLabel('Upload a photo').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.getByRole('button', { name: 'Upload photo' }).click();
    await page.locator('#photo-client-error').getByText('must be a JPG, PNG or HEIC').waitFor();

    await page.getByLabel('Upload a photo').setInputFiles({ name: 'trolleys.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Upload photo' }).click();
    await page.locator('#photo-list').waitFor();
    expect(await page.locator('#photo-list').textContent()).toContain('Photo 1 (PNG');
    await close();
  });

  it('shows public text back escaped when a description contains HTML and script', async () => {
    const { page, dialogs, close } = await open();
    const hostile = `<script>alert('x')</script><img src=x onerror="alert('y')"> =cmd|' /C calc'!A0 & "quotes"`;
    await page.goto(`${stack.endpoints.gateway}/`);
    await fillReport(page, hostile);
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/confirmation\//);
    const row = page.locator('.govuk-summary-list__row', { hasText: 'Description' }).locator('.govuk-summary-list__value');
    expect((await row.textContent())?.trim()).toBe(hostile);
    expect(await row.locator('img, script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await close();
  });

  describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
    it('finds no violations on the form when it is first shown', async () => {
      const { page, close } = await open();
      await page.goto(`${stack.endpoints.gateway}/`);
      expect(await axe(page)).toEqual([]);
      await close();
    });

    it('finds no violations on the form when it shows errors', async () => {
      const { page, close } = await open();
      await page.goto(`${stack.endpoints.gateway}/`);
      await page.getByRole('button', { name: 'Send report' }).click();
      await expect.poll(() => page.title()).toMatch(/^Error: /);
      expect(await axe(page)).toEqual([]);
      await close();
    });

    it('finds no violations on the confirmation page when a photo was refused and when one was added', async () => {
      const { page, close } = await open({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${stack.endpoints.gateway}/`);
      await fillReport(page, 'Dog fouling on the path to the school.');
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForURL(/\/confirmation\//);
      expect(await axe(page)).toEqual([]);
      await page.getByLabel('Upload a photo').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      // The script refuses it before sending: the error shows at once.
      await page.getByRole('button', { name: 'Upload photo' }).click();
      await expect.poll(() => page.locator('#photo-client-error').textContent()).toContain('must be a JPG, PNG or HEIC');
      expect(await axe(page)).toEqual([]);
      await page.getByLabel('Upload a photo').setInputFiles({ name: 'ok.png', mimeType: 'image/png', buffer: PNG });
      await page.getByRole('button', { name: 'Upload photo' }).click();
      await page.locator('#photo-list').waitFor();
      expect(await axe(page)).toEqual([]);
      await close();
    });

    it('finds no violations on the accessibility statement', async () => {
      const { page, close } = await open();
      await page.goto(`${stack.endpoints.gateway}/accessibility`);
      expect(await page.locator('h1').textContent()).toContain('Accessibility statement');
      expect(await axe(page)).toEqual([]);
      await close();
    });
  });
});
