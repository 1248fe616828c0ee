import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpApi } from '#shared/http';
import type { Photo } from '../../functions/intake/photo-records.ts';
import { TooManyRequestsError } from '#shared/errors';
import { buildReportWeb, type ReportWebDeps } from '../../functions/intake/report-web.ts';
import { buildConfirmationWeb, type ConfirmationWebDeps } from '../../functions/intake/confirmation-web.ts';
import { reportConfirmation, reportIntake } from '../../functions/intake/capability.ts';
import { reportErrorPage } from '../../functions/intake/report-views.ts';
import type { Submission } from '../../functions/intake/submissions.ts';

const TOKEN = 'T'.repeat(43);

const validForm = {
  category: 'asb.noise',
  description: 'Music all night',
  'when-day': '3',
  'when-month': '2',
  'when-year': '2024',
  'when-time': '2am',
  'location-text': 'Flat above the chip shop',
  hateMotivated: 'no',
  consentToContact: 'no',
};

const submission: Submission = {
  token: TOKEN,
  reportId: 'r-1',
  reference: 'SC-ABCD-EFGH',
  report: { category: 'asb.noise', description: 'Music', occurredAt: '2024-02-03T02:00:00+00:00', location: { text: 'Flat' }, hateMotivated: false, contactGiven: false },
  createdAt: '2024-02-03T03:00:00Z',
  expiresAt: 0,
};

type Deps = ReportWebDeps & ConfirmationWebDeps;

function fakes(overrides: Partial<Deps> = {}) {
  const log: string[] = [];
  const photos: Photo[] = [];
  const deps: Deps = {
    saveContact: async () => {
      log.push('contact');
      return 'ct_1';
    },
    publish: async (detail) => {
      log.push(`publish ${detail.reference}`);
    },
    takeRateLimit: async (scope, ip) => {
      log.push(`rate ${scope} ${ip}`);
    },
    saveSubmission: async (token, ids) => {
      log.push(`submission ${token.length} ${ids.reference}`);
    },
    getSubmission: async (token) => (token === TOKEN ? submission : undefined),
    getPhotos: async () => photos,
    addPhoto: async (_reportId, photo) => {
      photos.push(photo);
    },
    photos: {
      uploadForm: async (token, n, redirect) => ({ url: 'http://s3.test/intake', fields: { key: `uploads/${token}/${n}`, success_action_redirect: redirect } }),
      accept: async (_token, n) => ({ ok: true, photo: { n, key: `photos/r-1/${n}.png`, contentType: 'image/png', bytes: 2048, addedAt: 'now' } }),
    },
    publicOrigin: () => 'https://report.example.test',
    ...overrides,
  };
  return { deps, log, photos };
}

