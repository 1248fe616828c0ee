import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DetailInput } from '#events/contract';
import { HousingStockRecorded } from '#events/tenancy';
import { ConflictError, ValidationError, type ErrorDetail } from '#shared/errors';
import { housingStockFrom, recordHousingStock, stockEventId, type RecordStockDeps } from '../../functions/kpis/housing-stock.ts';
import { housingStockHandler } from '../../functions/kpis/housing-stock-handler.ts';
import { memoryStockClaims, type StockFigures, type StoredStock } from '../../functions/kpis/housing-stock-store.ts';

const today = '2025-06-10';
const now = new Date('2025-06-10T10:00:00Z'); // 11:00 BST on 10 June 2025

/** The problems a body is refused for, by field, or 'ok' with the figure. */
function problemsOf(body: unknown): Record<string, string> | { ok: { asOf: string; homes: number } } {
  try {
    return { ok: housingStockFrom(body, today) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return Object.fromEntries((error.details ?? []).map((d: ErrorDetail) => [d.path, d.message]));
  }
}

describe('unit: checking a count of homes (NM01 divisor)', () => {
  it('takes JSON and the form alike', () => {
    expect(problemsOf({ asOf: '2025-03-31', homes: 3872 })).toEqual({ ok: { asOf: '2025-03-31', homes: 3872 } });
    expect(problemsOf({ 'asOf-day': '31', 'asOf-month': '3', 'asOf-year': '2025', homes: ' 3,872 ' })).toEqual({ ok: { asOf: '2025-03-31', homes: 3872 } });
    expect(problemsOf({ asOf: today, homes: 1 })).toEqual({ ok: { asOf: today, homes: 1 } });
    expect(problemsOf({ asOf: '2000-01-01', homes: 10_000_000 })).toEqual({ ok: { asOf: '2000-01-01', homes: 10_000_000 } });
  });

  it.each([
    ['0 homes', { asOf: '2025-03-31', homes: 0 }, 'homes', 'the number of homes must be 1 or more: enter how many homes the council owns'],
    ['a negative number', { asOf: '2025-03-31', homes: -5 }, 'homes', 'the number of homes must be 1 or more: enter how many homes the council owns'],
    ['a negative number typed', { 'asOf-day': '31', 'asOf-month': '3', 'asOf-year': '2025', homes: '-3872' }, 'homes', 'the number of homes must be 1 or more: enter how many homes the council owns'],
    ['a fraction', { asOf: '2025-03-31', homes: 3872.5 }, 'homes', 'the number of homes must be a whole number, like 3872'],
    ['a fraction typed', { 'asOf-day': '31', 'asOf-month': '3', 'asOf-year': '2025', homes: '3872.5' }, 'homes', 'the number of homes must be a whole number, like 3872'],
    ['words', { 'asOf-day': '31', 'asOf-month': '3', 'asOf-year': '2025', homes: 'about 4000' }, 'homes', 'enter the number of homes as digits only, like 3872'],
    ['no number', { 'asOf-day': '31', 'asOf-month': '3', 'asOf-year': '2025', homes: '' }, 'homes', 'enter the number of homes the council owns, like 3872'],
    ['a number as a boolean', { asOf: '2025-03-31', homes: true }, 'homes', 'homes must be a number, like 3872'],
    ['too many', { asOf: '2025-03-31', homes: 10_000_001 }, 'homes', 'the number of homes must be 10,000,000 or fewer: check the figure'],
    ['a future date', { asOf: '2025-06-11', homes: 3872 }, 'asOf', 'the date the homes were counted must be today (10 June 2025) or earlier: record a count once it has been made'],
    ['a future date typed', { 'asOf-day': '1', 'asOf-month': '1', 'asOf-year': '2026', homes: '3872' }, 'asOf', 'the date the homes were counted must be today (10 June 2025) or earlier: record a count once it has been made'],
    ['an impossible date', { 'asOf-day': '29', 'asOf-month': '2', 'asOf-year': '2025', homes: '3872' }, 'asOf', 'the date the homes were counted must be a real date, like 31 3 2025'],
    ['an impossible ISO date', { asOf: '2025-02-30', homes: 3872 }, 'asOf', 'asOf must be a real date written YYYY-MM-DD, like 2025-03-31'],
    ['half a date', { 'asOf-day': '31', 'asOf-year': '2025', homes: '3872' }, 'asOf', 'the date the homes were counted must include a day, month and year'],
    ['no date', { homes: 3872 }, 'asOf', 'enter the date the homes were counted, like 31 3 2025'],
    ['a date before 2000', { asOf: '1999-12-31', homes: 3872 }, 'asOf', 'the date the homes were counted must be in 2000 or later'],
  ])('refuses %s, saying what to do', (_, body, field, message) => {
    expect(problemsOf(body)).toEqual({ [field]: message });
  });

  it('lists every problem at once, and refuses a body that is not an object', () => {
    expect(problemsOf({ asOf: '2026-01-01', homes: 0 })).toEqual({ asOf: expect.stringContaining('today'), homes: expect.stringContaining('1 or more') });
    expect(problemsOf([1, 2])).toEqual({ '(body)': 'send { "asOf": "YYYY-MM-DD", "homes": 3872 }' });
    expect(problemsOf(null)).toEqual({ '(body)': expect.any(String) });
  });

  it('derives the eventId from the Idempotency-Key, and refuses a key it cannot use', () => {
    expect(stockEventId('c1', 'key-1')).toBe(stockEventId('c1', 'key-1'));
    expect(stockEventId('c1', 'key-1')).not.toBe(stockEventId('c1', 'key-2'));
    expect(stockEventId('c1', 'key-1')).not.toBe(stockEventId('c2', 'key-1'));
    expect(stockEventId('c1', undefined)).not.toBe(stockEventId('c1', undefined));
    expect(() => stockEventId('c1', 'with space')).toThrow(ValidationError);
    expect(() => stockEventId('c1', 'x'.repeat(201))).toThrow(ValidationError);
  });
});

describe('unit: recording a count once', () => {
  const setUp = (failPublishes = 0) => {
    const claims = memoryStockClaims();
    const published: DetailInput<typeof HousingStockRecorded>[] = [];
    let failures = failPublishes;
    const deps = (at = now): RecordStockDeps => ({
      claims,
      councilId: 'test-council',
      now: at,
      publish: async (detail) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('injected: the bus did not answer');
        }
        HousingStockRecorded.detail.parse({ ...detail, schemaVersion: 1 });
        published.push(detail);
      },
    });
    return { claims, published, deps };
  };
  const principal = { subject: 'tom.tenancy', roles: ['tenancy' as const] };

  it('publishes a HousingStockRecorded that meets the contract, with the person as its actor', async () => {
    const { published, deps } = setUp();
    const recorded = await recordHousingStock({ body: { asOf: '2025-03-31', homes: 3872 }, principal }, deps());
    expect(recorded).toEqual({ eventId: expect.any(String), asOf: '2025-03-31', homes: 3872, alreadyRecorded: false });
    expect(published).toEqual([{ eventId: recorded.eventId, occurredAt: now.toISOString(), actor: { kind: 'officer', id: 'tom.tenancy' }, asOf: '2025-03-31', homes: 3872 }]);
  });

  it('records a double submit (the same key) once; a new key is a new count', async () => {
    const { published, deps } = setUp();
    const body = { 'asOf-day': '31', 'asOf-month': '3', 'asOf-year': '2025', homes: '3872' };
    const first = await recordHousingStock({ body, principal, idempotencyKey: 'form-1' }, deps());
    const again = await recordHousingStock({ body, principal, idempotencyKey: 'form-1' }, deps(new Date(now.getTime() + 2000)));
    expect(again).toEqual({ ...first, alreadyRecorded: true });
    expect(published).toHaveLength(1);
    await recordHousingStock({ body, principal, idempotencyKey: 'form-2' }, deps());
    expect(published).toHaveLength(2);
  });

  it('refuses the same key with other figures (409) and publishes nothing more', async () => {
    const { published, deps } = setUp();
    await recordHousingStock({ body: { asOf: '2025-03-31', homes: 3872 }, principal, idempotencyKey: 'k' }, deps());
    await expect(recordHousingStock({ body: { asOf: '2025-03-31', homes: 3873 }, principal, idempotencyKey: 'k' }, deps())).rejects.toThrow(ConflictError);
    expect(published).toHaveLength(1);
  });

  it('finishes a request that died between its claim and its event: the retry publishes it, with the first time', async () => {
    const { published, claims, deps } = setUp(1);
    const body = { asOf: '2025-03-31', homes: 3872 };
    await expect(recordHousingStock({ body, principal, idempotencyKey: 'k' }, deps())).rejects.toThrow('injected');
    expect([...claims.claims.values()].map((c) => c.published)).toEqual([false]);
    const later = new Date(now.getTime() + 60_000);
    const retried = await recordHousingStock({ body, principal, idempotencyKey: 'k' }, deps(later));
    expect(retried.alreadyRecorded).toBe(false);
    expect(published.map((p) => p.occurredAt)).toEqual([now.toISOString()]);
    expect([...claims.claims.values()].map((c) => c.published)).toEqual([true]);
    expect((await recordHousingStock({ body, principal, idempotencyKey: 'k' }, deps(later))).alreadyRecorded).toBe(true);
    expect(published).toHaveLength(1);
  });

  it('stores nothing and publishes nothing for bad input', async () => {
    const { published, claims, deps } = setUp();
    for (const body of [{ asOf: '2025-03-31', homes: 0 }, { asOf: '2025-03-31', homes: -1 }, { asOf: '2025-03-31', homes: 1.5 }, { asOf: '2025-06-11', homes: 3872 }, { asOf: '2025-02-29', homes: 3872 }]) {
      await expect(recordHousingStock({ body, principal, idempotencyKey: 'bad' }, deps())).rejects.toThrow(ValidationError);
    }
    expect(claims.claims.size).toBe(0);
    expect(published).toEqual([]);
  });
});

