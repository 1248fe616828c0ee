import { councilId } from './config.ts';
import { BadRequestError } from './errors.ts';

/** DynamoDB's limits on a key attribute, in UTF-8 bytes: a longer one is its ValidationException (a 500). */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

const tooLong = () => new BadRequestError('an id in this request is longer than any this service gives out');

const bounded = (value: string, max: number) => {
  if (Buffer.byteLength(value) > max) throw tooLong();
  return value;
};

/**
 * Every DynamoDB key is built here. Each starts with the council id, so one deployment can
 * later serve several councils with their data apart, without rewriting the read models.
 * A key longer than DynamoDB takes is refused here, as a 400, before any request is sent.
 */
const scoped = (prefix: KeyPrefix, ...parts: string[]) => bounded([councilId, prefix, ...parts].join('#'), MAX_PARTITION_KEY_BYTES);
const sort = (value: string) => bounded(value, MAX_SORT_KEY_BYTES);

/**
 * The key families: the part of every partition key (and every gsi1pk) after the council id.
 * A function declares the families it touches in its capability.ts (`tables.main.prefixes`),
 * and on AWS its role may touch only partitions starting with them (`dynamodb:LeadingKeys`).
 */
export const keyPrefixes = [
  'REPORT',
  'REPORTS',
  'CASE',
  'CASES',
  'PARTNER',
  'COUNTER',
  'SUBJECT',
  'CONTACT',
  'CONTACT-ID',
  'RATE',
  'SUBMISSION',
  'FUNDING',
  'FUNDING-STREAMS',
  'FUNDING-IMPORT',
  'DISC',
  'OPEN311',
  'KPI',
  'CASE-REVIEW',
  'CASE-REVIEWS',
  'FLYTIP',
  'ARCHIVE',
  'STATUS',
  'SEARCH',
  'PRIVACY',
] as const;
export type KeyPrefix = (typeof keyPrefixes)[number];

/** The key family a partition key (or gsi1pk) belongs to, if it is one of ours. */
export const keyPrefixOf = (partitionKey: string): KeyPrefix | undefined => {
  const [council, prefix] = partitionKey.split('#');
  return council === councilId && (keyPrefixes as readonly string[]).includes(prefix ?? '') ? (prefix as KeyPrefix) : undefined;
};

