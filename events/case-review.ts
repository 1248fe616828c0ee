import { z } from 'zod';
import { defineEvent } from './contract.ts';
import { entityId, opaqueRef, text } from './envelope.ts';

/** ASB Case Review (formerly "Community Trigger"). */
export const CASE_REVIEW_SOURCE = 'safer-communities.case-review';

export const CaseReviewRequested = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewRequested',
  fields: {
    reviewId: entityId,
    /** Opaque token for the applicant; never their name or contact details. */
    applicantRef: opaqueRef,
    hateIncident: z.boolean(),
  },
});

export const CaseReviewThresholdAssessed = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewThresholdAssessed',
  fields: {
    reviewId: entityId,
    met: z.boolean(),
    /** Why: e.g. three incidents reported within six months, or a hate incident. */
    basis: text(2000),
  },
});

export const CaseReviewDecided = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewDecided',
  fields: {
    reviewId: entityId,
    upheld: z.boolean(),
    recommendations: z.array(text(2000)).max(50),
  },
});

export const caseReviewContracts = [CaseReviewRequested, CaseReviewThresholdAssessed, CaseReviewDecided] as const;
