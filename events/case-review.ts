import * as z from 'zod';
import { defineEvent } from './contract.ts';
import { entityId, isoDate, opaqueRef, text } from './envelope.ts';

/** ASB Case Review (formerly "Community Trigger"). */
export const CASE_REVIEW_SOURCE = 'safer-communities.case-review';

/** Where an applicant says they complained (contract.md, `POST /case-reviews`). */
export const complaintRecipients = ['council', 'police', 'housing-provider'] as const;
/** How the application came in: the public form or JSON, or an officer recording it for someone. */
export const applicationChannels = ['webform', 'api', 'officer'] as const;
export const caseReviewLetters = ['threshold', 'outcome'] as const;

/** One complaint as the applicant listed it. */
export const listedComplaint = z.object({
  reportedTo: z.enum(complaintRecipients),
  incidentOn: isoDate,
  reportedOn: isoDate,
  reference: z.string().trim().min(1).max(64).optional(),
});

export const CaseReviewRequested = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewRequested',
  fields: () => ({
    reviewId: entityId,
    /** Opaque token for the applicant; never their name or contact details. */
    applicantRef: opaqueRef,
    hateIncident: z.boolean(),
    // Optional fields (added with the Case Review capability, issue 10): what the threshold is
    // assessed on, so the read model can be rebuilt from the archive alone.
    reference: z.string().min(1).max(32).optional(),
    channel: z.enum(applicationChannels).optional(),
    description: text(4000).optional(),
    complaints: z.array(listedComplaint).max(10).optional(),
    /** A third party applied with the victim's consent (the applicant is the victim). */
    thirdParty: z.object({ representativeRef: opaqueRef, relationship: text(200), victimConsent: z.literal(true) }).optional(),
  }),
});

/** How one complaint was weighed: what counted and why (optional detail beside `basis`). */
export const assessedComplaint = z.object({
  /** `listed` complaints keep the applicant's order (n is 1-based); `records` were found by contact. */
  source: z.enum(['listed', 'records']),
  n: z.number().int().min(1).max(50),
  reportedTo: z.enum(complaintRecipients),
  incidentOn: isoDate,
  reportedOn: isoDate,
  reportId: entityId.optional(),
  reference: z.string().min(1).max(64).optional(),
  counted: z.boolean(),
  reason: text(400),
});

export const CaseReviewThresholdAssessed = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewThresholdAssessed',
  fields: () => ({
    reviewId: entityId,
    met: z.boolean(),
    /** Why: e.g. three incidents reported within six months, or a hate incident. */
    basis: text(2000),
    // Optional (issue 10): who assessed, the complaint-by-complaint detail, and an override.
    assessedBy: z.enum(['rule', 'officer']).optional(),
    complaints: z.array(assessedComplaint).max(20).optional(),
    /**
     * An officer's override replaces the assessment named here. `assessedAt` is when the first
     * assessment in the chain was made: the figures count the final outcome on that day.
     */
    supersedes: z.object({ eventId: z.string().min(1).max(128), met: z.boolean(), assessedAt: z.iso.datetime({ offset: true }) }).optional(),
  }),
  refine: (d, ctx) => {
    if (d.supersedes && d.supersedes.met === d.met) ctx.addIssue({ code: 'custom', path: ['met'], message: 'an override must change the outcome' });
  },
});

/** A recommendation with who carries it out and by when (optional detail beside `recommendations`). */
export const recommendationAction = z.object({ owner: text(200), dueOn: isoDate });

export const CaseReviewDecided = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewDecided',
  fields: () => ({
    reviewId: entityId,
    upheld: z.boolean(),
    recommendations: z.array(text(2000)).max(50),
    /** Optional (issue 10): one per recommendation, in the same order. */
    actions: z.array(recommendationAction).max(50).optional(),
    heldOn: isoDate.optional(),
  }),
  refine: (d, ctx) => {
    if (d.actions && d.actions.length !== d.recommendations.length) {
      ctx.addIssue({ code: 'custom', path: ['actions'], message: 'give an owner and a due date for each recommendation' });
    }
  },
});

// Not in contract.md: added with the Case Review capability (issue 10).

/** The panel: members from partner agencies, and when it meets. */
export const CaseReviewPanelRecorded = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewPanelRecorded',
  fields: () => ({
    reviewId: entityId,
    meetingOn: isoDate,
    members: z.array(z.object({ name: text(200), organisation: text(200), role: text(200).optional() })).min(1).max(20),
  }),
});

/** A recommendation carried out (n is its 1-based place in the decision). */
export const CaseReviewRecommendationCompleted = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewRecommendationCompleted',
  fields: () => ({
    reviewId: entityId,
    n: z.number().int().min(1).max(50),
    note: text(2000).optional(),
  }),
});

/** A letter to the applicant: by e-mail through the notifications port, or printed and posted. */
export const CaseReviewLetterSent = defineEvent({
  source: CASE_REVIEW_SOURCE,
  detailType: 'CaseReviewLetterSent',
  fields: () => ({
    reviewId: entityId,
    letter: z.enum(caseReviewLetters),
    channel: z.enum(['email', 'post']),
    /** The assessment or decision the letter tells of. */
    aboutEventId: z.string().min(1).max(128),
    notificationId: z.string().min(1).max(128).optional(),
  }),
});

export const caseReviewContracts = [
  CaseReviewRequested,
  CaseReviewThresholdAssessed,
  CaseReviewDecided,
  CaseReviewPanelRecorded,
  CaseReviewRecommendationCompleted,
  CaseReviewLetterSent,
] as const;
