import { request as httpRequest } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS } from '#infra/local/stack';
import assets from '../../web/generated/assets.js';
import { JPEG } from '../support/fixtures/images.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

process.env.SC_REPORT_RATE_LIMIT = '1000/3600';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const validForm = (overrides: Record<string, string> = {}) => ({
  category: 'enviro.fly-tipping',
  description: 'Mattress dumped by the gate',
  'when-day': '14',
  'when-month': '5',
  'when-year': '2024',
  'when-time': '21:30',
  'location-postcode': 'LE13 1GH',
  hateMotivated: 'no',
  consentToContact: 'no',
  ...overrides,
});

interface UploadForm {
  action: string;
  fields: Record<string, string>;
}

/** The photo form on a confirmation page, read as a browser would. */
function uploadFormOf(html: string): UploadForm | undefined {
  const form = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) return undefined;
  const decode = (v: string) => v.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  const fields = Object.fromEntries([...(form[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1] ?? '', decode(m[2] ?? '')]));
  return { action: decode(form[1] ?? ''), fields };
}

describe('integration: the public report pages', () => {
  let stack: TestStack;
  let s3: S3Client;

  /** Sends a valid form; returns the confirmation page's path. */
  const submit = async (overrides: Record<string, string> = {}) => {
    const res = await stack.request('POST', '/reports', { form: validForm(overrides) });
    expect(res.status).toBe(303);
    return res.headers.get('location') ?? '';
  };

  /** Posts a file straight to S3 with the page's form, then follows S3's redirect back to us. */
  const upload = async (form: UploadForm, body: Buffer, name = 'photo.png') => {
    const data = new FormData();
    for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
    data.append('file', new Blob([body]), name);
    const stored = await fetch(form.action, { method: 'POST', body: data, redirect: 'manual' });
    expect(stored.status).toBe(303);
    const back = new URL(stored.headers.get('location') ?? '');
    expect(back.origin).toBe(stack.endpoints.gateway);
    return stack.request('GET', `${back.pathname}${back.search}`);
  };

  beforeAll(async () => {
    stack = await startTestStack();
    s3 = new S3Client({ endpoint: stack.endpoints.s3, region: stack.endpoints.region, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    s3.destroy();
    await stack.dispose();
  });

  it('serves the form as HTML with a strict content security policy when / is asked for', async () => {
    const res = await stack.request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'; form-action 'self';/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/reports" novalidate>');
    expect(html).toContain('name="website"');
  });

  it('serves hashed assets for a year and plain names briefly, and 404s an unknown one', async () => {
    const css = assets['app.css'];
    const hashed = await stack.request('GET', `/assets/${css?.path}`);
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(hashed.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await hashed.text()).toBe(css?.body);
    const plain = await stack.request('GET', '/assets/app.js');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=300');
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await stack.request('GET', '/assets/../../package.json')).status).toBe(404);
    expect((await stack.request('GET', '/assets/nothing.css')).status).toBe(404);
  });

  it('shows the reference and the report as sent when the confirmation page is opened', async () => {
    const location = await submit({ description: 'Sofa <em>and</em> fridge', consentToContact: 'yes', 'contact-email': 'jo@example.com' });
    const res = await stack.request('GET', location);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<strong>SC-[0-9A-Z]{4}-[0-9A-Z]{4}<\/strong>/);
    expect(html).toContain('Sofa &lt;em&gt;and&lt;/em&gt; fridge');
    expect(html).toContain('14 May 2024 at 9:30pm');
    expect(html).toContain('You gave contact details and agreed to be contacted');
    expect(html).not.toContain('jo@example.com');
  });

  it('answers 404 with a page when the confirmation token is unknown or malformed', async () => {
    for (const path of [`/confirmation/${'A'.repeat(43)}`, '/confirmation/short', `/confirmation/${'A'.repeat(43)}/photos?slot=1`]) {
      const res = await stack.request('GET', path);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('This page has expired or its address is wrong');
    }
  });

  it('takes up to 3 photos, each once, and then offers no more uploads', async () => {
    const location = await submit();
    for (let n = 1; n <= 3; n += 1) {
      const form = uploadFormOf(await (await stack.request('GET', location)).text());
      expect(form?.fields.key).toBe(`uploads/${location.split('/').pop()}/${n}`);
      const back = await upload(form as UploadForm, PNG);
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe(location);
    }
    const html = await (await stack.request('GET', location)).text();
    expect(uploadFormOf(html)).toBeUndefined();
    expect(html).toContain('You have added 3 of 3 photos');
    expect(html).toContain('You have added the most photos you can');
    // Following S3's redirect again (a reload) adds nothing.
    const again = await stack.request('GET', `${location}/photos?slot=2`);
    expect(again.status).toBe(303);
    expect((await (await stack.request('GET', location)).text()).match(/<li>Photo \d/g)).toHaveLength(3);
  });

  it('refuses a photo over 10MB at S3, and again on the server when one is stored anyway', async () => {
    const location = await submit();
    const form = uploadFormOf(await (await stack.request('GET', location)).text()) as UploadForm;
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    const data = new FormData();
    for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
    data.append('file', new Blob([big]), 'photo.png');
    // The policy's content-length-range: S3 (and the local one) refuses before storing anything …
    const refused = await fetch(form.action, { method: 'POST', body: data, redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<Code>EntityTooLarge</Code>');
    // … and an object that got there another way is checked before the report refers to it.
    await s3.send(new PutObjectCommand({ Bucket: stack.endpoints.buckets.intake, Key: form.fields.key, Body: big }));
    const back = await stack.request('GET', `${location}/photos?slot=1`);
    expect(back.status).toBe(422);
    const html = await back.text();
    expect(html).toContain('The selected file must be smaller than 10MB');
    expect(html).not.toContain('id="photo-list"');
  });

  it('answers 400 with a page when the upload slot is not one we gave out', async () => {
    const location = await submit();
    for (const slot of ['0', '4', 'x', '1.5']) {
      const res = await stack.request('GET', `${location}/photos?slot=${slot}`);
      expect(res.status).toBe(400);
    }
  });

  it('refuses a JPEG header followed by HTML, and takes a real JPEG', async () => {
    const location = await submit();
    const form = uploadFormOf(await (await stack.request('GET', location)).text()) as UploadForm;
    const html = Buffer.concat([JPEG.subarray(0, 300), Buffer.from('<html><script>alert(document.cookie)</script></html>')]);
    const refused = await upload(form, html, 'photo.jpg');
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('JPG, PNG or HEIC');
    const taken = await upload(form, JPEG, 'photo.jpg');
    expect(taken.status).toBe(303);
    expect(await (await stack.request('GET', location)).text()).toContain('Photo 1 (JPG');
  });

  it('sends S3 back to the configured public address, whatever Host the request names', async () => {
    const location = await submit();
    const gateway = new URL(stack.endpoints.gateway);
    const html = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: gateway.hostname, port: gateway.port, path: location, headers: { host: 'evil.example', 'x-forwarded-proto': 'https' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
    const form = uploadFormOf(html);
    expect(form?.fields.success_action_redirect).toMatch(new RegExp(`^${stack.endpoints.gateway}/confirmation/`));
    expect(html).not.toContain('evil.example');
  });

  it('answers 422 naming the photo problem when S3 redirects back without a stored upload', async () => {
    const location = await submit();
    const res = await stack.request('GET', `${location}/photos?slot=1`);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('The photo did not arrive: select it and upload it again');
  });

  it('puts nothing on the bus and answers with a page when the spam trap is filled in', async () => {
    await stack.settle();
    const put = vi.spyOn(stack.bus, 'put');
    const res = await stack.request('POST', '/reports', { form: validForm({ website: 'http://cheap-pills.example' }) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('a hidden field was filled in');
    expect(put).not.toHaveBeenCalled();
    put.mockRestore();
  });

  it('answers a form post that is too large with a page, and a JSON one with JSON', async () => {
    const form = await stack.request('POST', '/reports', { form: validForm({ description: 'x'.repeat(300 * 1024) }) });
    expect(form.status).toBe(413);
    expect(await form.text()).toContain('Your report is too long');
    const json = await stack.request('POST', '/reports', { json: { description: 'x'.repeat(300 * 1024) } });
    expect(json.status).toBe(413);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('serves the accessibility statement', async () => {
    const res = await stack.request('GET', '/accessibility');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Accessibility statement for Report anti-social behaviour');
  });
});
