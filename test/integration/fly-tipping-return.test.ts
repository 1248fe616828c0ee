import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventPublisher } from '#events/put';
import type { Role } from '#infra/topology';
import type { FlyTipReturn } from '../../functions/fly-tipping/returns.ts';
import { expectedQ1, scenarioEvents } from '../support/fly-tip-scenario.ts';
import { startTestStack, type TestStack } from '../support/local-stack.ts';

describe('integration: the WasteDataFlow fly-tipping return on the local stack', () => {
  let stack: TestStack;
  let eventBridge: EventBridgeClient;
  beforeAll(async () => {
    stack = await startTestStack();
    eventBridge = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    eventBridge.destroy();
    await stack.dispose();
  });

  const returnJson = async (quarter: string): Promise<FlyTipReturn> => {
    await stack.settle();
    const res = await stack.request('GET', `/fly-tipping/returns?quarter=${quarter}`, { role: 'officer', headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    return (await res.json()) as FlyTipReturn;
  };

  it('counts a form report completed by an officer, with the FPN on its case, in the CSV', async () => {
    // 14 August 2024 in London: 2024-Q2. The reporter knows the place and the waste, not the size.
    const sent = await stack.request('POST', '/reports', {
      form: {
        category: 'enviro.fly-tipping',
        description: 'Rubble and plasterboard tipped in the alley behind Nottingham Street.',
        'when-day': '14',
        'when-month': '8',
        'when-year': '2024',
        'when-time': '7:15am',
        'location-text': 'Alley behind Nottingham Street',
        'flyTip-landType': 'back-alleyway',
        'flyTip-wasteType': 'construction-demolition-excavation',
        'flyTip-size': 'dont-know',
        hateMotivated: 'no',
        consentToContact: 'no',
      },
    });
    expect(sent.status).toBe(303);
    await stack.settle();
    const queue = (await (await stack.request('GET', '/reports?status=untriaged&limit=100', { role: 'officer' })).json()) as { items: { reportId: string; description: string; reference: string }[] };
    const report = queue.items.find((r) => r.description.startsWith('Rubble and plasterboard'));
    if (!report) throw new Error('the form report did not reach the queue');

    const before = await returnJson('2024-Q2');
    expect(before.incidents.total).toBe(0);
    expect(before.notYetClassified).toEqual({ count: 1, incidents: [{ reportId: report.reportId, reference: report.reference, missing: ['size'] }] });

    // The officer completes the size, then corrects it; the latest record wins.
    for (const size of ['small-van-load', 'transit-van-load']) {
      const recorded = await stack.request('POST', `/reports/${report.reportId}/fly-tip`, { role: 'officer', json: { size } });
      expect(recorded.status).toBe(202);
      await stack.settle();
    }
    const opened = await stack.request('POST', `/reports/${report.reportId}/triage`, {
      role: 'officer',
      json: { action: 'open-case', kind: 'enviro', owner: 'safer-communities', occurredAt: '2024-08-14T10:00:00+01:00' },
    });
    expect(opened.status).toBe(202);
    const { caseId } = (await opened.json()) as { caseId: string };
    await stack.settle();
    const fined = await stack.request('POST', `/cases/${caseId}/actions`, {
      role: 'officer',
      json: { detailType: 'FixedPenaltyIssued', offence: 'fly-tipping', subjectRef: 'subject_alley_tipper', occurredAt: '2024-08-20T10:00:00+01:00' },
    });
    expect(fined.status).toBe(202);
    await stack.settle();

    const shown = (await (await stack.request('GET', `/reports/${report.reportId}/fly-tip`, { role: 'officer' })).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ details: { landType: 'back-alleyway', wasteType: 'construction-demolition-excavation', size: 'transit-van-load' }, missing: [] });

    const csv = await stack.request('GET', '/fly-tipping/returns?quarter=2024-Q2', { role: 'officer' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="fly-tipping-2024-Q2.csv"');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('WasteDataFlow fly-tipping return,2024-Q2,2024-07-01 to 2024-09-30');
    expect(lines).toContain('Back alleyway,Construction / demolition / excavation,0,0,0,0,1,0,0,1');
    expect(lines).toContain('Total,,0,0,0,0,1,0,0,1');
    expect(lines).toContain('Fixed penalty notices,1');
    expect(lines).toContain('Not yet classified,0');
  });

  it('gives the same return from the shuffled, duplicated scenario as the in-memory model', async () => {
    const deliveries = fc.sample(fc.shuffledSubarray([...scenarioEvents, ...scenarioEvents.slice(0, 12)], { minLength: scenarioEvents.length + 12 }), { numRuns: 1, seed: 20250401 })[0] ?? [];
    const bus = createEventPublisher({ client: eventBridge, busName: stack.endpoints.eventBusName });
    for (let i = 0; i < deliveries.length; i += 10) await bus.publish(deliveries.slice(i, i + 10));
    const r = await returnJson('2025-Q1');
    expect(r.incidents.total).toBe(expectedQ1.incidents.total);
    expect(r.incidents.cells).toEqual(expectedQ1.incidents.cells);
    expect(r.actions).toEqual(expectedQ1.actions);
    expect(r.notYetClassified).toEqual(expectedQ1.notYetClassified);
  });

  it('answers officers and admins, 401 without a token, 403 for finance and the other roles', async () => {
    const call = (role?: Role) => stack.request('GET', '/fly-tipping/returns?quarter=2025-Q1', role ? { role } : {});
    expect((await call('officer')).status).toBe(200);
    expect((await call('admin')).status).toBe(200);
    expect((await call()).status).toBe(401);
    for (const role of ['finance', 'tenancy', 'partner', 'public'] as const) expect((await call(role)).status).toBe(403);
    const post = (role?: Role) => stack.request('POST', '/reports/nope/fly-tip', { ...(role ? { role } : {}), json: { size: 'single-item' } });
    expect((await post()).status).toBe(401);
    expect((await post('finance')).status).toBe(403);
  });

  it('refuses a bad quarter, unknown details and an unknown report with a message and stores nothing', async () => {
    const bad = await stack.request('GET', '/fly-tipping/returns?quarter=2025-Q5', { role: 'officer' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/quarter=2025-Q1/);
    const wrong = await stack.request('POST', '/reports/nope/fly-tip', { role: 'officer', json: { size: 'a-lorry' } });
    expect(wrong.status).toBe(422);
    const empty = await stack.request('POST', '/reports/nope/fly-tip', { role: 'officer', json: {} });
    expect(empty.status).toBe(400);
    const missing = await stack.request('POST', '/reports/nope/fly-tip', { role: 'officer', json: { size: 'single-item' } });
    expect(missing.status).toBe(404);
    await stack.settle();
    expect(stack.observedOf('FlyTipDetailsRecorded').filter((e) => (e.detail as { reportId?: string }).reportId === 'nope')).toEqual([]);
  });
});
