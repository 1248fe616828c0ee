import { describe, expect, it } from 'vitest';
import type { PublishEntry } from '#events/put';
import { NotFoundError, RuleViolationError, ValidationError } from '#shared/errors';
import type { TimelineEntry } from '../../functions/cases/case-model.ts';
import { caseView, officer, tenancy } from '../support/cases.ts';
import { recordAction, type CaseForAction } from '../../functions/enforcement/record-action.ts';


const openCase = caseView;

const cpwEntry: TimelineEntry = {
  eventId: 'cpw-1',
  occurredAt: '2024-05-20T15:10:00+01:00',
  source: 'safer-communities.enforcement',
  detailType: 'WarningIssued',
  actor: { kind: 'officer', id: 'officer-r-okafor' },
  officerId: 'officer-r-okafor',
  caseId: 'case-2024-0001',
  warningType: 'CPW',
  subjectRef: 'subject-a',
  complyBy: '2024-06-03',
};

function harness(stored: CaseForAction = { view: openCase(), timeline: [] }, now = '2024-06-10T10:00:00Z') {
  const published: PublishEntry[] = [];
  let n = 0;
  const deps = {
    loadCase: async () => stored,
    publish: async (entry: PublishEntry) => void published.push(entry),
    newId: () => `new-${(n += 1)}`,
    now: () => new Date(now),
  };
    /** caseId null: POST /actions (no case). */
  const run = (body: unknown, caseId: string | null = 'case-2024-0001', principal = officer) =>
    recordAction({ body, ...(caseId === null ? {} : { caseId }), principal }, deps);
  return { published, run };
}

