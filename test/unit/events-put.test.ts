import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CaseOpened } from '#events/cases';
import { PatrolLogged, WarningIssued } from '#events/enforcement';
import { batch, createEventPublisher, EventPublishError, EventValidationError, MAX_PUT_BYTES } from '#events/put';
import { sampleFor } from '#events/samples';

const eventBridge = mockClient(EventBridgeClient);
const now = new Date('2024-05-20T14:10:05.000Z');
const busName = 'safer-communities-test';

const publisherWith = (options: { maxAttempts?: number } = {}) => {
  const sleeps: number[] = [];
  const publisher = createEventPublisher({
    client: new EventBridgeClient({}),
    busName,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { ...publisher, sleeps };
};

const patrol = (n: number) => ({ ...sampleFor(PatrolLogged), eventId: `patrol-${n}`, minutes: 30 + n });
const ok = (entries: readonly unknown[] | undefined, prefix = 'eb') => ({
  FailedEntryCount: 0,
  Entries: (entries ?? []).map((_, i) => ({ EventId: `${prefix}-${i}` })),
});
const sentEntries = (call: number): PutEventsRequestEntry[] =>
  eventBridge.commandCalls(PutEventsCommand)[call]?.args[0].input.Entries ?? [];
const sentEventIds = (call: number) => sentEntries(call).map((e) => (JSON.parse(e.Detail ?? '{}') as { eventId: string }).eventId);
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

describe('unit: event publisher', () => {
  beforeEach(() => {
    eventBridge.reset();
  });

  it('sends source, detail-type, bus, time and the validated detail when publishing', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ok(input.Entries));
    const { schemaVersion: _v, ...detail } = sampleFor(WarningIssued);

    const published = await publisherWith().publish([{ contract: WarningIssued, detail }]);

    expect(published).toEqual([{ eventId: detail.eventId, source: WarningIssued.source, detailType: 'WarningIssued', busEventId: 'eb-0' }]);
    const [entry] = sentEntries(0);
    expect(entry).toMatchObject({ Source: 'safer-communities.enforcement', DetailType: 'WarningIssued', EventBusName: busName, Time: now });
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual({ ...detail, schemaVersion: 1 });
  });

  it('retries only the failed entry when PutEvents reports a partial failure', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'eb-a' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }, { EventId: 'eb-c' }],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-b' }] });
    const publisher = publisherWith();

    const published = await publisher.publish([0, 1, 2].map((n) => ({ contract: PatrolLogged, detail: patrol(n) })));

    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(sentEventIds(1)).toEqual(['patrol-1']);
    expect(published.map((p) => [p.eventId, p.busEventId])).toEqual([
      ['patrol-0', 'eb-a'],
      ['patrol-1', 'eb-b'],
      ['patrol-2', 'eb-c'],
    ]);
    expect(publisher.sleeps).toHaveLength(1);
  });

  it('throws EventPublishError naming the eventId when an entry keeps failing', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ({
      FailedEntryCount: 1,
      Entries: (input.Entries ?? []).map((_, i) => (i === (input.Entries?.length ?? 0) - 1 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: `eb-${i}` })),
    }));
    const publisher = publisherWith({ maxAttempts: 3 });

    const error = await publisher.publish([0, 1].map((n) => ({ contract: PatrolLogged, detail: patrol(n) }))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).message).toContain('patrol-1');
    expect((error as EventPublishError).failures).toEqual([
      { eventId: 'patrol-1', source: PatrolLogged.source, detailType: 'PatrolLogged', errorCode: 'ThrottlingException', errorMessage: 'slow down' },
    ]);
    expect((error as EventPublishError).published.map((p) => p.eventId)).toEqual(['patrol-0']);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
    expect([1, 2].map(sentEventIds)).toEqual([['patrol-1'], ['patrol-1']]);
  });

  it('backs off exponentially with jitter when retrying', async () => {
    eventBridge.on(PutEventsCommand).rejects(throttled());
    const publisher = publisherWith();

    await expect(publisher.publish([{ contract: PatrolLogged, detail: patrol(0) }])).rejects.toBeInstanceOf(EventPublishError);

    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(4);
    const [first, second, third] = publisher.sleeps;
    expect(first).toBeGreaterThanOrEqual(50);
    expect(first).toBeLessThanOrEqual(100);
    expect(second).toBeGreaterThanOrEqual(100);
    expect(second).toBeLessThanOrEqual(200);
    expect(third).toBeGreaterThanOrEqual(200);
    expect(third).toBeLessThanOrEqual(400);
  });

  it('does not retry an entry when its error is permanent', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'bad json' }] });

    await expect(publisherWith().publish([{ contract: PatrolLogged, detail: patrol(0) }])).rejects.toThrow(/patrol-0.*MalformedDetail/);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('throws EventValidationError before any call when a detail is invalid', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ok(input.Entries));
    const { complyBy: _complyBy, ...cpw } = sampleFor(WarningIssued);

    const error = await publisherWith()
      .publish([
        { contract: PatrolLogged, detail: patrol(0) },
        { contract: WarningIssued, detail: cpw },
      ])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).failures).toMatchObject([{ index: 1, detailType: 'WarningIssued', eventId: cpw.eventId }]);
    expect((error as EventValidationError).issues.map((i) => i.path)).toEqual([[1, 'complyBy']]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('refuses a detail when its schemaVersion is not the contract version', async () => {
    await expect(publisherWith().publishOne(PatrolLogged, { ...patrol(0), schemaVersion: 2 })).rejects.toBeInstanceOf(EventValidationError);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('sends batches of at most ten entries when publishing many', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ok(input.Entries));

    const published = await publisherWith().publish(Array.from({ length: 23 }, (_, n) => ({ contract: PatrolLogged, detail: patrol(n) })));

    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.flatMap((_, i) => sentEventIds(i))).toEqual(Array.from({ length: 23 }, (_, n) => `patrol-${n}`));
    expect(published).toHaveLength(23);
  });

  it('keeps each request under 256 KB when entries are large', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: unknown[] }) => ok(input.Entries));
    // CaseOpened allows up to 500 report ids of 64 characters: about 33 KB each.
    const big = (n: number) => ({
      ...sampleFor(CaseOpened),
      eventId: `case-${n}`,
      reportIds: Array.from({ length: 500 }, (_, i) => `${n}-${i}-`.padEnd(64, 'r')),
    });

    await publisherWith().publish(Array.from({ length: 10 }, (_, n) => ({ contract: CaseOpened, detail: big(n) })));

    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      const bytes = (call.args[0].input.Entries ?? []).reduce((sum, e) => sum + 14 + Buffer.byteLength(`${e.Source}${e.DetailType}${e.Detail}`), 0);
      expect(bytes).toBeLessThanOrEqual(MAX_PUT_BYTES);
    }
    expect(calls.flatMap((_, i) => sentEventIds(i))).toEqual(Array.from({ length: 10 }, (_, n) => `case-${n}`));
  });

  it('retries the whole batch when the SDK throws a throttling error', async () => {
    eventBridge.on(PutEventsCommand).rejectsOnce(throttled()).callsFake((input: { Entries?: unknown[] }) => ok(input.Entries));

    await publisherWith().publishOne(PatrolLogged, patrol(0));

    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(sentEventIds(1)).toEqual(['patrol-0']);
  });

  it('retries when the SDK throws a 5xx error', async () => {
    const unavailable = Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    eventBridge.on(PutEventsCommand).rejectsOnce(unavailable).callsFake((input: { Entries?: unknown[] }) => ok(input.Entries));

    await publisherWith().publishOne(PatrolLogged, patrol(0));

    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('fails at once with the cause when the SDK throws a client error', async () => {
    const denied = Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    eventBridge.on(PutEventsCommand).rejects(denied);

    const error = await publisherWith().publishOne(PatrolLogged, patrol(0)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).cause).toBe(denied);
    expect((error as EventPublishError).failures[0]?.errorCode).toBe('AccessDeniedException');
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('sends nothing when given no entries', async () => {
    await expect(publisherWith().publish([])).resolves.toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});

describe('unit: event batching', () => {
  it('starts a new batch when the next item would pass 256 KB', () => {
    const sizes = [100_000, 100_000, 100_000, 10, 262_144];
    expect(batch(sizes.map((size) => ({ size }))).map((b) => b.map((i) => i.size))).toEqual([[100_000, 100_000], [100_000, 10], [262_144]]);
  });
});
