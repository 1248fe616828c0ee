import { describe, expect, it } from 'vitest';
import type { PublishEntry } from '#events/put';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/errors';
import type { CaseView } from '../../functions/cases/case-model.ts';
import { caseView, officer, tenancy } from '../support/cases.ts';
import { triageInput, triageReport, type TriageDeps } from '../../functions/cases/triage.ts';
import type { ClaimResult } from '../../functions/cases/triage-repository.ts';
import type { ReportView } from '../../functions/intake/reports-repository.ts';


const report = (over: Partial<ReportView> = {}): ReportView => ({
  reportId: 'rpt-1',
  status: 'untriaged',
  channel: 'webform',
  category: 'asb.neighbour',
  description: 'Loud music every night',
  location: { postcode: 'LE2 1AB' },
  hateMotivated: true,
  reporter: { anonymous: true },
  occurredAt: '2024-06-01T22:00:00+01:00',
  receivedEventId: 'evt-r1',
  ...over,
});

const openCase = caseView({ caseId: 'case-2024-0003', reportIds: ['rpt-0'] });

function harness(opts: { report?: ReportView; case?: CaseView; claim?: ClaimResult; publishFails?: boolean } = {}) {
  const published: PublishEntry[] = [];
  const claims: string[] = [];
  let n = 0;
  const deps: TriageDeps = {
    getReport: async (id) => (id === 'rpt-1' ? (opts.report ?? report()) : undefined),
    getCase: async (id) => (id === opts.case?.caseId ? opts.case : undefined),
    claims: {
      claim: async () => (claims.push('claim'), opts.claim ?? 'claimed'),
      complete: async () => (claims.push('complete'), {} as never),
      release: async () => void claims.push('release'),
    },
    nextCaseNumber: async () => 12,
    publish: async (entry) => {
      if (opts.publishFails) throw new Error('bus down');
      published.push(entry);
    },
    now: () => new Date('2024-06-03T09:00:00Z'),
    newId: () => `id-${(n += 1)}`,
  };
  const run = (input: unknown, principal = officer, reportId = 'rpt-1') => triageReport(reportId, triageInput.parse(input), principal, deps);
  return { published, claims, run };
}

