import { describe, expect, it } from 'vitest';
import type { ContactInput } from '../../functions/intake/report-input.ts';
import type { Notification } from '../../functions/notifications/port.ts';
import type { StatusEvent } from '../../functions/status/actions.ts';
import { applyStatusEvent } from '../../functions/status/apply.ts';
import { normaliseReference, progressOf, type CaseStep, type ReportStep } from '../../functions/status/progress.ts';
import { loadProgressInputs, type StatusStore } from '../../functions/status/repository.ts';
import { tellReporters } from '../../functions/status/tell-reporters.ts';

/** The store's port over maps: the same keys as the table (one item per event), nothing more. */
function memoryStore(): StatusStore & { claims: Set<string> } {
  const refs = new Map<string, string>();
  const reportSteps = new Map<string, Map<string, ReportStep>>();
  const caseSteps = new Map<string, Map<string, CaseStep>>();
  const caseReports = new Map<string, Set<string>>();
  const claims = new Set<string>();
  const inner = <K, V>(m: Map<string, Map<K, V>>, k: string) => m.get(k) ?? m.set(k, new Map()).get(k)!;
  return {
    claims,
    saveReference: async (reference, reportId) => void refs.set(reference, reportId),
    saveReportStep: async (reportId, step) => void inner(reportSteps, reportId).set(step.eventId, structuredClone(step)),
    saveCaseStep: async (caseId, step) => void inner(caseSteps, caseId).set(step.eventId, structuredClone(step)),
    saveCaseReport: async (caseId, reportId) => void (caseReports.get(caseId) ?? caseReports.set(caseId, new Set()).get(caseId)!).add(reportId),
    reportIdOf: async (reference) => refs.get(reference),
    reportSteps: async (reportId) => [...(reportSteps.get(reportId)?.values() ?? [])],
    caseOf: async (caseId) => ({ steps: [...(caseSteps.get(caseId)?.values() ?? [])], reportIds: [...(caseReports.get(caseId) ?? [])] }),
    claimMessage: async (id) => (claims.has(id) ? false : (claims.add(id), true)),
    releaseMessage: async (id) => void claims.delete(id),
  };
}

const envelope = (eventId: string, occurredAt: string) => ({ eventId, occurredAt, schemaVersion: 1, actor: { kind: 'officer', id: 'officer-1' } }) as const;

const received = (over: Record<string, unknown> = {}) =>
  ({
    source: 'safer-communities.intake',
    detailType: 'ReportReceived',
    detail: {
      ...envelope('ev-received', '2025-03-01T20:00:00Z'),
      actor: { kind: 'public' },
      reportId: 'report-1',
      reference: 'SC-1A2B-3C4D',
      channel: 'webform',
      category: 'asb.noise',
      description: 'Loud music from number 4 every night',
      location: { postcode: 'LE13 1GH', text: '4 Elm Road' },
      hateMotivated: false,
      reporter: { anonymous: false, contactRef: 'ct_1' },
      ...over,
    },
  }) as unknown as StatusEvent;

const opened = { source: 'safer-communities.cases', detailType: 'CaseOpened', detail: { ...envelope('ev-opened', '2025-03-03T10:00:00Z'), caseId: 'case-1', kind: 'asb', owner: 'safer-communities', category: 'asb.noise', referredFrom: 'public', hateRelated: false, reportIds: ['report-1'] } } as unknown as StatusEvent;
const visit = { source: 'safer-communities.enforcement', detailType: 'TeamActionRecorded', detail: { ...envelope('ev-visit', '2025-03-04T10:00:00Z'), officerId: 'officer-1', caseId: 'case-1', actionType: 'visit', subjectRef: 'subj-secret', notes: 'Spoke to Mr Smith at number 4' } } as unknown as StatusEvent;
const visit2 = { ...visit, detail: { ...visit.detail, eventId: 'ev-visit-2', occurredAt: '2025-03-05T10:00:00Z' } } as unknown as StatusEvent;
const warning = { source: 'safer-communities.enforcement', detailType: 'WarningIssued', detail: { ...envelope('ev-cpw', '2025-03-06T10:00:00Z'), officerId: 'officer-1', caseId: 'case-1', warningType: 'CPW', subjectRef: 'subj-secret', complyBy: '2025-03-20' } } as unknown as StatusEvent;
const closed = { source: 'safer-communities.cases', detailType: 'CaseClosed', detail: { ...envelope('ev-closed', '2025-03-21T10:00:00Z'), caseId: 'case-1', outcome: 'Mr Smith complied with the CPW' } } as unknown as StatusEvent;
const RECEIVED_AT = '2025-03-01T20:05:00Z';

