import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetailInput } from '#events/contract';
import { FundingSpendReversed, FundingSpent } from '#events/funding';
import { createEventPublisher } from '#events/put';
import type { Role } from '#infra/topology';
import { entryFor } from '../../functions/funding/ledger.ts';
import { buildLedgerStore, LedgerFullError } from '../../functions/funding/ledger-repository.ts';
import { openTestStreams } from '../support/funding-streams.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

interface LedgerBody {
  allocatedPence: number;
  awardedPence: number;
  recalledPence: number;
  adjustedPence: number;
  spentPence: number;
  committedPence: number;
  remainingPence: number;
  overspent: boolean;
  projects: { project: string; spentPence: number; committedPence: number }[];
  lines: { eventId: string; type: string }[];
}

describe('integration: funding ledger through the HTTP API', () => {
  let stack: TestStack;
  let bus: ReturnType<typeof createEventPublisher>;
  let client: EventBridgeClient;
  let dynamo: DynamoDBDocumentClient;

  beforeAll(async () => {
    stack = await startTestStack();
    await openTestStreams(stack);
    client = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    bus = createEventPublisher({ client, busName: stack.endpoints.eventBusName });
    dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.endpoints.dynamodb, region: stack.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  });
  afterAll(async () => {
    client.destroy();
    dynamo.destroy();
    await stack.dispose();
  });

  /**
   * Empties the consumers' idempotency records, as if they had expired: a redelivery then
   * reaches the ledger itself, whose conditional write is the guard under test.
   */
  const forgetIdempotency = async () => {
    const table = stack.endpoints.tables.idempotency;
    const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: table, ProjectionExpression: 'id' }));
    for (const item of Items) await dynamo.send(new DeleteCommand({ TableName: table, Key: { id: item.id } }));
    expect(Items.length).toBeGreaterThan(0);
  };

  const post = async (path: string, json: unknown, role: Role = 'finance', headers: Record<string, string> = {}) => {
    const res = await stack.request('POST', path, { role, json, headers });
    return { status: res.status, body: (await res.json()) as { eventId?: string; alreadyRecorded?: boolean; error?: { code: string; message: string; details?: { path: string; message: string }[] } } };
  };
  const ledger = async (stream: string, fy: string): Promise<LedgerBody> => {
    await stack.settle();
    const res = await stack.request('GET', `/funding/${stream}/${fy}`, { role: 'officer' });
    expect(res.status).toBe(200);
    return (await res.json()) as LedgerBody;
  };

  it("reproduces the council's reported CSP year to the penny", async () => {
    const at = '/funding/CSP/2024-25';
    expect((await post(`${at}/allocations`, { kind: 'provisional', amountPence: 3133575, reference: 'OPCC provisional allocation 2024-25', occurredAt: '2024-04-08T10:00:00+01:00' })).status).toBe(202);
    expect((await post(`${at}/allocations`, { kind: 'underspend-award', amount: '£4,796.07', reference: 'OPCC underspend pot award' })).status).toBe(202);
    // Delivery is asynchronous: a spend that reached the ledger before its allocation would
    // rightly be flagged as an overspend at that moment. Finance records the allocation first.
    await stack.settle();
    for (const [project, amount] of [
      ['Safer Communities and Partnership Officer post (part funding)', '15,462.00'],
      ['DISC app subscription, one more year', '1,320.00'],
      ['Response Fund (skate-park graffiti event, anti-climb spikes)', '6,000.00'],
      ['CCTV contract transition and police live-viewing upgrade', '10,837.00'],
    ] as const) {
      const res = await post(`${at}/spends`, { project, amount, reference: `JNL ${project.slice(0, 10)}` });
      expect(res.status).toBe(202);
      expect(res.body.eventId).toEqual(expect.any(String));
    }
    const body = await ledger('CSP', '2024-25');
    expect(body).toMatchObject({
      allocatedPence: 3133575,
      awardedPence: 479607,
      recalledPence: 0,
      adjustedPence: 0,
      spentPence: 3361900,
      committedPence: 0,
      remainingPence: 251282,
      overspent: false,
    });
    expect(body.projects).toContainEqual({ project: 'DISC app subscription, one more year', spentPence: 132000, committedPence: 0 });
    expect(body.lines).toHaveLength(6);
    expect(stack.observedOf('FundingOverspent')).toHaveLength(0);

    const csv = await stack.request('GET', `${at}?format=csv`, { role: 'finance' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="funding-CSP-2024-25.csv"');
    const text = await csv.text();
    expect(text).toContain('Total spent,,33619.00\r\n');
    expect(text).toContain('Remaining,,2512.82\r\n');
  });

  it('keeps the balance exact to the penny when 200 spends arrive at once', { timeout: 240_000 }, async () => {
    const at = '/funding/CSP/2023-24';
    expect((await post(`${at}/allocations`, { kind: 'provisional', amountPence: 50_000_000, reference: 'allocation' })).status).toBe(202);
    await stack.settle();
    const amounts = Array.from({ length: 200 }, (_, i) => 1_001 + i * 37);
    const started = Date.now();
    const answers = await Promise.all(amounts.map((amountPence, i) => post(`${at}/spends`, { project: `Project ${i % 7}`, amountPence, reference: `INV-${i}` })));
    expect(answers.map((a) => a.status)).toEqual(amounts.map(() => 202));
    const body = await ledger('CSP', '2023-24');
    const spent = amounts.reduce((t, a) => t + a, 0);
    console.info(`funding: 200 concurrent spends accepted and applied in ${Date.now() - started} ms`);
    expect(body.spentPence).toBe(spent);
    expect(body.remainingPence).toBe(50_000_000 - spent);
    expect(body.lines).toHaveLength(201);
    expect(body.projects.reduce((t, p) => t + p.spentPence, 0)).toBe(spent);

    // The same spends put on the bus again in reverse order, past the consumer's idempotency
    // records, so only the ledger's conditional write stands between them and a double count.
    const spends = stack.observedOf('FundingSpent').filter((e) => e.detail.financialYear === '2023-24').map((e) => e.detail as DetailInput<typeof FundingSpent>);
    expect(spends).toHaveLength(200);
    await forgetIdempotency();
    const again = [...spends].reverse();
    for (let i = 0; i < again.length; i += 10) await bus.publish(again.slice(i, i + 10).map((detail) => ({ contract: FundingSpent, detail })));
    const after = await ledger('CSP', '2023-24');
    expect(after.spentPence).toBe(spent);
    expect(after.remainingPence).toBe(50_000_000 - spent);
  });

  it('restores the balance on reversal; a second reversal is refused and a retried one changes nothing', async () => {
    const at = '/funding/CSP/2022-23';
    await post(`${at}/allocations`, { kind: 'provisional', amountPence: 1_000_000, reference: 'allocation' });
    await stack.settle();
    const spend = await post(`${at}/spends`, { project: 'CCTV', amountPence: 250_000, reference: 'INV-1' });
    expect((await ledger('CSP', '2022-23')).remainingPence).toBe(750_000);

    const key = { 'idempotency-key': 'reverse-inv-1' };
    const first = await post(`${at}/spends/${spend.body.eventId}/reversal`, { reason: 'posted to the wrong cost centre' }, 'finance', key);
    expect(first.status).toBe(202);
    expect((await ledger('CSP', '2022-23')).remainingPence).toBe(1_000_000);

    const retried = await post(`${at}/spends/${spend.body.eventId}/reversal`, { reason: 'posted to the wrong cost centre' }, 'finance', key);
    expect(retried).toEqual({ status: 202, body: { eventId: first.body.eventId, alreadyRecorded: true } });
    const second = await post(`${at}/spends/${spend.body.eventId}/reversal`, { reason: 'again' });
    expect(second.status).toBe(409);
    expect(second.body.error?.message).toContain('already reversed');
    const after = await ledger('CSP', '2022-23');
    expect(after.remainingPence).toBe(1_000_000);
    expect(stack.observedOf('FundingSpendReversed').filter((e) => e.detail.financialYear === '2022-23')).toHaveLength(1);
  });

  it('nets out a reversal that reaches the ledger before its spend', async () => {
    const common = { occurredAt: '2024-01-10T10:00:00Z', actor: { kind: 'officer' as const }, stream: 'SS5', financialYear: '2023-24' };
    await post('/funding/SS5/2023-24/allocations', { kind: 'provisional', amountPence: 10_000_000, reference: 'Home Office grant letter' });
    const reversal: DetailInput<typeof FundingSpendReversed> = { ...common, eventId: 'rev-early-1', spendEventId: 'spend-late-1', reason: 'duplicate invoice' };
    await bus.publishOne(FundingSpendReversed, reversal);
    await stack.settle();
    await bus.publishOne(FundingSpent, { ...common, eventId: 'spend-late-1', project: 'Street lighting', amountPence: 400_000, reference: 'INV-9' });
    const body = await ledger('SS5', '2023-24');
    expect(body).toMatchObject({ spentPence: 0, remainingPence: 10_000_000 });
    expect(body.lines.map((l) => l.eventId).sort()).toEqual([expect.any(String), 'rev-early-1', 'spend-late-1'].sort());
  });

  it('flags an overspend the moment it happens and emits FundingOverspent once when the spend is delivered twice', async () => {
    const at = '/funding/SS5/2024-25';
    await post(`${at}/allocations`, { kind: 'provisional', amountPence: 20_000_000, reference: 'year 2 grant' });
    await post(`${at}/allocations`, { kind: 'recall', amountPence: 7_000_000, reference: 'Home Office recall, year 2' });
    await stack.settle();
    await post(`${at}/spends`, { project: 'Alley gates', amountPence: 12_000_000, reference: 'PO-1' });
    expect((await ledger('SS5', '2024-25')).overspent).toBe(false);
    const spend = await post(`${at}/spends`, { project: 'CCTV', amount: '12,500.00', reference: 'PO-2', eventId: 'ss5-over-1' });
    expect(spend.body.eventId).toBe('ss5-over-1');
    const body = await ledger('SS5', '2024-25');
    expect(body).toMatchObject({ recalledPence: 7_000_000, remainingPence: -250_000, overspent: true });
    const detail = stack.observedOf('FundingSpent').find((e) => e.detail.eventId === 'ss5-over-1')?.detail as DetailInput<typeof FundingSpent>;
    await bus.publishOne(FundingSpent, detail);
    await stack.settle();
    await forgetIdempotency();
    await bus.publishOne(FundingSpent, detail);
    await stack.settle();
    const flags = stack.observedOf('FundingOverspent').filter((e) => e.detail.stream === 'SS5');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.detail).toMatchObject({ stream: 'SS5', financialYear: '2024-25', remainingPence: -250_000, causedBy: 'ss5-over-1', actor: { kind: 'system' } });
  });

  it('refuses bad input with a 4xx and a reason, and records nothing', async () => {
    const at = '/funding/CSP/2021-22';
    await stack.settle();
    const before = stack.observed.length;
    const cases: [string, unknown, number, string][] = [
      [`${at}/spends`, { project: 'p', amountPence: -100, reference: 'r' }, 422, 'more than zero'],
      [`${at}/spends`, { project: 'p', amountPence: 100.5, reference: 'r' }, 422, 'whole number of pence'],
      [`${at}/spends`, { project: 'p', amount: '1.005', reference: 'r' }, 422, 'more than two decimal places'],
      [`${at}/allocations`, { kind: 'provisional', amountPence: 0, reference: 'r' }, 422, 'more than zero'],
      [`${at}/allocations`, { kind: 'bonus', amountPence: 10, reference: 'r' }, 422, 'kind must be one of'],
      ['/funding/XYZ/2024-25/spends', { project: 'p', amountPence: 100, reference: 'r' }, 404, 'there is no funding stream "XYZ"'],
      ['/funding/CSP/2024-26/spends', { project: 'p', amountPence: 100, reference: 'r' }, 400, 'not a financial year'],
      ['/funding/CSP/24-25/spends', { project: 'p', amountPence: 100, reference: 'r' }, 400, 'not a financial year'],
      ['/funding/SS5/2025-26/spends', { project: 'p', amountPence: 100, reference: 'r' }, 404, 'SS5 covers 2023-24 to 2024-25'],
      [`${at}/spends/no-such-spend/reversal`, { reason: 'mistake' }, 404, 'there is no spend no-such-spend'],
    ];
    for (const [path, json, status, reason] of cases) {
      const res = await post(path, json);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(`${res.body.error?.message} ${(res.body.error?.details ?? []).map((d) => d.message).join(" ")}`).toContain(reason);
    }
    const malformed = await stack.request('POST', `${at}/spends`, { role: 'finance', body: '{"project":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await stack.request('GET', '/funding/XYZ/2024-25', { role: 'finance' })).status).toBe(404);
    expect((await stack.request('GET', `${at}?format=xlsx`, { role: 'finance' })).status).toBe(400);
    await stack.settle();
    expect(stack.observed.length).toBe(before);
    expect((await ledger('CSP', '2021-22')).lines).toEqual([]);
  });

  it('refuses a line loudly when the year is full, and still knows a duplicate for what it is', async () => {
    const store = buildLedgerStore(dynamo, stack.endpoints.tables.main, { byteBudget: 3_000 });
    const spend = (eventId: string) =>
      entryFor({ detailType: 'FundingSpent', detail: { eventId, occurredAt: '2025-05-01T10:00:00+01:00', schemaVersion: 1, actor: { kind: 'officer' }, stream: 'CSP', financialYear: '2025-26', project: 'CCTV', amountPence: 100, reference: 'INV' } });
    let fitted = 0;
    let refusal: unknown;
    while (fitted < 100 && refusal === undefined) {
      try {
        await store.apply('CSP', '2025-26', spend(`full-${fitted}`));
        fitted += 1;
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(LedgerFullError);
    expect(fitted).toBeGreaterThan(3);
    expect(await store.apply('CSP', '2025-26', spend('full-0'))).toMatchObject({ applied: false });
    const body = await ledger('CSP', '2025-26');
    expect(body.lines).toHaveLength(fitted);
  });

  describe('who may do what', () => {
    const roles: (Role | undefined)[] = [undefined, 'public', 'officer', 'tenancy', 'finance', 'partner', 'admin'];
    const readers = new Set(['officer', 'finance', 'admin']);
    const writers = new Set(['finance', 'admin']);
    const at = '/funding/CSP/2020-21';
    // No token at all is 401; a token whose roles do not include an allowed one is 403.
    const expected = (role: Role | undefined, allowed: Set<string>, ok: number) => (role === undefined ? 401 : allowed.has(role) ? ok : 403);
    const call = async (method: string, path: string, role: Role | undefined, json?: unknown) => {
      const res = await stack.request(method, path, { ...(role ? { role } : {}), ...(json ? { json } : {}) });
      const text = await res.text();
      return { status: res.status, text };
    };
    const check = async (role: Role | undefined, allowed: Set<string>, ok: number, result: { status: number; text: string }) => {
      expect({ role, status: result.status }).toEqual({ role, status: expected(role, allowed, ok) });
      if (result.status >= 400) expect(result.text).not.toContain('remainingPence');
    };

    it.each(roles)('reads the funding routes only as officer, finance or admin (%s)', async (role) => {
      await check(role, readers, 200, await call('GET', '/funding', role));
      await check(role, readers, 200, await call('GET', at, role));
      await check(role, readers, 200, await call('GET', `${at}?format=csv`, role));
    });

    it.each(roles)('writes funding facts only as finance or admin (%s)', async (role) => {
      const spend = await post(`${at}/spends`, { project: 'matrix', amountPence: 100, reference: `r-${role}` });
      expect(spend.status).toBe(202);
      await stack.settle();
      await check(role, writers, 202, await call('POST', `${at}/allocations`, role, { kind: 'provisional', amountPence: 100, reference: 'r' }));
      await check(role, writers, 202, await call('POST', `${at}/commitments`, role, { project: 'matrix', amountPence: 100 }));
      await check(role, writers, 202, await call('POST', `${at}/spends`, role, { project: 'matrix', amountPence: 100, reference: 'r' }));
      await check(role, writers, 202, await call('POST', `${at}/spends/${spend.body.eventId}/reversal`, role, { reason: 'matrix' }));
    });
  });
});
