import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseOpened } from '#events/cases';
import { CaseReviewDecided, CaseReviewRequested, CaseReviewThresholdAssessed } from '#events/case-review';
import { FixedPenaltyIssued, NoticeServed, PatrolLogged, TeamActionRecorded, WarningIssued } from '#events/enforcement';
import { HousingStockRecorded } from '#events/tenancy';
import { tables } from '#infra/resources';
import { localTableName, startDynamo } from '#infra/local/stores';
import { keys } from '#shared/keys';
import { countEvent, type KpiEvent } from '../../functions/kpis/count-event.ts';
import { buildCounterStore, DAY_SHARDS, idDigestOf, KpiDayFullError, shardOf } from '../../functions/kpis/counter-store.ts';
import { addCounters, countersFor, zeroCounters, type CountedEvent, type Counters } from '../../functions/kpis/counters.ts';
import { readKpisFrom } from '../../functions/kpis/read.ts';
import { envelopeOf, kpiEvent, shuffled } from '../support/kpi-events.ts';

/**
 * The KPI counters against the real local DynamoDB (dynalite): every order and every number of
 * deliveries gives the counts of one clean pass, and faults between writes neither lose nor
 * double a count.
 */
const region = 'eu-west-2';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A pool of events across every counter, several on one day and on London-midnight edges. */
function pool(): KpiEvent[] {
  const o = (i: number) => `2024-0${(i % 3) + 3}-${String((i % 28) + 1).padStart(2, '0')}T${i % 2 ? '23:30:00Z' : '00:30:00+01:00'}`;
  return [
    ...Array.from({ length: 6 }, (_, i) => kpiEvent(TeamActionRecorded, { eventId: `p-visit-${i}`, occurredAt: o(i) })),
    ...Array.from({ length: 4 }, (_, i) => kpiEvent(WarningIssued, { eventId: `p-cpw-${i}`, occurredAt: o(i + 1), warningType: 'CPW' })),
    kpiEvent(NoticeServed, { eventId: 'p-cpn', occurredAt: o(2), noticeType: 'CPN' }),
    kpiEvent(NoticeServed, { eventId: 'p-s47', occurredAt: o(3), noticeType: 's47-epa' }),
    kpiEvent(FixedPenaltyIssued, { eventId: 'p-fpn', occurredAt: o(4) }),
    kpiEvent(PatrolLogged, { eventId: 'p-patrol', occurredAt: o(5), minutes: 95 }),
    kpiEvent(CaseOpened, { eventId: 'p-case-1', occurredAt: o(6), referredFrom: 'housing' }),
    kpiEvent(CaseOpened, { eventId: 'p-case-2', occurredAt: o(6), kind: 'asb', category: 'asb.noise' }),
    kpiEvent(CaseOpened, { eventId: 'p-ten-1', occurredAt: o(7), kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.asb', riskCategory: 'A', hateRelated: true }),
    kpiEvent(CaseOpened, { eventId: 'p-ten-2', occurredAt: '2024-03-31T23:30:00Z', kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.asb', riskCategory: 'C' }),
    kpiEvent(CaseReviewRequested, { eventId: 'p-cr-1', occurredAt: o(8) }),
    kpiEvent(CaseReviewThresholdAssessed, { eventId: 'p-cr-2', occurredAt: o(9), met: false }),
    kpiEvent(CaseReviewDecided, { eventId: 'p-cr-3', occurredAt: o(10) }),
  ];
}

/** The independent recount: each distinct event's counters, added up per day in memory. */
function recount(events: readonly KpiEvent[]): Map<string, Counters> {
  const seen = new Set<string>();
  const byDay = new Map<string, Counters>();
  for (const event of events) {
    if (event.detailType === 'HousingStockRecorded' || seen.has(event.detail.eventId)) continue;
    seen.add(event.detail.eventId);
    const { day, deltas } = countersFor(event as CountedEvent);
    byDay.set(day, addCounters(byDay.get(day) ?? zeroCounters(), deltas));
  }
  return byDay;
}

const asMap = (days: { day: string; counters: Partial<Counters> }[]) => new Map(days.map((d) => [d.day, addCounters(zeroCounters(), d.counters)]));
const everything = { from: '2024-01-01', to: '2024-12-31' };

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await run(items[next++] as T);
  }));
}