const apply = async (store: StatusStore, events: readonly StatusEvent[]) => {
  const touched: string[] = [];
  for (const e of events) touched.push(...(await applyStatusEvent(e, RECEIVED_AT, store)));
  return touched;
};
const progress = async (store: StatusStore) => {
  const { steps, cases } = await loadProgressInputs(store, 'report-1');
  return progressOf(steps, cases);
};

const permutations = <T,>(xs: readonly T[]): T[][] => (xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest])));

describe('unit: a report’s public progress', () => {
  it('is received, then being looked into, then closed with what was done, each kind of action once', async () => {
    const store = memoryStore();
    await apply(store, [received()]);
    expect(await progress(store)).toEqual({
      reference: 'SC-1A2B-3C4D',
      status: 'received',
      updatedAt: '2025-03-01T20:05:00.000Z',
      history: [{ at: '2025-03-01T20:05:00.000Z', text: 'We received your report' }],
      whatWasDone: [],
    });
    await apply(store, [opened, visit, visit2]);
    expect((await progress(store))?.status).toBe('being-looked-into');
    await apply(store, [warning, closed]);
    const done = await progress(store);
    expect(done).toEqual({
      reference: 'SC-1A2B-3C4D',
      status: 'closed',
      updatedAt: '2025-03-21T10:00:00.000Z',
      history: [
        { at: '2025-03-01T20:05:00.000Z', text: 'We received your report' },
        { at: '2025-03-03T10:00:00.000Z', text: 'An officer started looking into your report' },
        { at: '2025-03-04T10:00:00.000Z', text: 'An officer visited' },
        { at: '2025-03-06T10:00:00.000Z', text: 'A warning was given' },
        { at: '2025-03-21T10:00:00.000Z', text: 'The case was closed' },
      ],
      whatWasDone: ['An officer visited', 'A warning was given'],
    });
    // Nothing personal: not the description, the place, the contact, the subject, the notes or the outcome's words.
    const shown = JSON.stringify(done);
    for (const secret of ['Loud music', 'Elm Road', 'LE13', 'ct_1', 'subj-secret', 'Smith', 'complied']) expect(shown).not.toContain(secret);
  });

  it('comes out the same whatever order the events arrive in, and whatever is delivered twice', async () => {
    const events = [received(), opened, visit, warning, closed];
    const expected = await (async () => {
      const s = memoryStore();
      await apply(s, events);
      return progress(s);
    })();
    for (const order of permutations(events)) {
      const store = memoryStore();
      await apply(store, [...order, ...order.slice(0, 2)]);
      expect(await progress(store)).toEqual(expected);
    }
  });

  it('is passed on when the report is referred, and unknown until the report itself is known', async () => {
    const store = memoryStore();
    const referred = { source: 'safer-communities.cases', detailType: 'ReportReferred', detail: { ...envelope('ev-ref', '2025-03-02T09:00:00Z'), reportId: 'report-1', service: 'Environmental Health', reason: 'Noise from Mr Smith' } } as unknown as StatusEvent;
    await apply(store, [referred]);
    expect(await progress(store)).toBeUndefined();
    expect(await store.reportIdOf('SC-1A2B-3C4D')).toBeUndefined();
    await apply(store, [received()]);
    const p = await progress(store);
    expect(p?.status).toBe('passed-on');
    expect(p?.history.at(-1)?.text).toBe('We passed your report to Environmental Health, who deal with this kind of problem');
    expect(JSON.stringify(p)).not.toContain('Smith');
  });

  it('stays being looked into while one of two cases is open', async () => {
    const store = memoryStore();
    const linked = { source: 'safer-communities.cases', detailType: 'ReportLinked', detail: { ...envelope('ev-link', '2025-03-05T09:00:00Z'), reportId: 'report-1', caseId: 'case-2' } } as unknown as StatusEvent;
    await apply(store, [received(), opened, linked, closed]);
    const p = await progress(store);
    expect(p?.status).toBe('being-looked-into');
    expect(p?.history.map((h) => h.text)).toContain('One of the cases your report is part of was closed');
  });
});