describe('unit: the housing stock page and its form', () => {
  const context = { functionName: 'test', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  const event = (method: 'GET' | 'POST', query: Record<string, string> = {}, form?: Record<string, string>): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: `${method} /officer/kpis/housing-stock`,
      rawPath: '/officer/kpis/housing-stock',
      rawQueryString: new URLSearchParams(query).toString(),
      headers: {
        host: 'example.test',
        accept: 'text/html',
        authorization: 'Bearer tenancy',
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: 'https://example.test' } : {}),
      },
      queryStringParameters: query,
      body: form ? new URLSearchParams(form).toString() : undefined,
      requestContext: { http: { method, path: '/officer/kpis/housing-stock', sourceIp: '192.0.2.1', protocol: 'HTTP/1.1', userAgent: 'test' }, routeKey: `${method} /officer/kpis/housing-stock`, domainName: 'example.test' },
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEventV2;

  const setUp = () => {
    const kept = new Map<string, StoredStock>([['2024-03-31', { asOf: '2024-03-31', homes: 3859, eventId: 'e-2024', recordedAt: '2024-04-02T08:00:00.000Z' }]]);
    const published: DetailInput<typeof HousingStockRecorded>[] = [];
    const figures: StockFigures = {
      list: async () => ({ figures: [...kept.values()].sort((a, b) => b.asOf.localeCompare(a.asOf)) }),
      at: async (asOf) => kept.get(asOf),
    };
    const claims = memoryStockClaims();
    const handler = housingStockHandler(
      {
        claims,
        figures,
        councilId: 'test-council',
        now: () => now,
        // The KPI counter, at once: what it keeps is what was published.
        publish: async (detail) => {
          published.push(detail);
          kept.set(detail.asOf, { asOf: detail.asOf, homes: detail.homes, eventId: detail.eventId, recordedAt: detail.occurredAt });
        },
      },
      { verifyToken: async (token) => ({ sub: `user-${token}`, roles: [token], exp: Math.floor(Date.now() / 1000) + 3600 }) },
    );
    const call = async (e: APIGatewayProxyEventV2) => (await handler(e, context)) as APIGatewayProxyStructuredResultV2 & { body: string };
    return { call, published, claims };
  };

  it('shows the form with a fresh token and the counts kept, newest first', async () => {
    const { call } = setUp();
    const page = await call(event('GET'));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-l">Record the number of homes</h1>');
    expect(page.body).toMatch(/name="formToken" value="[0-9a-f-]{36}"/);
    expect(page.body).toMatch(/31 March 2024\s*<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">\s*3,859/);
  });

  it('answers bad input with the page again (422): an error summary linking to each field, what was typed, and nothing stored', async () => {
    const { call, published, claims } = setUp();
    const page = await call(event('POST', {}, { formToken: 't-1', 'asOf-day': '30', 'asOf-month': '2', 'asOf-year': '2025', homes: '0' }));
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('<title>Error: Record the number of homes');
    expect(page.body).toContain('href="#asOf-day"');
    expect(page.body).toContain('href="#homes"');
    expect(page.body).toContain('The date the homes were counted must be a real date, like 31 3 2025');
    expect(page.body).toContain('The number of homes must be 1 or more');
    expect(page.body).toContain('name="formToken" value="t-1"');
    expect(page.body).toMatch(/id="asOf-day" name="asOf-day" type="text" value="30"/);
    expect(published).toEqual([]);
    expect(claims.claims.size).toBe(0);
  });

  it('records a good form once however often it is sent, then shows it with a banner', async () => {
    const { call, published } = setUp();
    const form = { formToken: 't-2', 'asOf-day': '31', 'asOf-month': '3', 'asOf-year': '2025', homes: '3,872' };
    const first = await call(event('POST', {}, form));
    const second = await call(event('POST', {}, form));
    expect(first.statusCode).toBe(303);
    expect(second.headers?.location).toBe(first.headers?.location);
    expect(published).toHaveLength(1);
    const location = new URL(String(first.headers?.location), 'https://example.test');
    const shown = await call(event('GET', Object.fromEntries(location.searchParams)));
    expect(shown.body).toContain('3,872 homes as at 31 March 2025 recorded');
    expect(shown.body).toContain('NM01 now uses it for every period that ends on or after 31 March 2025');
    expect(shown.body.indexOf('31 March 2025')).toBeLessThan(shown.body.indexOf('31 March 2024'));
  });
});
