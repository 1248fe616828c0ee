import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog, contractFor, enforcementContractFor, enforcementContracts } from '#events/catalog';
import { CaseOpened } from '#events/cases';
import { FixedPenaltyIssued, WarningIssued } from '#events/enforcement';
import { buildJsonSchemas, SCHEMA_DIR, toFileText } from '#events/export-schemas';
import { FundingAllocated, FundingOverspent, FundingSpent } from '#events/funding';
import { allSamples, sampleFor } from '#events/samples';

/** contract.md, "Event catalog": these names are fixed. */
const expected: Record<string, readonly string[]> = {
  'safer-communities.intake': ['ReportReceived'],
  'safer-communities.cases': ['CaseOpened', 'ReportLinked', 'ReportReferred', 'CaseShared', 'CaseClosed', 'CaseAssigned', 'ReviewDue'],
  'safer-communities.enforcement': [
    'WarningIssued',
    'NoticeServed',
    'FixedPenaltyIssued',
    'CourtOrderObtained',
    'InterviewUnderCautionHeld',
    'CaseFileSentToLegal',
    'OperationConducted',
    'PatrolLogged',
    'ReferralMade',
    'TeamActionRecorded',
  ],
  // The last three were added with the Case Review capability (issue 10), not in contract.md.
  'safer-communities.case-review': [
    'CaseReviewRequested',
    'CaseReviewThresholdAssessed',
    'CaseReviewDecided',
    'CaseReviewPanelRecorded',
    'CaseReviewRecommendationCompleted',
    'CaseReviewLetterSent',
  ],
  'safer-communities.funding': [
    'FundingAllocated',
    'FundingCommitted',
    'FundingSpent',
    'FundingSpendReversed',
    'FundingOverspent',
    'FundingYearClosed',
    // Added with streams as data and grant profiles (issue 12), not in contract.md's list.
    'FundingStreamOpened',
    'FundingProfileSet',
  ],
  'safer-communities.tenancy': ['HousingStockRecorded'],
  // KpiExportRequested was added when the export POST became asynchronous (events/kpi.ts), not in contract.md.
  'safer-communities.kpi': ['KpiExportReady', 'KpiExportRequested'],
  // Added since contract.md (events/fly-tipping.ts).
  'safer-communities.fly-tipping': ['FlyTipDetailsRecorded'],
};
/** Statutory steps added since contract.md (CPN appeals, closure notices): recorded like enforcement actions, counted by the KPIs only once they map them. */
const statutory = ['CpnAppealLodged', 'CpnAppealDetermined', 'ClosureNoticeServed', 'ClosureNoticeExtended'];
const expectedPairs = [
  ...Object.entries(expected).flatMap(([source, types]) => types.map((t) => `${source} ${t}`)),
  ...statutory.map((t) => `safer-communities.enforcement ${t}`),
];

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

