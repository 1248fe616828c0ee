import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ReportInput } from '../../functions/intake/report-input.ts';
import type { RequestStatus } from '../../functions/open311/listing-query.ts';
import { open311Routes, type Open311Deps } from '../../functions/open311/open311.ts';
import type { StoredRequest } from '../../functions/open311/requests-repository.ts';
import { kids, parseXml, textOf } from '../support/open311-xml.ts';

const now = new Date('2024-05-14T12:00:00Z');

function fakes(options: { publishFails?: boolean } = {}) {
  const stored = new Map<string, StoredRequest>();
  const received: ReportInput[] = [];
  const status = new Map<string, RequestStatus>();
  let n = 0;
  const deps: Open311Deps = {
    authenticate: async (key) => ({ 'key-a': 'client-a', 'key-b': 'client-b' })[key ?? ''],
    receive: async (report, record) => {
      n += 1;
      const reference = `SC-TEST-000${n}`;
      await record(`report-${n}`, reference);
      if (options.publishFails) throw new Error('bus down');
      received.push(report);
      return { reference };
    },
    saveRequest: async (r) => {
      stored.set(r.reference, r);
    },
    getRequests: async (refs) => refs.flatMap((r) => (stored.has(r) ? [stored.get(r) as StoredRequest] : [])),
    queryRequests: async (client, _months, from, to) =>
      [...stored.values()].filter((r) => r.client === client && r.requestedAt >= from.toISOString() && r.requestedAt <= to.toISOString()).reverse(),
    statusOf: async (ids) => new Map(ids.map((id) => [id, { status: status.get(id) ?? 'open', notes: status.get(id) === 'closed' ? 'The case was closed' : 'Being looked into by an officer' }])),
    clients: async () => ['client-a', 'client-b'],
    now: () => now,
  };
  return { deps, stored, received, status, routes: open311Routes(deps) };
}

type Routes = ReturnType<typeof fakes>['routes'];

