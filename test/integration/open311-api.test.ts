import { spawn } from 'node:child_process';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories } from '#events/intake';
import { LOCAL_CREDENTIALS, repoRoot } from '#infra/local/stack';
import { keys } from '#shared/keys';
import { buildApiKeys, type ApiKeys } from '../../functions/open311/api-keys.ts';
import { kids, parseXml, textOf, type XmlElement } from '../support/open311-xml.ts';
import { archivedObjects, compactArchive } from '../support/archive.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

const V2 = '/open311/v2';
type Json = Record<string, unknown>;

const request = (over: Record<string, string> = {}) => ({
  service_code: 'enviro.fly-tipping',
  lat: '52.7661',
  long: '-0.8863',
  description: 'Mattress and rubble dumped in the lay-by.',
  ...over,
});

const errorsIn = (doc: XmlElement) => kids(doc, 'error').map((e) => ({ code: textOf(e, 'code'), description: textOf(e, 'description') }));

describe('integration: Open311 GeoReport v2', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;
  let s3: S3Client;
  let apiKeys: ApiKeys;
  let key: string;
  let otherKey: string;

  const get = (path: string, query: Record<string, string> = {}) => {
    const qs = new URLSearchParams(query).toString();
    return stack.request('GET', `${V2}/${path}${qs ? `?${qs}` : ''}`);
  };
  const post = (file: string, form: Record<string, string>) => stack.request('POST', `${V2}/${file}`, { form });
  const xml = async (res: Response) => {
    expect(res.headers.get('content-type')).toMatch(/^text\/xml; charset=utf-8/);
    return parseXml(await res.text());
  };
  /** Posts a request and returns its id once its report is in the read model. */
  const submit = async (over: Record<string, string> = {}, apiKey = key) => {
    const res = await post('requests.json', { api_key: apiKey, ...request(over) });
    expect(res.status).toBe(201);
    const [created] = (await res.json()) as { service_request_id: string }[];
    await stack.settle();
    return created?.service_request_id ?? '';
  };
  const reportIdOf = async (reference: string) => {
    const queue = (await (await stack.request('GET', '/reports?status=untriaged&limit=100', { role: 'officer' })).json()) as { items: Json[] };
    return String(queue.items.find((r) => r.reference === reference)?.reportId ?? '');
  };
  const stored = async () => {
    await stack.settle();
    const items = await db.send(new ScanCommand({ TableName: stack.endpoints.tables.main, Select: 'COUNT' }));
    const archived = await s3.send(new ListObjectsV2Command({ Bucket: stack.endpoints.buckets.archive }));
    return { items: items.Count ?? 0, archived: archived.KeyCount ?? 0 };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    const client = { region: stack.endpoints.region, credentials: LOCAL_CREDENTIALS };
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...client, endpoint: stack.endpoints.dynamodb }));
    s3 = new S3Client({ ...client, endpoint: stack.endpoints.s3, forcePathStyle: true });
    apiKeys = buildApiKeys(db, stack.endpoints.tables.main);
    key = await apiKeys.create('test-client');
    otherKey = await apiKeys.create('other-client');
  });
  afterAll(async () => {
    db.destroy();
    s3.destroy();
    await stack.dispose();
  });

  describe('services', () => {
    it('lists every category as a service in JSON', async () => {
      const res = await get('services.json');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const list = (await res.json()) as Json[];
      expect(list.map((s) => s.service_code)).toEqual(categories);
      expect(list[0]).toEqual({
        service_code: 'asb.rowdy',
        service_name: 'Rowdy or inconsiderate behaviour',
        description: expect.any(String),
        metadata: true,
        type: 'realtime',
        keywords: expect.any(String),
        group: 'Anti-social behaviour',
      });
    });

    it('lists the same services in XML', async () => {
      const doc = await xml(await get('services.xml'));
      expect(doc.name).toBe('services');
      const list = kids(doc, 'service');
      expect(list.map((s) => textOf(s, 'service_code'))).toEqual(categories);
      const fly = list.find((s) => textOf(s, 'service_code') === 'enviro.fly-tipping');
      expect(fly && [textOf(fly, 'service_name'), textOf(fly, 'metadata'), textOf(fly, 'group')]).toEqual(['Fly-tipping', 'true', 'Environmental crime']);
    });

    it('defines each service with the hate question, in JSON and XML', async () => {
      const json = (await (await get('services/asb.neighbour.json')).json()) as { service_code: string; attributes: Json[] };
      expect(json.service_code).toBe('asb.neighbour');
      expect(json.attributes[0]).toMatchObject({ code: 'hate_motivated', datatype: 'singlevaluelist', required: false, values: [{ key: 'yes', name: 'Yes' }, { key: 'no', name: 'No' }] });
      const doc = await xml(await get('services/asb.neighbour.xml'));
      expect(doc.name).toBe('service_definition');
      const [attributes] = kids(doc, 'attributes');
      const attribute = attributes ? kids(attributes, 'attribute') : [];
      expect(attribute.map((a) => textOf(a, 'code'))).toEqual(['hate_motivated', 'occurred_at']);
      const [values] = attribute[0] ? kids(attribute[0], 'values') : [];
      expect(values ? kids(values, 'value').map((v) => textOf(v, 'key')) : []).toEqual(['yes', 'no']);
    });

    it('answers 404 for an unknown service in the format asked for', async () => {
      const json = await get('services/asb.unknown.json');
      expect(json.status).toBe(404);
      expect(await json.json()).toEqual([{ code: 404, description: expect.stringContaining('no service') }]);
      const res = await get('services/asb.unknown.xml');
      expect(res.status).toBe(404);
      expect(errorsIn(await xml(res))).toEqual([{ code: '404', description: expect.stringContaining('no service') }]);
    });

    it('answers 404 for a resource without .json or .xml, or one that does not exist', async () => {
      for (const path of ['services', 'services.html', 'services/asb.rowdy', 'discovery.json', 'requests/SC-AAAA-BBBB']) {
        const res = await get(path, { api_key: key });
        expect(res.status, path).toBe(404);
        expect(((await res.json()) as Json[])[0], path).toMatchObject({ code: 404 });
      }
      const res = await get('nothing.xml');
      expect(res.status).toBe(404);
      expect(errorsIn(await xml(res))[0]?.code).toBe('404');
    });
  });

  describe('POST requests', () => {
    it('accepts a form-encoded request and puts an open311 report in the triage queue (JSON)', async () => {
      const res = await post('requests.json', { api_key: key, ...request() });
      expect(res.status).toBe(201);
      const body = (await res.json()) as Json[];
      expect(body).toEqual([{ service_request_id: expect.stringMatching(/^SC-[0-9A-Z]{4}-[0-9A-Z]{4}$/), service_notice: expect.any(String) }]);
      const id = String(body[0]?.service_request_id);
      await stack.settle();
      const queue = (await (await stack.request('GET', '/reports?status=untriaged&limit=100', { role: 'officer' })).json()) as { items: Json[] };
      expect(queue.items.find((r) => r.reference === id)).toMatchObject({
        channel: 'open311',
        category: 'enviro.fly-tipping',
        location: { lat: 52.7661, lng: -0.8863 },
        hateMotivated: false,
        reporter: { anonymous: true },
      });
    });

    it('accepts a request with an address, the attributes and a photo link (XML)', async () => {
      const res = await post('requests.xml', {
        api_key: key,
        ...request({ lat: '', long: '', address_string: 'Lay-by on the A6, north of the roundabout', service_code: 'asb.rowdy' }),
        'attribute[hate_motivated]': 'yes',
        'attribute[occurred_at]': '2024-05-13T22:15:00+01:00',
        media_url: 'https://photos.example.com/abc.jpg',
      });
      expect(res.status).toBe(201);
      const doc = await xml(res);
      expect(doc.name).toBe('service_requests');
      const id = textOf(kids(doc, 'request')[0] as XmlElement, 'service_request_id');
      await stack.settle();
      const report = (await (await stack.request('GET', `/reports/${await reportIdOf(id)}`, { role: 'officer' })).json()) as Json;
      expect(report).toMatchObject({ channel: 'open311', category: 'asb.rowdy', hateMotivated: true, occurredAt: '2024-05-13T22:15:00+01:00', location: { text: 'Lay-by on the A6, north of the roundabout' } });
      const [read] = (await (await get(`requests/${id}.json`, { api_key: key })).json()) as Json[];
      expect(read).toMatchObject({ media_url: 'https://photos.example.com/abc.jpg', address: 'Lay-by on the A6, north of the roundabout' });
    });

    it('stores contact details apart and puts only a contactRef in the report and the event', async () => {
      const id = await submit({ first_name: 'Perpetua', last_name: 'Honeysett', email: 'perpetua@example.com', phone: '01632 960 123' });
      const report = (await (await stack.request('GET', `/reports/${await reportIdOf(id)}`, { role: 'officer' })).json()) as { reporter: Json };
      expect(report.reporter).toEqual({ anonymous: false, contactRef: expect.stringMatching(/^ct_[0-9a-f]{32}$/) });
      await compactArchive(stack);
      const archived = await archivedObjects(stack);
      expect(archived.length).toBeGreaterThan(0);
      for (const { text } of archived) expect(text).not.toMatch(/perpetua|honeysett|01632 960 123/i);
      const [read] = (await (await get(`requests/${id}.json`, { api_key: key })).json()) as Json[];
      expect(JSON.stringify(read)).not.toMatch(/perpetua|honeysett/i);
    });

    it('refuses a missing, unknown or revoked api_key with 403 in both formats, storing nothing', async () => {
      const revoked = await apiKeys.create('revoked-client');
      await apiKeys.revoke('revoked-client');
      const before = await stored();
      const missing = await post('requests.json', request());
      expect(missing.status).toBe(403);
      expect(await missing.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key is required') }]);
      const unknown = await post('requests.xml', { api_key: 'o311_not-a-key', ...request() });
      expect(unknown.status).toBe(403);
      expect(errorsIn(await xml(unknown))).toEqual([{ code: '403', description: expect.stringContaining('not valid') }]);
      expect((await post('requests.json', { api_key: revoked, ...request() })).status).toBe(403);
      expect(await stored()).toEqual(before);
    });

    it('refuses each invalid field with 400 naming it, in both formats, storing nothing', async () => {
      const before = await stored();
      const cases: [Record<string, string>, string][] = [
        [request({ service_code: 'asb.unknown' }), 'service_code'],
        [request({ lat: '', long: '' }), 'lat'],
        [request({ long: '' }), 'long'],
        [request({ lat: 'north' }), 'lat'],
        [request({ description: '' }), 'description'],
        [request({ description: 'x'.repeat(4001) }), 'description'],
        [request({ email: 'not an email' }), 'email'],
        [request({ media_url: 'ftp://example.com/a.jpg' }), 'media_url'],
        [request({ 'attribute[hate_motivated]': 'perhaps' }), 'attribute[hate_motivated]'],
      ];
      for (const [form, field] of cases) {
        const json = await post('requests.json', { api_key: key, ...form });
        expect(json.status, field).toBe(400);
        const errors = (await json.json()) as { code: number; description: string }[];
        expect(errors[0]?.code, field).toBe(400);
        expect(errors.map((e) => e.description.split(':')[0]), field).toContain(field);
        const asXml = await post('requests.xml', { api_key: key, ...form });
        expect(asXml.status, field).toBe(400);
        expect(errorsIn(await xml(asXml)).map((e) => e.description.split(':')[0]), field).toContain(field);
      }
      expect(await stored()).toEqual(before);
    });

    it('accepts a description of exactly 4,000 characters', async () => {
      expect((await post('requests.json', { api_key: key, ...request({ description: 'y'.repeat(4000) }) })).status).toBe(201);
    });

    it('refuses JSON, repeated fields and POSTs to other resources', async () => {
      const asJson = await stack.request('POST', `${V2}/requests.json`, { json: { api_key: key, ...request() } });
      expect(asJson.status).toBe(400);
      expect(((await asJson.json()) as Json[])[0]).toMatchObject({ code: 400, description: expect.stringContaining('form-encoded') });
      const repeated = await stack.request('POST', `${V2}/requests.json`, {
        body: `api_key=${encodeURIComponent(key)}&service_code=asb.noise&service_code=asb.rowdy&address_string=x&description=y`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(repeated.status).toBe(400);
      expect(((await repeated.json()) as Json[])[0]).toMatchObject({ description: expect.stringContaining('give service_code once') });
      expect((await post('services.json', { api_key: key, ...request() })).status).toBe(404);
      expect((await post('requests.txt', { api_key: key, ...request() })).status).toBe(404);
    });
  });

  describe('GET requests', () => {
    let open: string;
    let referred: string;
    let caseClosed: string;
    let caseOpen: string;
    let theirs: string;

    beforeAll(async () => {
      open = await submit({ service_code: 'asb.noise' });
      referred = await submit({ service_code: 'asb.neighbour' });
      caseClosed = await submit({ service_code: 'enviro.graffiti' });
      caseOpen = await submit({ service_code: 'enviro.graffiti' });
      theirs = await submit({ service_code: 'asb.noise' }, otherKey);
      // The read model as triage and cases leave it: one report referred on, two linked to cases.
      const setReport = async (reference: string, fields: Json) => {
        const reportId = await reportIdOf(reference);
        const names = Object.fromEntries(Object.keys(fields).map((k) => [`#${k}`, k]));
        const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [`:${k}`, v]));
        await db.send(
          new UpdateCommand({
            TableName: stack.endpoints.tables.main,
            Key: keys.report(reportId),
            UpdateExpression: `SET ${Object.keys(fields).map((k) => `#${k} = :${k}`).join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      };
      await setReport(referred, { status: 'referred', referredTo: 'police' });
      await setReport(caseClosed, { status: 'triaged', caseId: 'case-closed-1' });
      await setReport(caseOpen, { status: 'triaged', caseId: 'case-open-1' });
      await db.send(new PutCommand({ TableName: stack.endpoints.tables.main, Item: { ...keys.case('case-closed-1'), status: 'closed' } }));
      await db.send(new PutCommand({ TableName: stack.endpoints.tables.main, Item: { ...keys.case('case-open-1'), status: 'open' } }));
    });

    const statusById = (list: Json[]) => Object.fromEntries(list.map((r) => [r.service_request_id, r.status]));

    it("lists the client's requests of the last 90 days with their status (JSON)", async () => {
      const res = await get('requests.json', { api_key: key });
      expect(res.status).toBe(200);
      const list = (await res.json()) as Json[];
      expect(statusById(list)).toMatchObject({ [open]: 'open', [referred]: 'closed', [caseClosed]: 'closed', [caseOpen]: 'open' });
      expect(list.map((r) => r.service_request_id)).not.toContain(theirs);
      expect(list.find((r) => r.service_request_id === open)).toEqual({
        service_request_id: open,
        status: 'open',
        status_notes: 'Received: waiting for an officer to read it',
        updated_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        service_name: 'Nuisance noise',
        service_code: 'asb.noise',
        description: 'Mattress and rubble dumped in the lay-by.',
        agency_responsible: 'Safer Communities team',
        requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        lat: 52.7661,
        long: -0.8863,
      });
    });

    it('lists the same in XML', async () => {
      const doc = await xml(await get('requests.xml', { api_key: key }));
      expect(doc.name).toBe('service_requests');
      const byId = Object.fromEntries(kids(doc, 'request').map((r) => [textOf(r, 'service_request_id'), textOf(r, 'status')]));
      expect(byId).toMatchObject({ [open]: 'open', [referred]: 'closed', [caseClosed]: 'closed', [caseOpen]: 'open' });
      expect(Object.keys(byId)).not.toContain(theirs);
    });

    it('filters by status, service_code and date range', async () => {
      const closed = (await (await get('requests.json', { api_key: key, status: 'closed' })).json()) as Json[];
      expect(closed.map((r) => r.service_request_id).sort()).toEqual([referred, caseClosed].sort());
      const graffiti = (await (await get('requests.json', { api_key: key, service_code: 'enviro.graffiti', status: 'open' })).json()) as Json[];
      expect(graffiti.map((r) => r.service_request_id)).toEqual([caseOpen]);
      const past = (await (await get('requests.json', { api_key: key, start_date: '2020-01-01T00:00:00Z', end_date: '2020-03-01T00:00:00Z' })).json()) as Json[];
      expect(past).toEqual([]);
      const now = new Date();
      const recent = (await (await get('requests.xml', { api_key: key, start_date: new Date(now.getTime() - 3600_000).toISOString(), end_date: new Date(now.getTime() + 60_000).toISOString() })).text());
      expect(kids(parseXml(recent), 'request').map((r) => textOf(r, 'service_request_id'))).toEqual(expect.arrayContaining([open, referred, caseClosed, caseOpen]));
    });

    it('reads several requests by service_request_id, ignoring the other filters and other clients', async () => {
      const list = (await (await get('requests.json', { api_key: key, service_request_id: `${open},${referred},${theirs}`, status: 'closed' })).json()) as Json[];
      expect(list.map((r) => r.service_request_id)).toEqual([open, referred]);
    });

    it('reads one request in JSON and XML', async () => {
      const json = (await (await get(`requests/${referred}.json`, { api_key: key })).json()) as Json[];
      expect(json).toEqual([expect.objectContaining({ service_request_id: referred, status: 'closed', service_code: 'asb.neighbour' })]);
      const doc = await xml(await get(`requests/${caseClosed}.xml`, { api_key: key }));
      const [one] = kids(doc, 'request');
      expect(one && [textOf(one, 'service_request_id'), textOf(one, 'status'), textOf(one, 'service_code')]).toEqual([caseClosed, 'closed', 'enviro.graffiti']);
    });

    it("answers 404 for an unknown request and for another client's, in both formats", async () => {
      for (const id of ['SC-0000-0000', theirs]) {
        const json = await get(`requests/${id}.json`, { api_key: key });
        expect(json.status).toBe(404);
        expect(await json.json()).toEqual([{ code: 404, description: expect.any(String) }]);
        const res = await get(`requests/${id}.xml`, { api_key: key });
        expect(res.status).toBe(404);
        expect(errorsIn(await xml(res))[0]?.code).toBe('404');
      }
    });

    it('answers 403 for a wrong api_key, in both formats', async () => {
      for (const path of ['requests.json', `requests/${open}.json`]) expect((await get(path, { api_key: 'wrong' })).status, path).toBe(403);
      const res = await get(`requests/${open}.xml`, { api_key: 'wrong' });
      expect(res.status).toBe(403);
      expect(errorsIn(await xml(res))[0]?.code).toBe('403');
    });

    it('answers anyone without a key with the public fields of every client’s requests: no description, place, photo or contact', async () => {
      const publicFields = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'agency_responsible', 'requested_datetime', 'updated_datetime'];
      const list = (await (await get('requests.json')).json()) as Json[];
      expect(list.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([open, referred, caseClosed, caseOpen, theirs]));
      for (const r of list) expect(Object.keys(r).sort()).toEqual([...publicFields].sort());
      expect(JSON.stringify(list)).not.toMatch(/Mattress|lay-by|52\.7661|jo@|example\.com/i);
      const byId = Object.fromEntries(list.map((r) => [r.service_request_id, r]));
      expect(byId[referred]).toMatchObject({ status: 'closed', status_notes: 'Passed to police, who deal with this kind of problem' });
      expect(byId[caseClosed]).toMatchObject({ status: 'closed', status_notes: 'The case was closed' });
      expect(byId[caseOpen]).toMatchObject({ status: 'open', status_notes: 'Being looked into by an officer' });

      const [one] = (await (await get(`requests/${theirs}.json`)).json()) as Json[];
      expect(Object.keys(one ?? {}).sort()).toEqual([...publicFields].sort());
      const doc = await xml(await get(`requests/${caseClosed}.xml`));
      const [read] = kids(doc, 'request');
      expect(read && [textOf(read, 'service_request_id'), textOf(read, 'status'), textOf(read, 'status_notes'), kids(read, 'description').length]).toEqual([caseClosed, 'closed', 'The case was closed', 0]);
      const some = (await (await get('requests.json', { service_request_id: `${open},${theirs}` })).json()) as Json[];
      expect(some.map((r) => r.service_request_id)).toEqual([open, theirs]);
      expect((await get('requests/SC-0000-0000.json')).status).toBe(404);
    });

    it('refuses a map point outside the council’s area with 400 naming lat, storing nothing', async () => {
      const res = await post('requests.json', { api_key: key, ...request({ lat: '52.6369', long: '-1.1398' }) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual([{ code: 400, description: expect.stringMatching(/^lat: the map point 52\.6369, -1\.1398 is outside .*’s area/) }]);
    });

    it('refuses bad filters with 400 naming them, in both formats', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ start_date: '2024-01-01T00:00:00Z', end_date: '2024-06-01T00:00:00Z' }, 'end_date'],
        [{ start_date: '2024-03-01T00:00:00Z', end_date: '2024-02-01T00:00:00Z' }, 'start_date'],
        [{ start_date: 'yesterday' }, 'start_date'],
        [{ status: 'pending' }, 'status'],
        [{ service_code: 'asb.unknown' }, 'service_code'],
        [{ service_request_id: ',' }, 'service_request_id'],
      ];
      for (const [query, field] of cases) {
        const json = await get('requests.json', { api_key: key, ...query });
        expect(json.status, field).toBe(400);
        expect(((await json.json()) as { description: string }[])[0]?.description, field).toMatch(new RegExp(`^${field}:`));
        const res = await get('requests.xml', { api_key: key, ...query });
        expect(res.status, field).toBe(400);
        expect(errorsIn(await xml(res))[0]?.description, field).toMatch(new RegExp(`^${field}:`));
      }
    });

    it('escapes hostile text so the XML stays well-formed and reads back as sent', async () => {
      const hostile = `</description><script>alert("x")</script> & 'quotes' ]]> \u0001 =SUM(A1) 😀`;
      const id = await submit({ description: hostile, address_string: '<b>Mill & Lane</b>', lat: '', long: '' });
      const doc = await xml(await get(`requests/${id}.xml`, { api_key: key }));
      const [one] = kids(doc, 'request');
      expect(one && textOf(one, 'description')).toBe(hostile.replace('\u0001', '\uFFFD'));
      expect(one && textOf(one, 'address')).toBe('<b>Mill & Lane</b>');
      const [json] = (await (await get(`requests/${id}.json`, { api_key: key })).json()) as Json[];
      expect(json?.description).toBe(hostile);
    });
  });

  describe('API keys', () => {
    it('revokes a key at once and lets the client have a new one', async () => {
      const first = await apiKeys.create('rotating-client');
      expect((await get('requests.json', { api_key: first })).status).toBe(200);
      await apiKeys.revoke('rotating-client');
      expect((await get('requests.json', { api_key: first })).status).toBe(403);
      const second = await apiKeys.create('rotating-client');
      expect((await get('requests.json', { api_key: second })).status).toBe(200);
      expect((await get('requests.json', { api_key: first })).status).toBe(403);
      await expect(apiKeys.create('rotating-client')).rejects.toThrow(/already has an active key/);
      await expect(apiKeys.create('Not A Name')).rejects.toThrow(/client name/);
      await expect(apiKeys.revoke('never-had-one')).rejects.toThrow(/no active key/);
      expect(await apiKeys.list()).toContainEqual(expect.objectContaining({ client: 'rotating-client', status: 'active' }));
    });

    it('stores only the hash of a key', async () => {
      const all = await db.send(new ScanCommand({ TableName: stack.endpoints.tables.main }));
      const text = JSON.stringify(all.Items);
      expect(text).not.toContain(key);
      expect(text).not.toContain(otherKey);
    });

    it('creates, lists and revokes keys from the admin CLI against the local stack', async () => {
      const run = (...args: string[]) =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/open311-keys.ts', ...args], {
            cwd: repoRoot,
            env: { ...process.env, SC_STATE_DIR: stack.stateDir },
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => resolve({ code, out, err }));
        });
      const created = await run('create', 'cli-client');
      expect(created.code, created.err).toBe(0);
      const cliKey = /o311_[A-Za-z0-9_-]{43}/.exec(created.out)?.[0] ?? '';
      expect((await get('requests.json', { api_key: cliKey })).status).toBe(200);
      const listed = await run('list');
      expect(listed.out).toMatch(/cli-client\s+active/);
      expect((await run('revoke', 'cli-client')).code).toBe(0);
      expect((await get('requests.json', { api_key: cliKey })).status).toBe(403);
    });
  });
});
