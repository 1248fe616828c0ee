import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventContract } from '#events/contract';
import { ReportReceived } from '#events/intake';
import { FundingAllocated, FundingSpent } from '#events/funding';
import { sampleFor } from '#events/samples';
import { signToken } from '#infra/local/auth';
import type { Role } from '#infra/topology';
import { keys } from '#shared/keys';
import { startTestStack, type TestStack } from '../support/local-stack.ts';
import { openTestStreams } from '../support/funding-streams.ts';

/**
 * The findings of a probe of the running system (docs/security.md, "Probe findings"), each
 * reproduced against the whole local stack: tokens, ledger keys, who may triage, oversized
 * ids and cursors, events the consumers must not apply, event times and officers.
 */
describe('integration: probe findings', () => {
  let stack: TestStack;
  let bus: EventBridgeClient;
  let db: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await startTestStack();
    // Streams are data: finance opens CSP and SS5 before any funding line (an event for a stream nobody opened is refused).
    await openTestStreams(stack);
    const client = { region: stack.endpoints.region, credentials: stack.endpoints.credentials };
    bus = new EventBridgeClient({ ...client, endpoint: stack.endpoints.eventbridge });
    db = DynamoDBDocumentClient.from(new DynamoDBClient({ ...client, endpoint: stack.endpoints.dynamodb }));
  });
  afterAll(async () => {
    bus.destroy();
    db.destroy();
    await stack.dispose();
  });

  /** Puts a detail on the bus as any producer could, without the publisher's own checks. */
  const put = async (contract: EventContract, detail: Record<string, unknown>) => {
    const out = await bus.send(
      new PutEventsCommand({ Entries: [{ EventBusName: stack.endpoints.eventBusName, Source: contract.source, DetailType: contract.detailType, Detail: JSON.stringify(detail) }] }),
    );
    expect(out.FailedEntryCount).toBe(0);
  };
  const lettersFor = (rule: string, eventId: string) =>
    stack.bus.deadLetters().filter((l) => l.target === rule && (l.event.detail as { eventId?: string }).eventId === eventId);
  const withToken = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

  describe('tokens', () => {
    const sign = (claims: Record<string, unknown>, expiresIn: string | false = '1h') => signToken(stack.stateDir, { sub: 'probe-user', ...claims }, { expiresIn });

    it('refuses a token without exp, on an API route and on a page', async () => {
      const token = await sign({ roles: ['officer'] }, false);
      expect((await stack.request('GET', '/cases', withToken(token))).status).toBe(401);
      expect((await stack.request('GET', '/officer/cases', { headers: { ...withToken(token).headers, accept: 'text/html' } })).status).toBe(401);
    });

    it('refuses a token that lives longer than the cap, saying so', async () => {
      const res = await stack.request('GET', '/cases', withToken(await sign({ roles: ['officer'] }, '30d')));
      expect(res.status).toBe(401);
      expect((await errorOf(res)).message).toMatch(/lifetime/);
    });

    it('refuses roles that are not an array of known role names, saying so', async () => {
      for (const roles of ['officer', ['officer', 'superuser'], [42], { officer: true }]) {
        const res = await stack.request('GET', '/cases', withToken(await sign({ roles })));
        expect(res.status, JSON.stringify(roles)).toBe(401);
        expect((await errorOf(res)).message).toMatch(/roles/);
      }
      const missing = await stack.request('GET', '/cases', withToken(await sign({})));
      expect(missing.status).toBe(401);
    });

    it('accepts a token within the cap with known roles', async () => {
      expect((await stack.request('GET', '/cases', withToken(await sign({ roles: ['officer'] }, '12h')))).status).toBe(200);
    });
  });

  describe('funding ledger keys', () => {
    const fy = '2024-25';
    const base = { occurredAt: '2024-06-01T10:00:00+01:00', schemaVersion: 1, actor: { kind: 'officer', id: 'finance-probe' }, stream: 'SS5', financialYear: fy };

    it('counts spends whose eventIds are the names of Object.prototype members', async () => {
      await put(FundingAllocated, { ...base, eventId: 'probe-allocation', kind: 'provisional', amountPence: 100_000, reference: 'PCC' });
      for (const [eventId, amountPence] of [['constructor', 1_000], ['toString', 2_000], ['__proto__', 4_000], ['hasOwnProperty', 8_000]] as const) {
        await put(FundingSpent, { ...base, eventId, project: 'CCTV', amountPence, reference: `inv-${eventId}` });
      }
      await stack.settle();
      const res = await stack.request('GET', `/funding/SS5/${fy}`, { role: 'finance' });
      expect(res.status).toBe(200);
      const ledger = (await res.json()) as { spentPence: number; remainingPence: number; lines: { eventId: string }[] };
      expect(ledger.lines.map((l) => l.eventId).sort()).toEqual(['constructor', 'hasOwnProperty', 'probe-allocation', 'toString']);
      expect(ledger.spentPence).toBe(11_000);
      expect(ledger.remainingPence).toBe(89_000);
      // An eventId the ledger's map cannot hold is dead-lettered with the reason, not dropped.
      expect(lettersFor('FundingEventsToLedger', '__proto__')[0]?.error).toMatch(/__proto__/);
    });

    it('records a spend posted with eventId valueOf and counts it', async () => {
      const res = await stack.request('POST', '/funding/CSP/2024-25/spends', { role: 'finance', json: { eventId: 'valueOf', project: 'DISC', amountPence: 500, reference: 'inv-1' } });
      expect(res.status, await res.clone().text()).toBe(202);
      await stack.settle();
      const ledger = (await (await stack.request('GET', '/funding/CSP/2024-25', { role: 'finance' })).json()) as { spentPence: number; lines: { eventId: string }[] };
      expect(ledger.lines.map((l) => l.eventId)).toContain('valueOf');
      expect(ledger.spentPence).toBe(500);
    });
  });

  describe('events a consumer must not apply', () => {
    const base = { occurredAt: '2024-07-01T10:00:00+01:00', schemaVersion: 1, actor: { kind: 'officer', id: 'finance-probe' }, financialYear: '2024-25', project: 'CCTV', reference: 'inv' };

    it('dead-letters an event with a schema version the consumer does not know, with the reason', async () => {
      await put(FundingSpent, { ...base, stream: 'CSP', eventId: 'probe-v2', schemaVersion: 2, amountPence: 700 });
      await stack.settle();
      expect(lettersFor('FundingEventsToLedger', 'probe-v2')[0]?.error).toMatch(/schemaVersion 2/);
      const { Item } = await db.send(new GetCommand({ TableName: stack.endpoints.tables.main, Key: keys.fundingLedger('CSP', '2024-25') }));
      expect(Object.keys((Item?.lines as object | undefined) ?? {})).not.toContain('probe-v2');
    });

    it('dead-letters a funding event for a stream the council does not track, creating no ledger', async () => {
      await put(FundingSpent, { ...base, stream: 'NOPE', eventId: 'probe-unknown-stream', amountPence: 700 });
      await stack.settle();
      expect(lettersFor('FundingEventsToLedger', 'probe-unknown-stream')[0]?.error).toMatch(/NOPE/);
      const { Item } = await db.send(new GetCommand({ TableName: stack.endpoints.tables.main, Key: keys.fundingLedger('NOPE', '2024-25') }));
      expect(Item).toBeUndefined();
    });

    it('flags a second event with the same eventId and different content: dead-lettered, the first kept', async () => {
      await put(FundingSpent, { ...base, stream: 'CSP', financialYear: '2023-24', eventId: 'probe-dup', amountPence: 100 });
      await stack.settle();
      await put(FundingSpent, { ...base, stream: 'CSP', financialYear: '2023-24', eventId: 'probe-dup', amountPence: 99_999 });
      await put(FundingSpent, { ...base, stream: 'CSP', financialYear: '2023-24', eventId: 'probe-dup', amountPence: 100 });
      await stack.settle();
      const letters = lettersFor('FundingEventsToLedger', 'probe-dup');
      expect(letters).toHaveLength(1);
      expect(letters[0]?.error).toMatch(/same eventId/);
      expect((letters[0]?.event.detail as { amountPence: number }).amountPence).toBe(99_999);
      const ledger = (await (await stack.request('GET', '/funding/CSP/2023-24', { role: 'finance' })).json()) as { spentPence: number };
      expect(ledger.spentPence).toBe(100);
    });

    it('dead-letters an event that happened in the year 1 or 1900, or an hour from now', async () => {
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      for (const [eventId, occurredAt] of [['probe-year-1', '0001-01-01T00:00:00Z'], ['probe-1900', '1900-06-01T00:00:00Z'], ['probe-future', inAnHour]] as const) {
        await put(FundingSpent, { ...base, stream: 'CSP', eventId, occurredAt, amountPence: 300 });
      }
      await stack.settle();
      for (const eventId of ['probe-year-1', 'probe-1900', 'probe-future']) expect(lettersFor('FundingEventsToLedger', eventId)[0]?.error, eventId).toMatch(/occurredAt/);
    });

    it('refuses a report from the public dated 1900 with 422 naming the field, not a 500', async () => {
      const res = await stack.request('POST', '/reports', { json: { category: 'asb.noise', description: 'Loud music', occurredAt: '1900-01-01T00:00:00Z', location: { postcode: 'LE13 0AA' }, hateMotivated: false } });
      expect(res.status).toBe(422);
      expect(JSON.stringify(await res.json())).toContain('occurredAt');
    });

    it('refuses an occurredAt in 1900 on the funding API', async () => {
      const res = await stack.request('POST', '/funding/CSP/2024-25/spends', { role: 'finance', json: { project: 'DISC', amountPence: 500, reference: 'inv-2', occurredAt: '1900-01-01T00:00:00Z' } });
      expect(res.status).toBe(422);
    });
  });

  describe('who may triage what', () => {
    const report = async (channel: string, category = sampleFor(ReportReceived).category) => {
      const reportId = `rpt-probe-${channel}-${Date.now()}`;
      await put(ReportReceived, { ...sampleFor(ReportReceived), eventId: `evt-${reportId}`, reportId, channel, category, occurredAt: new Date().toISOString() });
      await stack.settle();
      return reportId;
    };
    const triage = (reportId: string, role: Role, json: unknown) => stack.request('POST', `/reports/${reportId}/triage`, { role, json });
    const tenancyCase = { action: 'open-case', kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.noise', riskCategory: 'B' };

    it('keeps a tenancy user from opening a case for, or referring, a report in the officers\' queue', async () => {
      // The sample report is fly-tipping from the web form: not an ASB report, not from Housing.
      const reportId = await report('webform');
      const open = await triage(reportId, 'tenancy', tenancyCase);
      expect(open.status).toBe(403);
      expect((await errorOf(open)).message).toMatch(/Safer Communities/);
      expect((await triage(reportId, 'tenancy', { action: 'refer', service: 'Environmental Health' })).status).toBe(403);
      await stack.settle();
      const queue = (await (await stack.request('GET', '/reports?status=untriaged&limit=100', { role: 'officer' })).json()) as { items: { reportId: string }[] };
      expect(queue.items.map((r) => r.reportId)).toContain(reportId);
    });

    it('keeps an ASB report in the officers\' queue from being referred on by a tenancy user', async () => {
      const reportId = await report('webform', 'asb.neighbour');
      expect((await triage(reportId, 'tenancy', { action: 'refer', service: 'Environmental Health' })).status).toBe(403);
      expect((await triage(reportId, 'tenancy', tenancyCase)).status).toBe(202);
    });

    it('lets Tenancy Services decide on a report from Housing, and officers hand any report to them', async () => {
      expect((await triage(await report('housing'), 'tenancy', { action: 'refer', service: 'Environmental Health' })).status).toBe(202);
      expect((await triage(await report('webform'), 'officer', tenancyCase)).status).toBe(202);
    });
  });

  describe('ids, cursors and dates from the caller', () => {
    const long = 'x'.repeat(3000);

    it('answers 404, not 500, to ids longer than any key can hold', async () => {
      for (const [method, path] of [['GET', `/reports/${long}`], ['GET', `/cases/${long}`], ['POST', `/reports/${long}/triage`], ['GET', `/funding/CSP/${long}`]] as const) {
        const res = await stack.request(method, path, { role: method === 'GET' && path.startsWith('/funding') ? 'finance' : 'officer', ...(method === 'POST' ? { json: { action: 'refer', service: 'x' } } : {}) });
        expect([400, 404], `${method} ${path.slice(0, 30)}`).toContain(res.status);
      }
    });

    it('answers 400 to a /reports cursor it did not give out, and pages with the ones it did', async () => {
      const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
      for (const cursor of [
        forged({ pk: '', sk: '', gsi1pk: 'default#REPORTS#untriaged', gsi1sk: 'x' }),
        forged({ pk: 'default#CASE#c', sk: 'CASE', gsi1pk: 'default#REPORTS#untriaged', gsi1sk: '2024-01-01T00:00:00.000Z#c' }),
        forged({ pk: 'default#REPORT#r', sk: 'REPORT', gsi1pk: 'default#REPORTS#untriaged', gsi1sk: `2024-01-01T00:00:00.000Z#${'r'.repeat(2000)}` }),
        forged({ at: 'x'.repeat(5000) }),
        'not-base64!',
      ]) {
        const res = await stack.request('GET', `/reports?cursor=${encodeURIComponent(cursor)}`, { role: 'officer' });
        expect(res.status, cursor.slice(0, 40)).toBe(400);
      }
      for (let i = 0; i < 3; i++) await stack.request('POST', '/reports', { json: { category: 'asb.noise', description: 'Loud music', occurredAt: new Date().toISOString(), location: { postcode: 'LE13 0AA' }, hateMotivated: false } });
      await stack.settle();
      const first = (await (await stack.request('GET', '/reports?limit=2', { role: 'officer' })).json()) as { items: { reportId: string }[]; next?: string };
      expect(first.next).toBeDefined();
      const second = await stack.request('GET', `/reports?limit=2&cursor=${encodeURIComponent(first.next ?? '')}`, { role: 'officer' });
      expect(second.status).toBe(200);
      const page = (await second.json()) as { items: { reportId: string }[] };
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.map((r) => r.reportId)).not.toContain(first.items[0]?.reportId);
    });

    it('answers 400 to /cases/due with a date that is not in the calendar', async () => {
      expect((await stack.request('GET', '/cases/due?date=2024-13-45', { role: 'officer' })).status).toBe(400);
    });
  });

  describe('who an action names', () => {
    it('refuses an action whose officerId is someone other than the caller, and fills in the caller', async () => {
      const caseRes = await stack.request('POST', '/actions', { role: 'officer', json: { detailType: 'PatrolLogged', minutes: 30, officerId: 'someone-else' } });
      expect(caseRes.status).toBe(422);
      expect(JSON.stringify(await caseRes.json())).toContain('officerId');
      const token = await stack.token('officer', { subject: 'officer-probe' });
      const ok = await stack.request('POST', '/actions', { ...withToken(token), json: { detailType: 'PatrolLogged', minutes: 30 } });
      expect(ok.status).toBe(202);
      const { eventId } = (await ok.json()) as { eventId: string };
      await stack.settle();
      expect(stack.observed.find((e) => (e.detail as { eventId: string }).eventId === eventId)?.detail).toMatchObject({ officerId: 'officer-probe' });
    });

    it('refuses an action that happened in 1900', async () => {
      const res = await stack.request('POST', '/actions', { role: 'officer', json: { detailType: 'PatrolLogged', minutes: 30, occurredAt: '1900-01-01T10:00:00Z' } });
      expect(res.status).toBe(422);
    });
  });
});
