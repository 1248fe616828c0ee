import * as z from 'zod';
import { defineEvent } from './contract.ts';
import { code, entityId, text } from './envelope.ts';
import { categories } from './intake.ts';

export const CASES_SOURCE = 'safer-communities.cases';

export const caseKinds = ['asb', 'enviro', 'tenancy'] as const;
export const caseOwners = ['safer-communities', 'tenancy-services'] as const;
/** Tenancy Services' grading at opening, by risk to the complainant (A is the highest). */
export const riskCategories = ['A', 'B', 'C'] as const;
export const referralSources = ['public', 'housing', 'police', 'partner', 'internal'] as const;

const intakeCategories: ReadonlySet<string> = new Set(categories);

export const CaseOpened = defineEvent({
  source: CASES_SOURCE,
  detailType: 'CaseOpened',
  fields: () => ({
    caseId: entityId,
    kind: z.enum(caseKinds),
    owner: z.enum(caseOwners),
    /** A code from the intake category list; Tenancy Services may also use its own codes. */
    category: code,
    riskCategory: z.enum(riskCategories).optional(),
    referredFrom: z.enum(referralSources),
    hateRelated: z.boolean(),
    reportIds: z.array(entityId).max(500),
  }),
  refine: (detail, ctx) => {
    if (detail.owner === 'tenancy-services' && detail.riskCategory === undefined) {
      ctx.addIssue({ code: 'custom', path: ['riskCategory'], message: 'riskCategory (A, B or C) is required when Tenancy Services own the case' });
    }
    if (detail.owner === 'safer-communities' && !intakeCategories.has(detail.category)) {
      ctx.addIssue({ code: 'custom', path: ['category'], message: 'a Safer Communities case needs a category from the category list' });
    }
  },
});

/** A further report joins an open case. */
export const ReportLinked = defineEvent({
  source: CASES_SOURCE,
  detailType: 'ReportLinked',
  fields: () => ({
    reportId: entityId,
    caseId: entityId,
  }),
});

/** A report handed to another service (Environmental Health, police, a domestic-abuse service, …). */
export const ReportReferred = defineEvent({
  source: CASES_SOURCE,
  detailType: 'ReportReferred',
  fields: () => ({
    reportId: entityId,
    service: text(200),
    reason: text(2000).optional(),
  }),
});

/** A partner organisation may now see the case. */
export const CaseShared = defineEvent({
  source: CASES_SOURCE,
  detailType: 'CaseShared',
  fields: () => ({
    caseId: entityId,
    organisation: text(128),
  }),
});

export const CaseClosed = defineEvent({
  source: CASES_SOURCE,
  detailType: 'CaseClosed',
  fields: () => ({
    caseId: entityId,
    outcome: text(2000),
  }),
});

/**
 * The officer who now runs the case (the id their sign-in gives, the token's subject). Until
 * the first one, the officer who opened the case runs it. Added since contract.md.
 */
export const CaseAssigned = defineEvent({
  source: CASES_SOURCE,
  detailType: 'CaseAssigned',
  fields: () => ({
    caseId: entityId,
    assignedTo: text(128),
  }),
});

export const casesContracts = [CaseOpened, ReportLinked, ReportReferred, CaseShared, CaseClosed, CaseAssigned] as const;