describe('integration: KPI counters on the local DynamoDB', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-kpi-counters-'));
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let raw: DynamoDBClient;
  let db: DynamoDBDocumentClient;
  const table = localTableName(tables.main);
  let tables_ = 0;

  /** A fresh empty table, so each property run starts from nothing. */
  const freshTable = async () => {
    const name = `kpi-run-${(tables_ += 1)}`;
    await raw.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      }),
    );
    // dynalite answers ResourceNotFound until the table is ACTIVE (a tick later).
    while ((await raw.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
    return name;
  };

  beforeAll(async () => {
    dynamo = await startDynamo(stateDir, 0, region);
    raw = new DynamoDBClient({ endpoint: dynamo.url, region, credentials });
    db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  });
  afterAll(async () => {
    raw.destroy();
    await dynamo.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('gives the counts of one clean pass when any permutation of the events arrives with duplicates, sealed or not', async () => {
    const events = pool();
    const expected = recount(events);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 3 }),
        async (extra, seed, sealsAt) => {
          const store = buildCounterStore(db, await freshTable());
          const deliveries = shuffled([...events, ...extra.map((i) => events[i] as KpiEvent)], seed);
          // Seals run at random points, alongside the deliveries around them.
          const cuts = [...new Set(sealsAt.map((c) => Math.min(c, deliveries.length)))].sort((a, b) => a - b);
          let from = 0;
          for (const cut of [...cuts, deliveries.length]) {
            const chunk = deliveries.slice(from, cut);
            from = cut;
            await Promise.all([inParallel(chunk, 4, (e) => countEvent(e, store)), ...(cut < deliveries.length ? [store.seal(everything)] : [])]);
          }
          expect(asMap(await store.readDays(everything))).toEqual(expected);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('moves the ids of sealed days aside without changing a count; a late event counts once, a redelivery not at all', async () => {
    const name = await freshTable();
    const store = buildCounterStore(db, name);
    const events = pool();
    for (const e of events) await countEvent(e, store);
    const before = await store.readDays(everything);
    const { sealed, skipped } = await store.seal(everything);
    expect(sealed).toBeGreaterThan(0);
    expect(skipped).toBe(0);
    expect(await store.readDays(everything)).toEqual(before);
    const { Items = [] } = await db.send(new ScanCommand({ TableName: name }));
    const dayItems = Items.filter((i) => String(i.pk).includes('#KPI#DAYS#'));
    expect(dayItems.every((i) => i.ids === undefined && i.sealed === 1)).toBe(true);
    expect(Items.filter((i) => String(i.pk).includes('#KPI#SEEN#')).reduce((n, i) => n + (i.ids as Set<string>).size, 0)).toBe(events.length);

    for (const e of events) expect(await countEvent(e, store)).toBe('duplicate');
    const late = kpiEvent(WarningIssued, { eventId: 'late-cpw', occurredAt: events[0]?.detail.occurredAt ?? '', warningType: 'CPW' });
    expect(await countEvent(late, store)).toBe('applied');
    expect(await countEvent(late, store)).toBe('duplicate');
    await store.seal(everything);
    expect(await countEvent(late, store)).toBe('duplicate');
    const after = asMap(await store.readDays(everything));
    expect(after).toEqual(recount([...events, late]));
  });

  it('loses and doubles nothing when a seal dies between its two writes', async () => {
    const name = await freshTable();
    let die = true;
    const dying = {
      send: async (command: unknown) => {
        const out = await db.send(command as never);
        if (die && command instanceof UpdateCommand && String(command.input.Key?.pk).includes('#KPI#SEEN#')) {
          die = false;
          throw new Error('injected crash between the seen write and the day write');
        }
        return out;
      },
    } as unknown as DynamoDBDocumentClient;
    const store = buildCounterStore(db, name);
    const events = pool();
    for (const e of events) await countEvent(e, store);
    await expect(buildCounterStore(dying, name).seal(everything)).rejects.toThrow(/injected crash/);
    for (const e of events) expect(await countEvent(e, store)).toBe('duplicate');
    expect(asMap(await store.readDays(everything))).toEqual(recount(events));
    await store.seal(everything);
    for (const e of events) expect(await countEvent(e, store)).toBe('duplicate');
    expect(asMap(await store.readDays(everything))).toEqual(recount(events));
  });

  it('keeps the housing stock recorded last for a date whatever order the records arrive in', async () => {
    const store = buildCounterStore(db, await freshTable());
    const early = kpiEvent(HousingStockRecorded, { eventId: 'stock-1', occurredAt: '2024-04-01T09:00:00+01:00', asOf: '2024-03-31', homes: 3850 });
    const correction = kpiEvent(HousingStockRecorded, { eventId: 'stock-2', occurredAt: '2024-04-02T09:00:00+01:00', asOf: '2024-03-31', homes: 3872 });
    const older = kpiEvent(HousingStockRecorded, { eventId: 'stock-0', occurredAt: '2023-04-01T09:00:00+01:00', asOf: '2023-03-31', homes: 3790 });
    for (const e of [correction, early, older, correction, early]) await countEvent(e, store);
    expect(await store.latestStock('2024-03-31')).toEqual({ asOf: '2024-03-31', homes: 3872 });
    expect(await store.latestStock('2024-03-30')).toEqual({ asOf: '2023-03-31', homes: 3790 });
    expect(await store.latestStock('2023-03-30')).toBeUndefined();
  });

  it('counts an event once when a throttled write fails and the delivery is retried', async () => {
    const name = await freshTable();
    let throttles = 2;
    const throttled = {
      send: async (command: unknown) => {
        if (command instanceof UpdateCommand && throttles > 0) {
          throttles -= 1;
          throw new ProvisionedThroughputExceededException({ message: 'injected: rate of requests exceeds the allowed throughput', $metadata: {} });
        }
        return db.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const store = buildCounterStore(throttled, name);
    const event = kpiEvent(FixedPenaltyIssued, { eventId: 'throttled-fpn', occurredAt: '2024-05-22T13:35:00+01:00' });
    await expect(countEvent(event, store)).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    await expect(countEvent(event, store)).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(await store.readDays(everything)).toEqual([]);
    expect(await countEvent(event, store)).toBe('applied');
    expect(await countEvent(event, store)).toBe('duplicate');
    expect(await store.readDays(everything)).toEqual([{ day: '2024-05-22', counters: { fpn: 1, team_actions: 1 } }]);
  });

  it('counts an event once when the process dies after the counter write and the event is redelivered', async () => {
    const name = await freshTable();
    let crash = true;
    const crashing = {
      send: async (command: unknown) => {
        const out = await db.send(command as never);
        // The write reached DynamoDB; the function dies before it can acknowledge anything.
        if (command instanceof UpdateCommand && crash) {
          crash = false;
          throw new Error('injected crash after the counter write');
        }
        return out;
      },
    } as unknown as DynamoDBDocumentClient;
    const event = kpiEvent(WarningIssued, { eventId: 'crash-cpw', occurredAt: '2024-05-20T15:10:00+01:00', warningType: 'CPW' });
    await expect(countEvent(event, buildCounterStore(crashing, name))).rejects.toThrow(/injected crash/);
    const store = buildCounterStore(db, name);
    for (let i = 0; i < 3; i += 1) expect(await countEvent(event, store)).toBe('duplicate');
    expect(await store.readDays(everything)).toEqual([{ day: '2024-05-20', counters: { cpw: 1, team_actions: 1 } }]);
  });

  it('refuses an event loudly, counting nothing, when its day shard is full; a duplicate is still recognised', async () => {
    const store = buildCounterStore(db, await freshTable(), { maxIdsPerItem: 3 });
    const ids = Array.from({ length: 200 }, (_, i) => `full-${i}`).filter((id) => shardOf(id) === 0).slice(0, 4);
    const event = (id: string) => kpiEvent(TeamActionRecorded, { eventId: id, occurredAt: '2024-05-28T09:15:00+01:00' });
    for (const id of ids.slice(0, 3)) expect(await countEvent(event(id), store)).toBe('applied');
    await expect(countEvent(event(ids[3] ?? ''), store)).rejects.toBeInstanceOf(KpiDayFullError);
    expect(await countEvent(event(ids[0] ?? ''), store)).toBe('duplicate');
    expect(await store.readDays(everything)).toEqual([{ day: '2024-05-28', counters: { team_actions: 3 } }]);
  });

  it('records each event on its shard item and stays small: about 20 bytes an event', async () => {
    const name = await freshTable();
    const store = buildCounterStore(db, name);
    const day = '2024-06-12';
    const events = Array.from({ length: 400 }, (_, i) => kpiEvent(TeamActionRecorded, { eventId: `01J${String(i).padStart(23, '0')}`, occurredAt: `${day}T10:00:00+01:00` }));
    await inParallel(events, 8, (e) => countEvent(e, store));
    let bytes = 0;
    for (let shard = 0; shard < DAY_SHARDS; shard += 1) {
      const { Item } = await db.send(new GetCommand({ TableName: name, Key: keys.kpiDay('2024-06', day, shard) }));
      expect(Item?.ids).toBeInstanceOf(Set);
      // DynamoDB's item size: attribute names plus values (strings by UTF-8 length, numbers ~ digits / 2 + 1).
      for (const [k, v] of Object.entries(Item ?? {})) {
        bytes += Buffer.byteLength(k);
        if (v instanceof Set) for (const s of v as Set<string>) bytes += Buffer.byteLength(s);
        else if (typeof v === 'number') bytes += Math.ceil(String(v).length / 2) + 1;
        else bytes += Buffer.byteLength(String(v));
      }
    }
    const perEvent = bytes / events.length;
    const perShardAtAMillion = (1_000_000 / 365 / DAY_SHARDS) * perEvent;
    console.info(`kpis: ${perEvent.toFixed(1)} bytes per event; a shard item on an average day at 1,000,000 events a year ≈ ${(perShardAtAMillion / 1024).toFixed(1)} KB (limit 400 KB)`);
    expect(perEvent).toBeLessThan(20);
    const { Item } = await db.send(new GetCommand({ TableName: name, Key: keys.kpiDay('2024-06', day, shardOf(events[0]?.detail.eventId ?? '')) }));
    expect((Item?.ids as Set<string>).has(idDigestOf(events[0]?.detail.eventId ?? ''))).toBe(true);
  });

  it('reads a range with one query per London month and counters only, when the report is built', async () => {
    const name = await freshTable();
    const store = buildCounterStore(db, name);
    for (const e of pool()) await countEvent(e, store);
    const report = await readKpisFrom(store)({ from: '2024-04-01', to: '2024-06-30' });
    expect(report.previous).toMatchObject({ from: '2024-01-01', to: '2024-03-31' });
    const recounted = recount(pool());
    const sum = (from: string, to: string) => [...recounted.entries()].filter(([d]) => d >= from && d <= to).reduce((t, [, c]) => t + c.team_actions, 0);
    expect(report.kpis.total_team_actions).toBe(sum('2024-04-01', '2024-06-30'));
    expect(report.previous.kpis.total_team_actions).toBe(sum('2024-01-01', '2024-03-31'));
    // The day items hold ids; the read asks for counters only.
    const { Items = [] } = await db.send(new ScanCommand({ TableName: name }));
    expect(Items.every((i) => i.ids instanceof Set)).toBe(true);
    expect((await store.readDays(everything)).every((d) => !('ids' in d.counters))).toBe(true);
  });

  describe('through the consumer, with Powertools idempotency in front', () => {
    let handler: (event: unknown, context: Context) => Promise<unknown>;
    const context = () => ({ functionName: 'KpiCounter', getRemainingTimeInMillis: () => 30_000, awsRequestId: crypto.randomUUID() }) as unknown as Context;
    let crashAfterCounterWrite = false;

    beforeAll(async () => {
      Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.url, TABLE_NAME: table, IDEMPOTENCY_TABLE_NAME: localTableName(tables.idempotency) });
      handler = ((await import('../../functions/kpis/project-kpis.ts')) as { handler: typeof handler }).handler;
      const { documents } = await import('#shared/clients');
      // A crash between the counter write and everything after it (Powertools' COMPLETED record).
      documents.middlewareStack.add(
        (next) => async (args) => {
          const out = await next(args);
          const input = args.input as { UpdateExpression?: string };
          if (crashAfterCounterWrite && input.UpdateExpression?.includes('ADD #ids')) {
            crashAfterCounterWrite = false;
            throw new Error('injected crash after the counter write');
          }
          return out;
        },
        { step: 'initialize', name: 'injectCrash' },
      );
    });

    const forgetIdempotency = async () => {
      const name = localTableName(tables.idempotency);
      const { Items = [] } = await db.send(new ScanCommand({ TableName: name, ProjectionExpression: 'id' }));
      for (const item of Items) await db.send(new DeleteCommand({ TableName: name, Key: { id: item.id } }));
    };
    const storeOnMain = () => buildCounterStore(db, table);
    const may = { from: '2025-05-01', to: '2025-05-31' };

    it('counts once when the function dies after the counter write and the event is delivered again, past its idempotency record', async () => {
      const event = kpiEvent(NoticeServed, { eventId: 'consumer-crash-cpn', occurredAt: '2025-05-10T10:00:00+01:00', noticeType: 'CPN' });
      crashAfterCounterWrite = true;
      await expect(handler(envelopeOf(event), context())).rejects.toThrow(/injected crash/);
      // Lambda retries; then the idempotency records expire and the event is redriven.
      await handler(envelopeOf(event), context());
      await forgetIdempotency();
      await handler(envelopeOf(event), context());
      expect(await storeOnMain().readDays(may)).toEqual([{ day: '2025-05-10', counters: { cpn: 1, team_actions: 1 } }]);
    });

    it('throws a named error and moves no counter when the event has a schema version the counters do not know', async () => {
      const event = kpiEvent(FixedPenaltyIssued, { eventId: 'consumer-v2-fpn', occurredAt: '2025-05-11T10:00:00+01:00' });
      const v2 = envelopeOf({ ...event, detail: { ...event.detail, schemaVersion: 2 } });
      // The shared consumer refuses a newer schema version before the counters see it.
      await expect(handler(v2, context())).rejects.toMatchObject({ name: 'UnexpectedEventError', message: expect.stringContaining('schemaVersion 2') });
      const bad = envelopeOf({ ...event, detail: { ...event.detail, eventId: 'consumer-bad-amount', amountPence: -5 } });
      await expect(handler(bad, context())).rejects.toThrow();
      expect((await storeOnMain().readDays(may)).filter((d) => d.day === '2025-05-11')).toEqual([]);
    });
  });
});