describe('unit: recording an action', () => {
  it('puts the event with the envelope set by the service when the body is valid', async () => {
    const h = harness();
    const result = await h.run({ detailType: 'TeamActionRecorded', actionType: 'visit' });
    expect(result).toEqual({ eventId: 'new-1', detailType: 'TeamActionRecorded', occurredAt: '2024-06-10T10:00:00.000Z' });
    expect(h.published).toHaveLength(1);
    expect(h.published[0]?.contract.detailType).toBe('TeamActionRecorded');
    expect(h.published[0]?.detail).toMatchObject({
      eventId: 'new-1',
      occurredAt: '2024-06-10T10:00:00.000Z',
      actor: { kind: 'officer', id: 'officer-r-okafor' },
      officerId: 'officer-r-okafor',
      caseId: 'case-2024-0001',
      actionType: 'visit',
    });
  });

  it('keeps a given occurredAt, and an officerId that is the caller\'s own', async () => {
    const h = harness();
    await h.run({ detailType: 'PatrolLogged', minutes: 90, occurredAt: '2024-06-09T21:00:00+01:00', officerId: 'officer-r-okafor' }, null);
    expect(h.published[0]?.detail).toMatchObject({ occurredAt: '2024-06-09T21:00:00+01:00', officerId: 'officer-r-okafor', actor: { id: 'officer-r-okafor' } });
    expect(h.published[0]?.detail).not.toHaveProperty('caseId');
  });

  it('refuses an officerId that names someone other than the caller', async () => {
    const h = harness();
    await expect(h.run({ detailType: 'PatrolLogged', minutes: 90, officerId: 'officer-j-patel' }, null)).rejects.toMatchObject({ details: [{ path: 'officerId' }] });
    expect(h.published).toHaveLength(0);
  });

  it('refuses an action dated before 2000', async () => {
    const h = harness();
    await expect(h.run({ detailType: 'PatrolLogged', minutes: 90, occurredAt: '1900-06-09T21:00:00Z' }, null)).rejects.toBeInstanceOf(ValidationError);
    expect(h.published).toHaveLength(0);
  });

  it.each(['eventId', 'schemaVersion', 'actor'])('refuses a body that sets the envelope field %s', async (field) => {
    const h = harness();
    await expect(h.run({ detailType: 'TeamActionRecorded', actionType: 'visit', [field]: 'x' })).rejects.toBeInstanceOf(ValidationError);
    expect(h.published).toHaveLength(0);
  });

  it('refuses an unknown detailType with the list of known ones', async () => {
    await expect(harness().run({ detailType: 'CaseOpened' })).rejects.toThrow(ValidationError);
    await expect(harness().run({ detailType: 'Nope' })).rejects.toMatchObject({ details: [{ path: 'detailType', message: expect.stringContaining('WarningIssued') }] });
  });

  it('refuses a body whose caseId differs from the path, or a caseId at POST /actions', async () => {
    await expect(harness().run({ detailType: 'TeamActionRecorded', actionType: 'visit', caseId: 'case-other' })).rejects.toThrow(ValidationError);
    await expect(harness().run({ detailType: 'TeamActionRecorded', actionType: 'visit', caseId: 'case-2024-0001' }, null)).rejects.toThrow(ValidationError);
  });

  it('names the fields that break the contract when a CPW has no comply-by date', async () => {
    await expect(harness().run({ detailType: 'WarningIssued', warningType: 'CPW', subjectRef: 'subject-a' })).rejects.toMatchObject({
      status: 422,
      details: [{ path: 'complyBy', message: expect.any(String) }],
    });
  });

  it('fills a fixed penalty amount from the tariff when it is left out', async () => {
    const h = harness();
    const result = await h.run({ detailType: 'FixedPenaltyIssued', offence: 'fly-tipping', subjectRef: 'subject-b' });
    expect(result).toMatchObject({ amountPence: 100_000, earlyPaymentPence: 60_000 });
    expect(h.published[0]?.detail).toMatchObject({ amountPence: 100_000 });
  });

  it('refuses a fixed penalty for an offence the tariff does not know, with the rule', async () => {
    await expect(harness().run({ detailType: 'FixedPenaltyIssued', offence: 'loitering', subjectRef: 'subject-b' })).rejects.toMatchObject({ code: 'fpn-no-tariff', status: 422 });
  });

  it('refuses a CPN without a CPW and puts nothing', async () => {
    const h = harness();
    await expect(h.run({ detailType: 'NoticeServed', noticeType: 'CPN', subjectRef: 'subject-a', subjectKind: 'person', subjectAge: 30 })).rejects.toMatchObject({ code: 'cpn-needs-cpw' });
    expect(h.published).toHaveLength(0);
  });

  it('accepts a CPN when the case timeline holds a CPW whose date has passed', async () => {
    const h = harness({ view: openCase(), timeline: [cpwEntry] });
    await expect(h.run({ detailType: 'NoticeServed', noticeType: 'CPN', subjectRef: 'subject-a', subjectKind: 'body' })).resolves.toMatchObject({ detailType: 'NoticeServed' });
  });

  it('answers 404 when the case does not exist or the caller may not work on it', async () => {
    await expect(harness({ timeline: [] }).run({ detailType: 'TeamActionRecorded', actionType: 'visit' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(harness().run({ detailType: 'TeamActionRecorded', actionType: 'visit' }, 'case-2024-0001', tenancy)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets Tenancy Services record on their own cases', async () => {
    const h = harness({ view: openCase({ owner: 'tenancy-services', kind: 'tenancy', riskCategory: 'B' }), timeline: [] });
    await expect(h.run({ detailType: 'TeamActionRecorded', actionType: 'call' }, 'case-2024-0001', tenancy)).resolves.toMatchObject({ detailType: 'TeamActionRecorded' });
  });

  it('refuses an action on a closed case with the rule', async () => {
    await expect(harness({ view: openCase({ status: 'closed' }), timeline: [] }).run({ detailType: 'TeamActionRecorded', actionType: 'visit' })).rejects.toMatchObject({
      code: 'case-closed',
    });
  });

  it('refuses an action dated in the future beyond clock drift and accepts one a minute ahead', async () => {
    await expect(harness().run({ detailType: 'TeamActionRecorded', actionType: 'visit', occurredAt: '2024-06-10T11:00:00Z' })).rejects.toBeInstanceOf(RuleViolationError);
    await expect(harness().run({ detailType: 'TeamActionRecorded', actionType: 'visit', occurredAt: '2024-06-10T10:01:00Z' })).resolves.toBeDefined();
  });

  it('refuses a body that is not an object', async () => {
    await expect(harness().run(['WarningIssued'])).rejects.toBeInstanceOf(ValidationError);
    await expect(harness().run(null)).rejects.toBeInstanceOf(ValidationError);
  });
});
