import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseOpened } from '#events/cases';
import { createEventPublisher } from '#events/put';
import { roles, type Role } from '#infra/topology';
import type { KpiReport } from '../../functions/kpis/model.ts';
import { tenancyYearEvents } from '../support/kpi-events.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { csrfOf, html, signInAs } from '../support/sign-in.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Issue 9, NM01's divisor: the count of homes recorded through `POST /housing-stock` and the
 * staff form on the real local stack (HTTP gateway, EventBridge, the KpiCounter, dynalite).
 */
describe('integration: recording the count of homes (POST /housing-stock and its form) and NM01', () => {
  let stack: TestStack;
  let dynamo: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await startTestStack();
    dynamo = DynamoDBDocumentClient.from(stack.dynamodb);
    // Tenancy Services' published year (domain.md): 106 cases opened April 2023 to March 2024, 6 of them hate-related.
    const eventBridge = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials });
    const bus = createEventPublisher({ client: eventBridge, busName: stack.endpoints.eventBusName });
    const cases = tenancyYearEvents('hs');
    for (let i = 0; i < cases.length; i += 10) await bus.publish(cases.slice(i, i + 10).map((e) => ({ contract: CaseOpened, detail: e.detail as never })));
    eventBridge.destroy();
    await stack.settle();
  });
  afterAll(() => stack.dispose());

  /** `null`: no token at all. */
  const post = (json: unknown, role: Role | null = 'tenancy', headers: Record<string, string> = {}) =>
    stack.request('POST', '/housing-stock', { ...(role ? { role } : {}), json, headers });
  const recorded = () => stack.observedOf('HousingStockRecorded');
  const claims = async () => ((await dynamo.send(new ScanCommand({ TableName: stack.endpoints.tables.main, FilterExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'type' }, ExpressionAttributeValues: { ':t': 'housing-stock-claim' } }))).Items ?? []).length;
  const nm01 = async (from: string, to: string) => {
    await stack.settle();
    const res = await stack.request('GET', `/kpis?from=${from}&to=${to}`, { role: 'officer' });
    expect(res.status).toBe(200);
    const { kpis } = (await res.json()) as KpiReport;
    return [kpis.nm01_asb_per_1000_homes, kpis.nm01_hate_asb_per_1000_homes];
  };
  const listed = async (role: Role = 'officer') => {
    await stack.settle();
    const res = await stack.request('GET', '/housing-stock', { role });
    expect(res.status).toBe(200);
    return ((await res.json()) as { figures: { asOf: string; homes: number }[] }).figures.map((f) => [f.asOf, f.homes]);
  };

  it('lets tenancy and admin record (201), refuses the other roles (403) and callers without a token (401), and puts nothing on the bus for them', async () => {
    // Dated after the year NM01 is checked for below, so they do not change it.
    const body = { asOf: '2024-09-30', homes: 3880 };
    expect((await post(body, null)).status).toBe(401);
    for (const role of roles) {
      const res = await post(body, role);
      if (role === 'tenancy' || role === 'admin') {
        expect(res.status, role).toBe(201);
        expect(await res.json()).toEqual({ eventId: expect.any(String), asOf: '2024-09-30', homes: 3880 });
      } else expect(res.status, role).toBe(403);
    }
    await stack.settle();
    expect(recorded()).toHaveLength(2);
  });

  it('lets officer, tenancy, finance and admin list the counts (200), refuses partner and public (403) and callers without a token (401)', async () => {
    expect((await stack.request('GET', '/housing-stock')).status).toBe(401);
    for (const role of roles) expect((await stack.request('GET', '/housing-stock', { role })).status, role).toBe(['officer', 'tenancy', 'finance', 'admin'].includes(role) ? 200 : 403);
  });

  it('refuses bad input with a 422 that says what to change, and stores and emits nothing', async () => {
    await stack.settle();
    const [events, claimed] = [recorded().length, await claims()];
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const cases: [unknown, string, RegExp][] = [
      [{ asOf: '2024-03-31', homes: 0 }, 'homes', /1 or more/],
      [{ asOf: '2024-03-31', homes: -3872 }, 'homes', /1 or more/],
      [{ asOf: '2024-03-31', homes: 3872.5 }, 'homes', /whole number/],
      [{ asOf: tomorrow, homes: 3872 }, 'asOf', /today .* or earlier/],
      [{ asOf: '2024-02-30', homes: 3872 }, 'asOf', /real date/],
      [{ homes: 3872 }, 'asOf', /enter the date/],
    ];
    for (const [body, path, message] of cases) {
      const res = await post(body, 'tenancy', { 'idempotency-key': 'bad-input' });
      expect(res.status, JSON.stringify(body)).toBe(422);
      const { error } = (await res.json()) as { error: { code: string; message: string; details: { path: string; message: string }[] } };
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([{ path, message: expect.stringMatching(message) }]);
    }
    await stack.settle();
    expect(recorded()).toHaveLength(events);
    expect(await claims()).toBe(claimed);
  });

  it('records a request sent twice with one Idempotency-Key once (201, then 200), and the same key with other figures is a 409', async () => {
    await stack.settle();
    const before = recorded().length;
    const key = { 'idempotency-key': 'hs-retry-1' };
    const first = await post({ asOf: '2024-12-31', homes: 3890 }, 'tenancy', key);
    const again = await post({ asOf: '2024-12-31', homes: 3890 }, 'tenancy', key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const [a, b] = (await Promise.all([first.json(), again.json()])) as { eventId: string; alreadyRecorded?: boolean }[];
    expect(b).toEqual({ ...a, alreadyRecorded: true });
    const conflict = await post({ asOf: '2024-12-31', homes: 3891 }, 'tenancy', key);
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { message: string } }).error.message).toContain('already sent with 3890 homes as at 2024-12-31');
    await stack.settle();
    expect(recorded().length - before).toBe(1);
    expect(recorded().at(-1)?.detail).toMatchObject({ eventId: a?.eventId, asOf: '2024-12-31', homes: 3890, actor: { kind: 'officer' } });
  });

  it('changes NM01 in GET /kpis: not available, then per 3,872 homes, then per a corrected count for the same date', async () => {
    expect(await nm01('2023-04-01', '2024-03-31')).toEqual([null, null]);
    expect((await post({ asOf: '2024-03-31', homes: 3872 })).status).toBe(201);
    // 106 cases and 6 hate-related per 3,872 homes (domain.md's year).
    expect(await nm01('2023-04-01', '2024-03-31')).toEqual([27.38, 1.55]);
    expect((await post({ asOf: '2024-03-31', homes: 4000 }, 'admin')).status).toBe(201);
    expect(await nm01('2023-04-01', '2024-03-31')).toEqual([26.5, 1.5]);
    // The latest dates first, one count a date (the correction replaced the first).
    expect(await listed('finance')).toEqual([
      ['2024-12-31', 3890],
      ['2024-09-30', 3880],
      ['2024-03-31', 4000],
    ]);
  });

  describe('the staff form, signed in', () => {
    const gateway = () => stack.endpoints.gateway;
    const submit = (cookie: string, form: Record<string, string>) =>
      fetch(`${gateway()}/officer/kpis/housing-stock`, {
        method: 'POST',
        headers: { ...html, cookie, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: gateway() },
        body: new URLSearchParams(form).toString(),
        redirect: 'manual',
      });

    it('needs the CSRF token, answers bad input with the page (422) and nothing stored, and records a double submit once', async () => {
      const { jar } = await signInAs(gateway(), 'tom.tenancy', '/officer/kpis/housing-stock');
      const page = await (await fetch(`${gateway()}/officer/kpis/housing-stock`, { headers: { ...html, cookie: jar.header() } })).text();
      const csrf = csrfOf(page) ?? '';
      const formToken = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
      expect(csrf).not.toBe('');
      expect(formToken).not.toBe('');
      const good = { formToken, 'asOf-day': '31', 'asOf-month': '1', 'asOf-year': '2025', homes: '3,895' };
      await stack.settle();
      const before = recorded().length;

      expect((await submit(jar.header(), good)).status).toBe(403);
      const bad = await submit(jar.header(), { ...good, csrf, homes: '-4' });
      expect(bad.status).toBe(422);
      const badPage = await bad.text();
      expect(badPage).toContain('govuk-error-summary');
      expect(badPage).toContain('The number of homes must be 1 or more');
      await stack.settle();
      expect(recorded().length).toBe(before);

      const first = await submit(jar.header(), { ...good, csrf });
      const second = await submit(jar.header(), { ...good, csrf });
      expect(first.status).toBe(303);
      expect(second.status).toBe(303);
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      await stack.settle();
      expect(recorded().length - before).toBe(1);
      const shown = await (await fetch(`${gateway()}${first.headers.get('location')}`, { headers: { ...html, cookie: jar.header() } })).text();
      expect(shown).toContain('3,895 homes as at 31 January 2025 recorded');
    });

    it('is not for an officer: the page says which roles may record', async () => {
      const { jar } = await signInAs(gateway(), 'olivia.officer', '/officer/kpis/housing-stock');
      const res = await fetch(`${gateway()}/officer/kpis/housing-stock`, { headers: { ...html, cookie: jar.header() } });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('You cannot see this page');
    });
  });
});