async function call(routes: Routes, routeKey: string, path: Record<string, string>, options: { query?: Record<string, string>; form?: Record<string, string>; body?: string; contentType?: string } = {}) {
  const body = options.form ? new URLSearchParams(options.form).toString() : options.body;
  const event = {
    routeKey,
    headers: { 'content-type': options.form ? 'application/x-www-form-urlencoded' : (options.contentType ?? 'application/json') },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const route = (routes as Record<string, Routes[keyof Routes]>)[routeKey];
  if (!route) throw new Error(`no route ${routeKey}`);
  const res = await route({ event, principal: undefined, path, query: options.query ?? {} });
  return { status: res.statusCode, type: String(res.headers?.['content-type'] ?? ''), body: res.body ?? '' };
}

const post = (routes: Routes, file: string, form: Record<string, string>) => call(routes, 'POST /open311/v2/{resource}', { resource: file }, { form });
const valid = { api_key: 'key-a', service_code: 'enviro.graffiti', address_string: 'Skate park', description: 'Tags on the ramp' };

describe('unit: Open311 routes', () => {
  it('answers services in JSON and XML', async () => {
    const { routes } = fakes();
    const json = await call(routes, 'GET /open311/v2/{resource}', { resource: 'services.json' });
    expect(json.status).toBe(200);
    expect((JSON.parse(json.body) as unknown[]).length).toBe(18);
    const xml = await call(routes, 'GET /open311/v2/{resource}', { resource: 'services.xml' });
    expect(xml.type).toMatch(/^text\/xml/);
    expect(kids(parseXml(xml.body), 'service')).toHaveLength(18);
  });

  it('records the request with its client before the report goes out and answers 201 with the reference', async () => {
    const f = fakes();
    const res = await post(f.routes, 'requests.json', valid);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual([{ service_request_id: 'SC-TEST-0001', service_notice: expect.stringContaining('SC-TEST-0001') }]);
    expect(f.stored.get('SC-TEST-0001')).toMatchObject({ client: 'client-a', reportId: 'report-1', serviceCode: 'enviro.graffiti', address: 'Skate park' });
    expect(f.received[0]).toMatchObject({ category: 'enviro.graffiti', location: { text: 'Skate park' } });
  });

  it('answers 500 in the Open311 shape, without details, when the report cannot be published', async () => {
    const f = fakes({ publishFails: true });
    const res = await post(f.routes, 'requests.xml', valid);
    expect(res.status).toBe(500);
    expect(textOf(kids(parseXml(res.body), 'error')[0] ?? parseXml(res.body), 'description')).not.toContain('bus down');
  });

  it('refuses a missing or unknown api_key with 403 before reading the fields', async () => {
    const f = fakes();
    const missing = await post(f.routes, 'requests.json', { ...valid, api_key: '', service_code: 'nope' });
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.body)).toEqual([{ code: 403, description: expect.stringContaining('api_key is required') }]);
    expect((await post(f.routes, 'requests.xml', { ...valid, api_key: 'key-z' })).status).toBe(403);
    expect(f.stored.size).toBe(0);
  });

  it('refuses a JSON body and a POST to anything but requests', async () => {
    const f = fakes();
    const asJson = await call(f.routes, 'POST /open311/v2/{resource}', { resource: 'requests.json' }, { body: JSON.stringify(valid) });
    expect(asJson.status).toBe(400);
    expect((await post(f.routes, 'services.json', valid)).status).toBe(404);
    expect((await post(f.routes, 'requests.html', valid)).status).toBe(404);
  });

  it('shows a client only its own requests, with the status from the report', async () => {
    const f = fakes();
    await post(f.routes, 'requests.json', valid);
    await post(f.routes, 'requests.json', { ...valid, api_key: 'key-b' });
    f.status.set('report-1', 'closed');
    const list = await call(f.routes, 'GET /open311/v2/{resource}', { resource: 'requests.json' }, { query: { api_key: 'key-a' } });
    expect(JSON.parse(list.body)).toEqual([expect.objectContaining({ service_request_id: 'SC-TEST-0001', status: 'closed' })]);
    const open = await call(f.routes, 'GET /open311/v2/{resource}', { resource: 'requests.json' }, { query: { api_key: 'key-a', status: 'open' } });
    expect(JSON.parse(open.body)).toEqual([]);
    const theirs = await call(f.routes, 'GET /open311/v2/requests/{file}', { file: 'SC-TEST-0002.json' }, { query: { api_key: 'key-a' } });
    expect(theirs.status).toBe(404);
    const mine = await call(f.routes, 'GET /open311/v2/requests/{file}', { file: 'sc-test-0001.xml' }, { query: { api_key: 'key-a' } });
    expect(mine.status).toBe(200);
    expect(textOf(kids(parseXml(mine.body), 'request')[0] ?? parseXml(mine.body), 'status')).toBe('closed');
  });

  it('answers 404 for an unknown service, resource or format, in the format asked for', async () => {
    const { routes } = fakes();
    const service = await call(routes, 'GET /open311/v2/services/{file}', { file: 'asb.unknown.xml' });
    expect(service.status).toBe(404);
    expect(parseXml(service.body).name).toBe('errors');
    expect((await call(routes, 'GET /open311/v2/{resource}', { resource: 'discovery.json' })).status).toBe(404);
    const noFormat = await call(routes, 'GET /open311/v2/services/{file}', { file: 'asb.rowdy' });
    expect(noFormat.status).toBe(404);
    expect(JSON.parse(noFormat.body)).toEqual([{ code: 404, description: expect.stringContaining('.json or .xml') }]);
    const longId = await call(routes, 'GET /open311/v2/requests/{file}', { file: `${'A'.repeat(3000)}.json` }, { query: { api_key: 'key-a' } });
    expect(longId.status).toBe(404);
  });
});
