/**
 * A subject access export (UK GDPR Art 15): what is held about one person, shaped for reading.
 * Pure: holdings.ts reads, this arranges. Key attributes and index keys are left out; every
 * field the council holds about the person is kept, free text included.
 */
import type { AccessEntry } from './access-record.ts';
import type { Holdings, Item, SearchedBy } from './holdings.ts';

export interface SubjectAccessExport {
  readonly generatedAt: string;
  readonly searchedBy: SearchedBy;
  readonly found: boolean;
  readonly contactRef?: string;
  readonly subjectRef?: string;
  readonly contactDetails?: { name?: string; email?: string; phone?: string; consentToContact?: boolean; heldSince?: string; updatedAt?: string; lastReportedAt?: string; keptUntil?: string };
  readonly reports: readonly Item[];
  readonly caseReviews: readonly Item[];
  readonly cases: readonly Item[];
  readonly enforcementActions: readonly Item[];
  readonly accessRecord: readonly AccessEntry[];
  /** Where each part came from (docs/privacy.md has the whole data map). */
  readonly sources: Readonly<Record<string, string>>;
}

const withoutKeys = (item: Item): Item => Object.fromEntries(Object.entries(item).filter(([k]) => !['pk', 'sk', 'gsi1pk', 'gsi1sk', 'expiresAt', 'type'].includes(k)));
const byText = (f: (i: Item) => unknown) => (a: Item, b: Item) => String(f(a) ?? '').localeCompare(String(f(b) ?? ''));
const epochToIso = (v: unknown) => (typeof v === 'number' ? new Date(v * 1000).toISOString() : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function subjectAccessExport(h: Holdings, at: Date): SubjectAccessExport {
  const c = h.contact?.contact as { name?: string; email?: string; phone?: string; consentToContact?: boolean } | undefined;
  const contactDetails = h.contact
    ? Object.fromEntries(
        Object.entries({
          name: c?.name,
          email: c?.email,
          phone: c?.phone,
          consentToContact: c?.consentToContact,
          heldSince: str(h.contact.createdAt),
          updatedAt: str(h.contact.updatedAt),
          lastReportedAt: str(h.contact.lastReportedAt),
          keptUntil: epochToIso(h.contact.expiresAt),
        }).filter(([, v]) => v !== undefined),
      )
    : undefined;
  const reports = [...h.reports].map(withoutKeys).sort(byText((r) => r.occurredAt));
  const caseReviews = h.caseReviews
    .map(({ item, role }) => ({ role, receivedAt: String((item.gsi1sk as string | undefined)?.split('#')[0] ?? ''), ...((item.detail ?? {}) as Item) }))
    .sort(byText((r) => r.receivedAt));
  const cases = [...h.cases].map(withoutKeys).sort(byText((r) => r.caseId));
  const enforcementActions = [...h.subjectActions].map((i) => {
    const { fields, ...rest } = withoutKeys(i);
    return { ...rest, ...((fields ?? {}) as Item) };
  });
  return {
    generatedAt: at.toISOString(),
    searchedBy: h.searchedBy,
    found: Boolean(h.contact || reports.length || caseReviews.length || cases.length || enforcementActions.length || h.access.length),
    ...(h.contactRef ? { contactRef: h.contactRef } : {}),
    ...(h.subjectRef ? { subjectRef: h.subjectRef } : {}),
    ...(contactDetails ? { contactDetails } : {}),
    reports,
    caseReviews,
    cases,
    enforcementActions,
    accessRecord: h.access,
    sources: {
      contactDetails: 'the contact vault (main table, CONTACT#<contactRef>), kept 2 years from the last report',
      reports: 'the reports read model (main table, REPORT#<reportId>), found through the reporter index CASE-REVIEW#REPORTER#<contactRef>',
      caseReviews: 'ASB Case Review applications (main table, CASE-REVIEW#<reviewId>) naming the person as applicant or representative',
      cases: 'case summaries (main table, CASE#<caseId>) of the reports above, or naming the subject',
      enforcementActions: 'the enforcement subject index (main table, SUBJECT#<subjectRef>)',
      accessRecord: 'the record of access to personal data (main table, PRIVACY#LOG#…)',
    },
  };
}