describe('unit: event catalog', () => {
  it('names exactly the events of contract.md when listed', () => {
    expect(catalog.map((c) => `${c.source} ${c.detailType}`).sort()).toEqual([...expectedPairs].sort());
  });

  it('has no two contracts with the same source and detail-type when keyed', () => {
    const keys = catalog.map((c) => `${c.source} ${c.detailType}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(catalog.map((c) => c.detailType)).size).toBe(catalog.length);
  });

  it('gives each contract a pattern matching only its own source and detail-type when built', () => {
    for (const c of catalog) {
      expect(c.pattern).toEqual({ source: [c.source], 'detail-type': [c.detailType] });
      expect(c.version).toBeGreaterThanOrEqual(1);
    }
  });

  it('finds a contract by source and detail-type when it exists', () => {
    for (const c of catalog) expect(contractFor(c.source, c.detailType)).toBe(c);
    expect(contractFor('safer-communities.cases', 'ReportReceived')).toBeUndefined();
    expect(contractFor('safer-communities.nope', 'CaseOpened')).toBeUndefined();
  });

  it('lists every enforcement event as a team action when asked', () => {
    expect(enforcementContracts.map((c) => c.detailType)).toEqual(expected['safer-communities.enforcement']);
    expect(enforcementContracts.every((c) => c.source === 'safer-communities.enforcement')).toBe(true);
    expect(enforcementContractFor('PatrolLogged')?.detailType).toBe('PatrolLogged');
    for (const type of statutory) expect(enforcementContractFor(type)?.source).toBe('safer-communities.enforcement');
    expect(enforcementContractFor('CaseOpened')).toBeUndefined();
  });
});

describe('unit: event samples', () => {
  it('has a sample for every contract when listed', () => {
    expect(Object.keys(allSamples()).sort()).toEqual(catalog.map((c) => c.detailType).sort());
  });

  it.each(catalog.map((c) => [`${c.source} ${c.detailType}`, c] as const))('validates the sample when it is %s', (_name, contract) => {
    const result = contract.detail.safeParse(sampleFor(contract));
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(result.data).toEqual(sampleFor(contract));
  });

  it('carries an offset on every occurredAt when sampled', () => {
    for (const sample of Object.values(allSamples())) expect(sample.occurredAt).toMatch(/(Z|[+-]\d\d:\d\d)$/);
  });
});

describe('unit: event contract rules', () => {
  it('refuses a CPW when complyBy is missing', () => {
    const { complyBy: _complyBy, ...cpw } = sampleFor(WarningIssued);
    const result = WarningIssued.detail.safeParse(cpw);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('complyBy');
  });

  it('accepts a verbal warning when complyBy is missing', () => {
    const { complyBy: _complyBy, ...warning } = sampleFor(WarningIssued);
    expect(WarningIssued.detail.safeParse({ ...warning, warningType: 'verbal' }).success).toBe(true);
  });

  it('refuses a subject age when it is not a whole number', () => {
    expect(WarningIssued.detail.safeParse({ ...sampleFor(WarningIssued), subjectAge: 15.5 }).success).toBe(false);
  });

  it('refuses an occurredAt when it has no offset', () => {
    expect(WarningIssued.detail.safeParse({ ...sampleFor(WarningIssued), occurredAt: '2024-05-20T15:10:00' }).success).toBe(false);
  });

  it('refuses a Tenancy Services case when riskCategory is missing', () => {
    const opened = { ...sampleFor(CaseOpened), kind: 'tenancy', owner: 'tenancy-services', category: 'tenancy.garden-nuisance' };
    expect(CaseOpened.detail.safeParse(opened).success).toBe(false);
    expect(CaseOpened.detail.safeParse({ ...opened, riskCategory: 'C' }).success).toBe(true);
  });

  it('refuses a Safer Communities case when the category is not on the list', () => {
    expect(CaseOpened.detail.safeParse({ ...sampleFor(CaseOpened), category: 'tenancy.garden-nuisance' }).success).toBe(false);
  });

  it('refuses hostile input when a string is too long', () => {
    expect(CaseOpened.detail.safeParse({ ...sampleFor(CaseOpened), caseId: 'x'.repeat(10_000) }).success).toBe(false);
  });

  it.each([-100, 0, 12.5])('refuses a spend when amountPence is %s', (amountPence) => {
    expect(FundingSpent.detail.safeParse({ ...sampleFor(FundingSpent), amountPence }).success).toBe(false);
  });

  it.each([-5000, 0, 1.01])('refuses a fixed penalty when amountPence is %s', (amountPence) => {
    expect(FixedPenaltyIssued.detail.safeParse({ ...sampleFor(FixedPenaltyIssued), amountPence }).success).toBe(false);
  });

  it('refuses a fractional spend for any fraction when generated', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e9, noNaN: true }).filter((n) => !Number.isInteger(n)), (amountPence) => {
        expect(FundingSpent.detail.safeParse({ ...sampleFor(FundingSpent), amountPence }).success).toBe(false);
      }),
    );
  });

  it.each(['provisional', 'underspend-award', 'recall'] as const)('refuses a %s allocation when the amount is not positive', (kind) => {
    const allocation = { ...sampleFor(FundingAllocated), kind };
    expect(FundingAllocated.detail.safeParse({ ...allocation, amountPence: -479607 }).success).toBe(false);
    expect(FundingAllocated.detail.safeParse({ ...allocation, amountPence: 0 }).success).toBe(false);
    expect(FundingAllocated.detail.safeParse({ ...allocation, amountPence: 479607 }).success).toBe(true);
  });

  it('accepts a negative adjustment but refuses a zero one when recorded', () => {
    const adjustment = { ...sampleFor(FundingAllocated), kind: 'adjustment' };
    expect(FundingAllocated.detail.safeParse({ ...adjustment, amountPence: -700000 }).success).toBe(true);
    expect(FundingAllocated.detail.safeParse({ ...adjustment, amountPence: 0 }).success).toBe(false);
    expect(FundingAllocated.detail.safeParse({ ...adjustment, amountPence: -0.5 }).success).toBe(false);
  });

  it('refuses an overspend when remainingPence is not negative', () => {
    expect(FundingOverspent.detail.safeParse({ ...sampleFor(FundingOverspent), remainingPence: 0 }).success).toBe(false);
    expect(FundingOverspent.detail.safeParse({ ...sampleFor(FundingOverspent), remainingPence: 251282 }).success).toBe(false);
  });

  it.each(['2024-26', '24-25', '2024/25', '2024-2025', '2099-00x'])('refuses a financial year when it is %s', (financialYear) => {
    expect(FundingSpent.detail.safeParse({ ...sampleFor(FundingSpent), financialYear }).success).toBe(false);
  });

  it('accepts a financial year when it spans the century', () => {
    expect(FundingSpent.detail.safeParse({ ...sampleFor(FundingSpent), financialYear: '2099-00' }).success).toBe(true);
  });
});

describe('unit: event JSON schemas', () => {
  const built = buildJsonSchemas();

  it('builds a schema for every contract when exported', () => {
    expect(built.schemas.map((s) => `${s.source} ${s.detailType}`).sort()).toEqual([...expectedPairs].sort());
    for (const { schema, source, detailType, version, path } of built.schemas) {
      expect(path).toBe(`${source}/${detailType}.v${version}.json`);
      expect(schema).toMatchObject({
        $id: expect.stringContaining(detailType),
        title: detailType,
        type: 'object',
        'x-eventbridge': { source, detailType, pattern: { source: [source], 'detail-type': [detailType] } },
      });
      expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'occurredAt', 'schemaVersion', 'actor']));
    }
  });

  it('matches the stored files in docs/schemas when regenerated', () => {
    const stored = filesUnder(SCHEMA_DIR).map((f) => relative(SCHEMA_DIR, f).split('\\').join('/')).sort();
    expect(stored).toEqual([...built.schemas.map((s) => s.path), 'index.json'].sort());
    for (const { path, schema } of built.schemas) {
      expect(readFileSync(join(SCHEMA_DIR, path), 'utf8'), `${path} is stale: run npm run schemas`).toBe(toFileText(schema));
    }
    expect(readFileSync(join(SCHEMA_DIR, 'index.json'), 'utf8')).toBe(toFileText(built.index));
  });
});
