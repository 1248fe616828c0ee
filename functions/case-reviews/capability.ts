import { CaseReviewDecided, CaseReviewLetterSent, CaseReviewPanelRecorded, CaseReviewRecommendationCompleted, CaseReviewRequested, CaseReviewThresholdAssessed, caseReviewContracts } from '#events/case-review';
import { ReportReceived } from '#events/intake';
import { declareCapability, declareFunction, type Role } from '#shared/wiring';

/** The Strategic Lead (the SPOC) and the officers who run case reviews. */
export const reviewers: readonly Role[] = ['officer', 'admin'];
/** Council staff who may record an application on someone's behalf. */
export const recorders: readonly Role[] = ['officer', 'tenancy', 'admin'];

export const caseReviewApplications = declareFunction({
  name: 'CaseReviewApplications',
  entry: 'functions/case-reviews/applications.ts',
  description: 'ASB Case Review applications: the public form and its POST (form or JSON), an officer recording one for someone, and the published figures',
  routes: [
    { method: 'GET', path: '/case-reviews/apply', auth: 'public', page: true },
    // A form post answers with pages, a JSON post with JSON; a bearer token makes it an officer's record.
    { method: 'POST', path: '/case-reviews', auth: 'public', page: true },
    { method: 'GET', path: '/case-reviews/apply/sent/{reference}', auth: 'public', page: true },
    { method: 'GET', path: '/case-reviews/figures', auth: 'public', page: true },
    { method: 'GET', path: '/officer/case-reviews/new', auth: recorders, page: true },
    { method: 'POST', path: '/officer/case-reviews/new', auth: recorders, page: true },
  ],
  // main: the contact vault, the KPI day counters the figures are read from, and the rate-limit counters.
  tables: { main: { access: 'readwrite', prefixes: ['CASE-REVIEW', 'CASE-REVIEWS', 'CONTACT', 'CONTACT-ID', 'KPI', 'RATE'] } },
  emits: [CaseReviewRequested],
});

export const caseReviewsApi = declareFunction({
  name: 'CaseReviewsApi',
  entry: 'functions/case-reviews/reviews-api.ts',
  description: 'Case reviews for officers: the list, what is due, one review with its history, the threshold override, the panel, the decision, recommendations done, letters',
  routes: [
    { method: 'GET', path: '/case-reviews', auth: reviewers },
    { method: 'GET', path: '/case-reviews/due', auth: reviewers },
    { method: 'GET', path: '/case-reviews/{reviewId}', auth: reviewers },
    { method: 'POST', path: '/case-reviews/{reviewId}/threshold', auth: reviewers },
    { method: 'POST', path: '/case-reviews/{reviewId}/panel', auth: reviewers },
    { method: 'POST', path: '/case-reviews/{reviewId}/decision', auth: reviewers },
    { method: 'POST', path: '/case-reviews/{reviewId}/recommendations/{n}/done', auth: reviewers },
    { method: 'POST', path: '/case-reviews/{reviewId}/letters/{letter}', auth: reviewers },
  ],
  // main: reviews, claims, the contact vault (letters), reports and cases (history).
  tables: { main: { access: 'readwrite', prefixes: ['CASE', 'CASE-REVIEW', 'CASE-REVIEWS', 'CASES', 'CONTACT', 'CONTACT-ID', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS'] } },
  // The letters go out through GOV.UK Notify on AWS (functions/notifications).
  secrets: ['notify'],
  emits: [CaseReviewThresholdAssessed, CaseReviewPanelRecorded, CaseReviewDecided, CaseReviewRecommendationCompleted, CaseReviewLetterSent],
});

export const caseReviewPages = declareFunction({
  name: 'CaseReviewPages',
  entry: 'functions/case-reviews/pages.ts',
  description: 'Officer pages: the case reviews with what is due, one review with its history and forms, printable letters',
  routes: [
    { method: 'GET', path: '/officer/case-reviews', auth: reviewers, page: true },
    { method: 'GET', path: '/officer/case-reviews/{reviewId}', auth: reviewers, page: true },
    { method: 'POST', path: '/officer/case-reviews/{reviewId}/{step}', auth: reviewers, page: true },
    { method: 'GET', path: '/officer/case-reviews/{reviewId}/letters/{letter}', auth: reviewers, page: true },
  ],
  tables: { main: { access: 'readwrite', prefixes: ['CASE', 'CASE-REVIEW', 'CASE-REVIEWS', 'CASES', 'CONTACT', 'CONTACT-ID', 'COUNTER', 'PARTNER', 'REPORT', 'REPORTS'] } },
  secrets: ['notify'],
  emits: [CaseReviewThresholdAssessed, CaseReviewPanelRecorded, CaseReviewDecided, CaseReviewRecommendationCompleted, CaseReviewLetterSent],
});

export const caseReviewProjector = declareFunction({
  name: 'CaseReviewProjector',
  entry: 'functions/case-reviews/project.ts',
  description: 'Stores each case-review event under its review, and indexes received reports by reference and reporter for matching complaints',
  subscription: { rule: 'CaseReviewEventsToProjector', contracts: [ReportReceived, ...caseReviewContracts] },
  tables: { main: { access: 'readwrite', prefixes: ['CASE-REVIEW', 'CASE-REVIEWS'] }, idempotency: 'readwrite' },
});

export const caseReviewAssessor = declareFunction({
  name: 'CaseReviewAssessor',
  entry: 'functions/case-reviews/assess.ts',
  description: 'Assesses each ASB Case Review application against the threshold by rule; puts CaseReviewThresholdAssessed',
  subscription: { rule: 'CaseReviewRequestedToAssessor', contracts: [CaseReviewRequested] },
  tables: { main: { access: 'read', prefixes: ['CASE-REVIEW', 'CASE-REVIEWS', 'CONTACT', 'CONTACT-ID'] }, idempotency: 'readwrite' },
  emits: [CaseReviewThresholdAssessed],
});

export const caseReviews = declareCapability('case-reviews', [caseReviewApplications, caseReviewsApi, caseReviewPages, caseReviewProjector, caseReviewAssessor]);
