/**
 * How long each class of data is kept, in days (quality.md: enforced with TTL and lifecycle).
 * Functions stamp TTLs from these; infra/resources.ts sets the bucket lifecycles from them.
 */
export const retention = {
  /** Reporters' contact details, held apart under a contactRef. */
  reporterContactDays: 2 * 366,
  reportDays: 6 * 366,
  /** Raw intake payloads and photos from the public. */
  intakeDays: 2 * 366,
  /** Photos uploaded but never accepted into a report. */
  unacceptedUploadDays: 2,
  /** The event archive: the source for replay and rebuild. */
  archiveDays: 7 * 366,
  /**
   * Free text from the public inside archived events (a report's description, a place in
   * words): kept as long as the raw intake, then only the redacted events remain.
   */
  publicTextDays: 2 * 366,
  exportsDays: 3 * 366,
  /** ASB Case Review applications and their steps (the statutory review's record), like reports. */
  caseReviewDays: 6 * 366,
  /**
   * The record of access to personal data (who saw a reporter's contact details and why, subject
   * access exports, erasures): kept as long as the reports it is about could be asked after.
   */
  accessRecordDays: 6 * 366,
} as const;