describe('unit: triage', () => {
  it('opens a case numbered in the London year with defaults from the report when asked to', async () => {
    const h = harness();
    const result = await h.run({ action: 'open-case', kind: 'asb', owner: 'safer-communities' });
    expect(result).toEqual({ eventId: 'id-1', status: 'triaged', caseId: 'case-2024-0012' });
    expect(h.published[0]?.contract.detailType).toBe('CaseOpened');
    expect(h.published[0]?.detail).toMatchObject({
      caseId: 'case-2024-0012',
      category: 'asb.neighbour',
      referredFrom: 'public',
      hateRelated: true,
      reportIds: ['rpt-1'],
      actor: { kind: 'officer', id: 'officer-r-okafor' },
    });
    expect(h.claims).toEqual(['claim', 'complete']);
  });

  it('needs a risk category when Tenancy Services own a case that is not hate-related', async () => {
    const open = { action: 'open-case', kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.noise', hateRelated: false } as const;
    await expect(harness().run(open, tenancy)).rejects.toMatchObject({ details: [{ path: 'riskCategory' }] });
    await expect(harness().run({ ...open, riskCategory: 'B' }, tenancy)).resolves.toMatchObject({ status: 'triaged' });
  });

  describe('a hate-related Tenancy Services case is category A', () => {
    const open = { action: 'open-case', kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.noise' } as const;
    const graded = (h: ReturnType<typeof harness>) => (h.published[0]?.detail as { riskCategory?: string; hateRelated?: boolean }) ?? {};

    it('accepts A and refuses B or C with the reason', async () => {
      const a = harness();
      await expect(a.run({ ...open, riskCategory: 'A' }, tenancy)).resolves.toMatchObject({ status: 'triaged' });
      expect(graded(a)).toMatchObject({ riskCategory: 'A', hateRelated: true });
      for (const risk of ['B', 'C'] as const) {
        const h = harness();
        await expect(h.run({ ...open, riskCategory: risk }, tenancy)).rejects.toMatchObject({
          code: 'tenancy-hate-related-is-category-a',
          status: 422,
          message: expect.stringContaining(`category A (hate-related incidents are graded A), not ${risk}`),
        });
        expect(h.published).toHaveLength(0);
      }
    });

    it('grades A when no category is given, whether the hate flag comes from the report or the officer', async () => {
      const fromReport = harness();
      await fromReport.run(open, tenancy);
      expect(graded(fromReport).riskCategory).toBe('A');
      const fromOfficer = harness({ report: report({ hateMotivated: false }) });
      await fromOfficer.run({ ...open, hateRelated: true }, tenancy);
      expect(graded(fromOfficer).riskCategory).toBe('A');
    });

    it('lets B stand when the officer finds the case is not hate-related, and leaves Safer Communities cases ungraded', async () => {
      await expect(harness().run({ ...open, riskCategory: 'B', hateRelated: false }, tenancy)).resolves.toMatchObject({ status: 'triaged' });
      const sc = harness();
      await sc.run({ action: 'open-case', kind: 'asb', owner: 'safer-communities' });
      expect(graded(sc).riskCategory).toBeUndefined();
    });
  });

  it('stops Tenancy Services opening a Safer Communities case', async () => {
    await expect(harness().run({ action: 'open-case', kind: 'asb', owner: 'safer-communities' }, tenancy)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('keeps Tenancy Services to ASB reports, taken into their own cases, and reports from Housing', async () => {
    const tenancyCase = { action: 'open-case', kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.noise', riskCategory: 'A' } as const;
    const theirs = caseView({ caseId: 'case-2024-0009', owner: 'tenancy-services' });
    const refused = async (over: Partial<ReportView>, input: Record<string, unknown>) => {
      const h = harness({ report: report(over), case: theirs });
      await expect(h.run(input, tenancy), `${JSON.stringify(over)} ${String(input.action)}`).rejects.toThrow(/Safer Communities officers' queue/);
      expect(h.published).toEqual([]);
      expect(h.claims).toEqual([]);
    };
    // Other kinds of report stay with the officers, whatever the decision.
    for (const category of ['enviro.fly-tipping', 'retail.theft', 'other.referral'] as const) {
      for (const input of [tenancyCase, { action: 'link', caseId: 'case-2024-0009' }, { action: 'refer', service: 'Environmental Health' }]) await refused({ category }, input);
    }
    // An ASB report cannot be referred away from the officers' queue by Tenancy Services.
    await refused({ category: 'asb.noise', channel: 'webform' }, { action: 'refer', service: 'Environmental Health' });
    // An ASB report may be taken into a Tenancy Services case, opened or existing.
    await expect(harness().run(tenancyCase, tenancy)).resolves.toMatchObject({ status: 'triaged' });
    await expect(harness({ case: theirs }).run({ action: 'link', caseId: 'case-2024-0009' }, tenancy)).resolves.toMatchObject({ status: 'triaged' });
    // A report from Housing is theirs to decide, referral included.
    const fromHousing = report({ channel: 'housing', category: 'enviro.fly-tipping' });
    await expect(harness({ report: fromHousing }).run({ action: 'refer', service: 'Environmental Health' }, tenancy)).resolves.toMatchObject({ status: 'referred' });
    await expect(harness({ report: fromHousing }).run(tenancyCase, tenancy)).resolves.toMatchObject({ status: 'triaged' });
    // Officers decide on every report; someone with both roles decides as an officer.
    await expect(harness({ report: report({ category: 'retail.theft' }) }).run({ action: 'refer', service: 'Police' }, officer)).resolves.toMatchObject({ status: 'referred' });
    await expect(harness({ report: report({ category: 'retail.theft' }) }).run({ action: 'refer', service: 'Police' }, { ...tenancy, roles: ['tenancy', 'officer'] })).resolves.toMatchObject({ status: 'referred' });
  });

  it('links the report to an open case', async () => {
    const h = harness({ case: openCase });
    await expect(h.run({ action: 'link', caseId: 'case-2024-0003' })).resolves.toEqual({ eventId: 'id-1', status: 'triaged', caseId: 'case-2024-0003' });
    expect(h.published[0]?.detail).toMatchObject({ reportId: 'rpt-1', caseId: 'case-2024-0003' });
  });

  it('refuses to link to a closed case, to a missing one, or to one Tenancy Services do not own', async () => {
    await expect(harness({ case: { ...openCase, status: 'closed' } }).run({ action: 'link', caseId: 'case-2024-0003' })).rejects.toBeInstanceOf(ConflictError);
    await expect(harness().run({ action: 'link', caseId: 'case-2024-0003' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(harness({ case: openCase }).run({ action: 'link', caseId: 'case-2024-0003' }, tenancy)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refers the report on to another service', async () => {
    const h = harness();
    await expect(h.run({ action: 'refer', service: 'Domestic abuse service' })).resolves.toEqual({ eventId: 'id-1', status: 'referred' });
    expect(h.published[0]?.contract.detailType).toBe('ReportReferred');
  });

  it('answers 404 for an unknown report and 409 for one already triaged', async () => {
    await expect(harness().run({ action: 'refer', service: 'Police' }, officer, 'rpt-x')).rejects.toBeInstanceOf(NotFoundError);
    await expect(harness({ report: report({ status: 'triaged' }) }).run({ action: 'refer', service: 'Police' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a second decision when another officer has claimed the report', async () => {
    const h = harness({ claim: 'busy' });
    await expect(h.run({ action: 'refer', service: 'Police' })).rejects.toThrow(/right now/);
    await expect(harness({ claim: 'decided' }).run({ action: 'refer', service: 'Police' })).rejects.toThrow(/already been triaged/);
    expect(h.published).toHaveLength(0);
  });

  it('releases the claim when the event cannot be put', async () => {
    const h = harness({ publishFails: true });
    await expect(h.run({ action: 'refer', service: 'Police' })).rejects.toThrow('bus down');
    expect(h.claims).toEqual(['claim', 'release']);
  });

  it('refuses unknown actions and unknown fields when parsing', () => {
    expect(triageInput.safeParse({ action: 'delete' }).success).toBe(false);
    expect(triageInput.safeParse({ action: 'refer', service: 'Police', eventId: 'x' }).success).toBe(false);
    expect(triageInput.safeParse({ action: 'link' }).success).toBe(false);
  });

  it('refuses a Safer Communities case with a category not on the list', async () => {
    await expect(harness().run({ action: 'open-case', kind: 'asb', owner: 'safer-communities', category: 'tenancy.noise' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('unit: triage recorded after the event', () => {
  it('dates the decision and numbers the case by the given occurredAt when one is given', async () => {
    const h = harness();
    await expect(h.run({ action: 'open-case', kind: 'asb', owner: 'safer-communities', occurredAt: '2023-12-31T23:30:00Z' })).resolves.toMatchObject({ caseId: 'case-2023-0012' });
    expect(h.published[0]?.detail).toMatchObject({ occurredAt: '2023-12-31T23:30:00Z' });
  });

  it('refuses a decision dated in the future', async () => {
    await expect(harness().run({ action: 'refer', service: 'Police', occurredAt: '2024-06-04T09:00:00Z' })).rejects.toMatchObject({ code: 'occurred-in-future' });
  });
});