const context = { functionName: 'ReportIntake', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function request(routeKey: string, init: { body?: string; type?: string; path?: Record<string, string>; query?: Record<string, string> } = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath: '/',
    rawQueryString: '',
    headers: { host: 'report.example.test', 'x-forwarded-proto': 'https', ...(init.type ? { 'content-type': init.type } : {}) },
    ...(init.path ? { pathParameters: init.path } : {}),
    ...(init.query ? { queryStringParameters: init.query } : {}),
    requestContext: { http: { method: routeKey.split(' ')[0], path: '/', sourceIp: '203.0.113.9', protocol: 'HTTP/1.1', userAgent: 't' }, routeKey, domainName: 'x' },
    ...(init.body !== undefined ? { body: init.body } : {}),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** Each route through the function that serves it: the form (ReportIntake) or the confirmation (ReportConfirmation). */
const call = async (deps: Deps, event: APIGatewayProxyEventV2) => {
  const handler = event.routeKey.startsWith('GET /confirmation/')
    ? httpApi(reportConfirmation, buildConfirmationWeb(deps), { errorPage: reportErrorPage })
    : httpApi(reportIntake, buildReportWeb(deps), { errorPage: reportErrorPage });
  return (await handler(event, context)) as APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };
};

const postForm = (fields: Record<string, string>) => request('POST /reports', { body: new URLSearchParams(fields).toString(), type: 'application/x-www-form-urlencoded' });

describe('unit: the report form routes', () => {
  it('stores the confirmation before the event is put and redirects to it when the form is valid', async () => {
    const { deps, log } = fakes();
    const res = await call(deps, postForm(validForm));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/confirmation\/[A-Za-z0-9_-]{43}$/);
    expect(log).toEqual(['rate reports 203.0.113.9', expect.stringMatching(/^submission 43 SC-/), expect.stringMatching(/^publish SC-/)]);
  });

  it('puts the fly-tipping answers on the event, leaving out "I don’t know", only when the report is fly-tipping', async () => {
    const flyTips: unknown[] = [];
    const { deps } = fakes({ publish: async (detail) => void flyTips.push(detail.flyTip ?? null) });
    const answers = { 'flyTip-landType': 'agricultural', 'flyTip-wasteType': 'dont-know', 'flyTip-size': 'small-van-load' };
    expect((await call(deps, postForm({ ...validForm, category: 'enviro.fly-tipping', ...answers }))).statusCode).toBe(303);
    expect((await call(deps, postForm({ ...validForm, ...answers }))).statusCode).toBe(303);
    expect((await call(deps, postForm({ ...validForm, category: 'enviro.fly-tipping', 'flyTip-landType': 'dont-know' }))).statusCode).toBe(303);
    expect(flyTips).toEqual([{ landType: 'agricultural', size: 'small-van-load' }, null, null]);
  });

  it('re-shows the form with the fly-tipping questions open and the error linked when an answer is not on the list', async () => {
    const { deps, log } = fakes();
    const res = await call(deps, postForm({ ...validForm, category: 'enviro.fly-tipping', 'flyTip-size': 'a-lorry' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#flyTip-size">Choose a size from the WasteDataFlow list</a>');
    expect(res.body).toMatch(/<details class="govuk-details" open>/);
    expect(log).toEqual([]);
  });

  it('puts no event when the confirmation cannot be stored', async () => {
    const { deps, log } = fakes({
      saveSubmission: async () => {
        throw new Error('table unavailable');
      },
    });
    const res = await call(deps, postForm(validForm));
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Sorry, there is a problem with the service');
    expect(log.filter((l) => l.startsWith('publish'))).toEqual([]);
  });

  it('re-shows the form with 422, the answers kept, and counts nothing when the form is invalid', async () => {
    const { deps, log } = fakes();
    const res = await call(deps, postForm({ ...validForm, category: '', description: 'Kept <b>text</b>' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Kept &lt;b&gt;text&lt;/b&gt;</textarea>');
    expect(res.body).toContain('<a href="#category">Select what happened</a>');
    expect(log).toEqual([]);
  });

  it('answers 400 with a page and counts nothing when the spam trap is filled in', async () => {
    const { deps, log } = fakes();
    const res = await call(deps, postForm({ ...validForm, website: 'x' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(log).toEqual([]);
  });

  it('answers 429 as a page to the form and as JSON to a program when the client sent too many', async () => {
    const { deps, log } = fakes({
      takeRateLimit: async () => {
        throw new TooManyRequestsError('too many reports have been sent from your connection; try again in 5 minutes, or telephone the council', 300);
      },
    });
    const page = await call(deps, postForm(validForm));
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toBe('300');
    // The form comes back as typed, with when to try again and the council's number.
    expect(page.body).toContain('We could not send your report yet');
    expect(page.body).toContain('paused new ones for 5 minutes');
    expect(page.body).toContain('01632 960 000');
    expect(page.body).toContain(`>${validForm.description}</textarea>`);
    const json = await call(deps, request('POST /reports', { body: JSON.stringify({ category: 'asb.noise', description: 'x', occurredAt: '2024-02-03T02:00:00Z', location: { text: 'x' }, hateMotivated: false }), type: 'application/json' }));
    expect(json.statusCode).toBe(429);
    expect(json.headers['retry-after']).toBe('300');
    expect(JSON.parse(json.body ?? '{}')).toEqual({ error: { code: 'too_many_requests', message: expect.stringContaining('try again in 5 minutes') } });
    expect(log.filter((l) => l.startsWith('publish'))).toEqual([]);
  });

  it('answers JSON with 202 and keeps no confirmation page', async () => {
    const { deps, log } = fakes();
    const res = await call(deps, request('POST /reports', { body: JSON.stringify({ category: 'asb.noise', description: 'x', occurredAt: '2024-02-03T02:00:00Z', location: { text: 'x' }, hateMotivated: false }), type: 'application/json' }));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body ?? '{}')).toEqual({ reportId: expect.any(String), reference: expect.stringMatching(/^SC-/) });
    expect(log.some((l) => l.startsWith('submission'))).toBe(false);
  });

  it('offers the next free photo slot, redirecting back to this site, on the confirmation page', async () => {
    const { deps, photos } = fakes();
    photos.push({ n: 1, key: 'photos/r-1/1.png', contentType: 'image/png', bytes: 4096, addedAt: 'x' });
    const res = await call(deps, request('GET /confirmation/{token}', { path: { token: TOKEN } }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`name="key" value="uploads/${TOKEN}/2"`);
    expect(res.body).toContain(`value="https://report.example.test/confirmation/${TOKEN}/photos?slot=2"`);
    expect(res.headers['content-security-policy']).toContain("form-action 'self' http://s3.test;");
    expect(res.body).toContain('Photo 1 (PNG, 4 KB)');
  });

  it('sends S3 back to the configured public address, never to the Host the request names', async () => {
    const { deps } = fakes({ publicOrigin: () => 'https://reports.council.example' });
    const event = request('GET /confirmation/{token}', { path: { token: TOKEN } });
    event.headers = { ...event.headers, host: 'evil.example', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.example' };
    const res = await call(deps, event);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`value="https://reports.council.example/confirmation/${TOKEN}/photos?slot=1"`);
    expect(res.body).not.toContain('evil.example');
  });

  it('keeps the refused slot and says why when a photo fails its check', async () => {
    const { deps, photos } = fakes({
      photos: {
        uploadForm: async (token, n, redirect) => ({ url: 'http://s3.test/intake', fields: { key: `uploads/${token}/${n}`, success_action_redirect: redirect } }),
        accept: async () => ({ ok: false, message: 'the selected file must be a JPG, PNG or HEIC' }),
      },
    });
    const res = await call(deps, request('GET /confirmation/{token}/photos', { path: { token: TOKEN }, query: { slot: '2' } }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('<a href="#photo">The selected file must be a JPG, PNG or HEIC</a>');
    expect(res.body).toContain(`name="key" value="uploads/${TOKEN}/2"`);
    expect(photos).toEqual([]);
  });

  it('answers 404 for a token it does not know', async () => {
    const { deps } = fakes();
    const res = await call(deps, request('GET /confirmation/{token}', { path: { token: 'U'.repeat(43) } }));
    expect(res.statusCode).toBe(404);
  });
});