describe('unit: messages to a reporter who agreed to be contacted', () => {
  const contact: ContactInput = { email: 'jo@example.com', phone: '01632 960 001', consentToContact: true };
  const setup = (who: ContactInput | null = contact, failing = 0) => {
    const store = memoryStore();
    const sent: Notification[] = [];
    let failures = failing;
    const deps = {
      store,
      getContact: async () => who ?? undefined,
      notifier: () => ({
        send: async (n: Notification) => {
          if (failures-- > 0) throw new Error('Notify is down');
          sent.push(n);
          return { id: n.id };
        },
      }),
      context: () => ({ baseUrl: 'https://report.example.gov.uk', councilName: 'Melton Borough Council' }),
    };
    const deliver = async (e: StatusEvent) => tellReporters(await applyStatusEvent(e, RECEIVED_AT, store), deps);
    return { store, sent, deliver };
  };

  it('acknowledges with the reference and the status link, updates when the case opens and closes, and never twice', async () => {
    const { sent, deliver } = setup();
    for (const e of [received(), received(), opened, visit, opened, closed, closed]) await deliver(e);
    expect(sent.map((n) => [n.id, n.template, n.channel, n.to])).toEqual([
      ['report-received-ev-received', 'report-received', 'email', 'jo@example.com'],
      ['report-update-ev-opened-report-1', 'report-update', 'email', 'jo@example.com'],
      ['report-update-ev-closed-report-1', 'report-update', 'email', 'jo@example.com'],
    ]);
    expect(sent[0]?.personalisation).toEqual({ reference: 'SC-1A2B-3C4D', statusUrl: 'https://report.example.gov.uk/status/SC-1A2B-3C4D', councilName: 'Melton Borough Council', caseReview: '' });
    expect(sent[2]?.personalisation).toMatchObject({ status: 'Closed', update: expect.stringContaining('closed') });
    for (const n of sent) expect(JSON.stringify(n.personalisation)).not.toMatch(/Loud music|Smith|Elm Road/);
  });

  it('sends what became due when the report arrives after its case was opened and closed', async () => {
    const { sent, deliver } = setup();
    for (const e of [closed, opened, received()]) await deliver(e);
    expect(sent.map((n) => n.id).sort()).toEqual(['report-received-ev-received', 'report-update-ev-closed-report-1', 'report-update-ev-opened-report-1']);
  });

  it('includes the ASB Case Review notice in the acknowledgement when the reporter reported before within six months', async () => {
    const { sent, deliver } = setup();
    await deliver(received({ caseReviewNotice: true }));
    expect(sent[0]?.personalisation.caseReview).toMatch(/^You have reported to us more than once in the last six months\..*Ask for one at https:\/\/report\.example\.gov\.uk\/case-reviews\/apply$/);
  });

  it('texts a reporter who gave only a telephone number', async () => {
    const { sent, deliver } = setup({ phone: '07700 900 982', consentToContact: true });
    await deliver(received());
    expect(sent.map((n) => [n.channel, n.to])).toEqual([['sms', '07700 900 982']]);
  });

  it('sends nothing to an anonymous reporter, one who did not agree, or one whose client tells them itself (Open311)', async () => {
    for (const [who, event] of [
      [contact, received({ reporter: { anonymous: true } })],
      [{ email: 'jo@example.com', consentToContact: false }, received()],
      [null, received()],
      [contact, received({ channel: 'open311' })],
    ] as const) {
      const { sent, deliver } = setup(who as ContactInput | null);
      await deliver(event);
      await deliver(opened);
      expect(sent).toEqual([]);
    }
  });

  it('does not read back the progress of a report whose reporter can never be told, and still stores it', async () => {
    for (const [event, concerns] of [
      [received({ reporter: { anonymous: true } }), []],
      [received({ channel: 'open311' }), []],
      [received(), ['report-1']],
    ] as const) {
      const store = memoryStore();
      let reads = 0;
      const counting: StatusStore = { ...store, reportSteps: async (id) => (reads++, store.reportSteps(id)) };
      const deps = { store: counting, getContact: async () => contact, notifier: () => ({ send: async (n: Notification) => ({ id: n.id }) }), context: () => ({ baseUrl: 'https://report.example.gov.uk', councilName: 'Melton Borough Council' }) };
      expect(await applyStatusEvent(event, RECEIVED_AT, counting)).toEqual(concerns);
      await tellReporters(concerns, deps);
      expect(reads).toBe(concerns.length);
      expect((await progress(store))?.status).toBe('received');
    }
  });

  it('gives the claim back when sending fails, so the retry sends the message once', async () => {
    const { sent, deliver, store } = setup(contact, 1);
    await expect(deliver(received())).rejects.toThrow('Notify is down');
    expect(store.claims.size).toBe(0);
    await deliver(received());
    await deliver(received());
    expect(sent.map((n) => n.id)).toEqual(['report-received-ev-received']);
  });
});

describe('unit: references as people type them', () => {
  it.each([
    ['SC-1A2B-3C4D', 'SC-1A2B-3C4D'],
    ['sc-1a2b-3c4d', 'SC-1A2B-3C4D'],
    [' sc 1a2b 3c4d ', 'SC-1A2B-3C4D'],
    ['1A2B3C4D', 'SC-1A2B-3C4D'],
    ['SC-OA2B-3CIL', 'SC-0A2B-3C11'],
  ])('reads %j as %s', (typed, reference) => {
    expect(normaliseReference(typed)).toBe(reference);
  });

  it.each(['', 'SC-1A2B', 'SC-1A2B-3C4D-5E6F', 'SC-1A2B-3C4U', '<script>', 'SC-24-01873'])('refuses %j', (typed) => {
    expect(normaliseReference(typed)).toBeUndefined();
  });
});