export const keys = {
  report: (reportId: string) => ({ pk: scoped('REPORT', reportId), sk: 'REPORT' }),
  reportsByStatus: (status: string) => scoped('REPORTS', status),
  /** The case summary item; its `status` is 'open' or 'closed'. */
  case: (caseId: string) => ({ pk: scoped('CASE', caseId), sk: 'CASE' }),
  /** One event on a case's timeline: sorted by when it happened (UTC instant), then eventId. */
  caseEvent: (caseId: string, occurredAtUtc: string, eventId: string) => ({ pk: scoped('CASE', caseId), sk: sort(`EVENT#${occurredAtUtc}#${eventId}`) }),
  /** gsi1pk listing the case summaries in one status ('open' | 'closed'); gsi1sk: opened instant#caseId. */
  casesByStatus: (status: string) => scoped('CASES', status),
  /** A case shared with a partner organisation; the partition lists everything it may see. */
  partnerCase: (organisation: string, caseId: string) => ({ pk: scoped('PARTNER', organisation), sk: sort(`CASE#${caseId}`) }),
  partnerCases: (organisation: string) => scoped('PARTNER', organisation),
  /** The sequence that numbers the cases opened in one (London) calendar year. */
  caseCounter: (year: string) => ({ pk: scoped('COUNTER', 'CASE', year), sk: 'COUNTER' }),
  /** The triage decision on a report, claimed before its event is put so two officers cannot both decide. */
  reportTriage: (reportId: string) => ({ pk: scoped('REPORT', reportId), sk: 'TRIAGE' }),
  /**
   * One enforcement action about a subject (a person, body or premises), across every case:
   * the subject index the CPW/CPN/FPN rules read (functions/enforcement/subject-index.ts).
   */
  subjectAction: (subjectRef: string, occurredAtUtc: string, eventId: string) => ({ pk: scoped('SUBJECT', subjectRef), sk: `EVENT#${occurredAtUtc}#${eventId}` }),
  subjectActions: (subjectRef: string) => scoped('SUBJECT', subjectRef),
  /**
   * A report found by one search term (`ref:`, `postcode:`, `subject:`…; functions/officer-home/search.ts):
   * one item per (term, report), so indexing a report again writes the same items.
   */
  searchReport: (term: string, reportId: string) => ({ pk: scoped('SEARCH', term), sk: `REPORT#${reportId}` }),
  searchReports: (term: string) => scoped('SEARCH', term),
  contact: (contactRef: string) => ({ pk: scoped('CONTACT', contactRef), sk: 'CONTACT' }),
  /** Which contactRef an e-mail address or phone number was given under (by a digest of it), so one person keeps one ref. */
  contactIdentity: (digest: string) => ({ pk: scoped('CONTACT-ID', digest), sk: 'CONTACT-ID' }),
  rateLimit: (bucket: string, window: string) => ({ pk: scoped('RATE', bucket), sk: window }),
  /** The photos a reporter added to a web report (functions/intake/photos.ts writes it, photo-records.ts reads it): one item, attributes photo1..photo3. */
  reportPhotos: (reportId: string) => ({ pk: scoped('REPORT', reportId), sk: 'PHOTOS' }),
  /** A web form submission, found by the unguessable token in its confirmation page's address; short-lived. */
  webSubmission: (token: string) => ({ pk: scoped('SUBMISSION', token), sk: 'SUBMISSION' }),
  /** The funding ledger of one stream and financial year: one item holding every line (functions/funding/ledger.ts). */
  fundingLedger: (stream: string, financialYear: string) => ({ pk: scoped('FUNDING', stream, financialYear), sk: 'LEDGER' }),
  /** An open funding stream, by its code in lower case (codes match without regard to case); all in one partition. */
  fundingStream: (code: string) => ({ pk: scoped('FUNDING-STREAMS'), sk: `STREAM#${code.toLowerCase()}` }),
  fundingStreams: () => scoped('FUNDING-STREAMS'),
  /** The grant profile of one stream and year (what finance plans to spend each quarter), beside its ledger. */
  fundingProfile: (stream: string, financialYear: string) => ({ pk: scoped('FUNDING', stream, financialYear), sk: 'PROFILE' }),
  /** A CSV import uploaded on the finance pages and waiting to be confirmed; short-lived. */
  fundingImport: (importId: string) => ({ pk: scoped('FUNDING-IMPORT', importId), sk: 'IMPORT' }),
  /** A DISC webhook message already accepted (replay store; expires after the signature window). */
  discSeenMessage: (digest: string) => ({ pk: scoped('DISC', 'SEEN', digest), sk: 'SEEN' }),
  /** An Open311 client's API key, found by the key's SHA-256 (the key itself is never stored). */
  open311ApiKey: (keyHash: string) => ({ pk: scoped('OPEN311', 'KEY', keyHash), sk: 'KEY' }),
  open311Client: (client: string) => ({ pk: scoped('OPEN311', 'CLIENT', client), sk: 'CLIENT' }),
  /** gsi1pk listing every Open311 client. */
  open311Clients: () => scoped('OPEN311', 'CLIENTS'),
  /** A service request made through Open311; its id is the report reference. */
  open311Request: (reference: string) => ({ pk: scoped('OPEN311', 'REQUEST', reference), sk: 'REQUEST' }),
  /** gsi1pk: one client's Open311 requests in one UTC month (gsi1sk: requested instant#reference). */
  open311RequestsByMonth: (client: string, month: string) => scoped('OPEN311', 'REQUESTS', client, month),
  /**
   * One shard of one London day's KPI counters (functions/kpis/counter-store.ts): one partition
   * per London month (`YYYY-MM`), sorted by day then shard, so any range is one Query per month.
   */
  kpiDay: (month: string, day: string, shard: number) => ({ pk: scoped('KPI', 'DAYS', month), sk: sort(`DAY#${day}#${shard}`) }),
  kpiDays: (month: string) => scoped('KPI', 'DAYS', month),
  /** The event ids moved off a sealed day shard (its counters stay on kpiDay); a partition apart, so reports never read them. */
  kpiSeen: (month: string, day: string, shard: number) => ({ pk: scoped('KPI', 'SEEN', month), sk: sort(`DAY#${day}#${shard}`) }),
  /** A count of homes the council owns as at a date: the divisor of the NM01 measures. */
  housingStock: (asOf: string) => ({ pk: scoped('KPI', 'HOUSING-STOCK'), sk: sort(`ASOF#${asOf}`) }),
  housingStocks: () => scoped('KPI', 'HOUSING-STOCK'),
  /**
   * A count of homes sent to `POST /housing-stock` (or its form), claimed by its eventId before
   * HousingStockRecorded is put: a second send of the same request finds it and records nothing new.
   */
  housingStockClaim: (eventId: string) => ({ pk: scoped('KPI', 'HOUSING-STOCK-CLAIM', eventId), sk: 'CLAIM' }),
  /** The latest export of one period (re-exporting the period replaces it). */
  kpiExport: (from: string, to: string) => ({ pk: scoped('KPI', 'EXPORT', `${from}_${to}`), sk: 'EXPORT' }),
  /** One event of an ASB Case Review, as it came (functions/case-reviews/repository.ts): the review is folded from them. */
  caseReviewEvent: (reviewId: string, eventId: string) => ({ pk: scoped('CASE-REVIEW', reviewId), sk: `EVENT#${eventId}` }),
  caseReviewEvents: (reviewId: string) => scoped('CASE-REVIEW', reviewId),
  /** A one-off step on a review (the decision, overriding one assessment), claimed before its event is put. */
  caseReviewClaim: (reviewId: string, step: string) => ({ pk: scoped('CASE-REVIEW', reviewId), sk: `CLAIM#${step}` }),
  /** gsi1pk listing every case review (on its CaseReviewRequested item); gsi1sk: received instant#reviewId. */
  caseReviews: () => scoped('CASE-REVIEWS'),
  /** A report the council holds, found by its reference, for matching a case review's complaints. */
  caseReviewReportByReference: (reference: string) => ({ pk: scoped('CASE-REVIEW', 'REPORT-REF', reference), sk: 'REPORT' }),
  /** The reports one person made (one partition per contactRef), sorted by when they were received. */
  caseReviewReporterReport: (contactRef: string, receivedAtUtc: string, reportId: string) => ({
    pk: scoped('CASE-REVIEW', 'REPORTER', contactRef),
    sk: `REPORT#${receivedAtUtc}#${reportId}`,
  }),
  caseReviewReporterReports: (contactRef: string) => scoped('CASE-REVIEW', 'REPORTER', contactRef),
  /** A report's public progress (functions/status/): which report a reference names. */
  statusReference: (reference: string) => ({ pk: scoped('STATUS', 'REF', reference), sk: 'REF' }),
  /** One step of a report's progress (received, joined a case, referred), one item per event. */
  statusReportEntry: (reportId: string, eventId: string) => ({ pk: scoped('STATUS', 'REPORT', reportId), sk: `EVENT#${eventId}` }),
  statusReportEntries: (reportId: string) => scoped('STATUS', 'REPORT', reportId),
  /** One step of a case as its reporters may see it (opened, an action's kind, closed), one item per event. */
  statusCaseEntry: (caseId: string, eventId: string) => ({ pk: scoped('STATUS', 'CASE', caseId), sk: `EVENT#${eventId}` }),
  /** A report that a case deals with, so a step of the case reaches its reporters. */
  statusCaseReport: (caseId: string, reportId: string) => ({ pk: scoped('STATUS', 'CASE', caseId), sk: `REPORT#${reportId}` }),
  statusCaseEntries: (caseId: string) => scoped('STATUS', 'CASE', caseId),
  /** A message to a reporter, claimed before it is sent so a redelivered event does not send it twice. */
  statusMessage: (messageId: string) => ({ pk: scoped('STATUS', 'MESSAGE', messageId), sk: 'MESSAGE' }),
  /** gsi1pk listing every KPI export; gsi1sk: createdAt#from_to, so newest first is one Query. */
  kpiExports: () => scoped('KPI', 'EXPORTS'),
  /** A fly-tipping incident (one report) in the partition of the WasteDataFlow quarter it happened in (`2025-Q1`). */
  flyTipIncident: (quarter: string, reportId: string) => ({ pk: scoped('FLYTIP', 'INCIDENTS', quarter), sk: `REPORT#${reportId}` }),
  flyTipIncidents: (quarter: string) => scoped('FLYTIP', 'INCIDENTS', quarter),
  /** Which quarter a fly-tipping incident is in, found by its report. */
  flyTipReport: (reportId: string) => ({ pk: scoped('FLYTIP', 'REPORT', reportId), sk: 'INCIDENT' }),
  /** The reports a case deals with, as the fly-tipping return joins them to the case's actions. */
  flyTipCase: (caseId: string) => ({ pk: scoped('FLYTIP', 'CASE', caseId), sk: 'REPORTS' }),
  /** An enforcement action WasteDataFlow counts, in the partition of the quarter it was taken in. */
  flyTipAction: (quarter: string, eventId: string) => ({ pk: scoped('FLYTIP', 'ACTIONS', quarter), sk: `ACTION#${eventId}` }),
  flyTipActions: (quarter: string) => scoped('FLYTIP', 'ACTIONS', quarter),
  /**
   * The record of access to personal data (functions/privacy/access-record.ts): each entry is
   * written under several views (`ALL`, `ITEM#<kind>#<id>`, `OFFICER#<subject>`, `CONTACT#<ref>`),
   * one partition each, sorted by when (UTC instant) then entry id, so every list is one Query.
   */
  accessLogEntry: (view: readonly string[], atUtc: string, entryId: string) => ({ pk: scoped('PRIVACY', 'LOG', ...view), sk: sort(`AT#${atUtc}#${entryId}`) }),
  accessLog: (view: readonly string[]) => scoped('PRIVACY', 'LOG', ...view),
  /** An event the archiver has taken (functions/archive/staging.ts); kept a while after sealing, to refuse a redelivery. */
  archivedEvent: (eventId: string) => ({ pk: scoped('ARCHIVE', 'EVENT', eventId), sk: 'EVENT' }),
  /** gsi1pk listing the archived events not yet written to a group object; gsi1sk: day#eventId. */
  archivePending: () => scoped('ARCHIVE', 'PENDING'),
};
