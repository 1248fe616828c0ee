import { declareCapability, declareFunction, type Role } from '#shared/wiring';

/** Staff who may see a reporter's contact details, each time through the recorded step. */
export const contactViewers: readonly Role[] = ['officer', 'tenancy', 'admin'];
/** Subject access, erasure and the access record: the council's data protection administrators. */
export const privacyAdmins: readonly Role[] = ['admin'];

export const privacyApi = declareFunction({
  name: 'PrivacyApi',
  entry: 'functions/privacy/api.ts',
  description:
    'People\'s personal data: the recorded "show contact details" step, the record of access, subject access exports and erasure (JSON and pages)',
  routes: [
    { method: 'POST', path: '/privacy/contact-access', auth: contactViewers },
    { method: 'GET', path: '/privacy/access-record', auth: privacyAdmins },
    { method: 'POST', path: '/privacy/subject-access', auth: privacyAdmins },
    { method: 'POST', path: '/privacy/erasures', auth: privacyAdmins },
    { method: 'GET', path: '/officer/privacy/contact/{kind}/{id}', auth: contactViewers, page: true },
    { method: 'POST', path: '/officer/privacy/contact/{kind}/{id}', auth: contactViewers, page: true },
    { method: 'GET', path: '/admin/privacy/access-record', auth: privacyAdmins, page: true },
    { method: 'GET', path: '/admin/privacy/subject-access', auth: privacyAdmins, page: true },
    { method: 'POST', path: '/admin/privacy/subject-access', auth: privacyAdmins, page: true },
    { method: 'GET', path: '/admin/privacy/erasure', auth: privacyAdmins, page: true },
    { method: 'POST', path: '/admin/privacy/erasure', auth: privacyAdmins, page: true },
  ],
  // main: the contact vault and its identity digests, reports, case reviews, cases, the subject
  // index, report progress, and the access record (written here).
  tables: { main: { access: 'readwrite', prefixes: ['PRIVACY', 'CONTACT', 'CONTACT-ID', 'REPORT', 'CASE-REVIEW', 'CASE-REVIEWS', 'CASE', 'SUBJECT', 'STATUS'] } },
  timeoutSeconds: 30,
});

export const privacyRetention = declareFunction({
  name: 'PrivacyRetention',
  entry: 'functions/privacy/retention-job.ts',
  description: 'Nightly: removes the free text of reports and case reviews past its period, and the records past theirs (functions/shared/retention.ts)',
  schedules: [{ name: 'PrivacyRetentionSweep', cron: 'cron(15 3 * * ? *)' }],
  tables: { main: { access: 'readwrite', prefixes: ['PRIVACY', 'REPORT', 'REPORTS', 'CASE-REVIEW', 'CASE-REVIEWS', 'STATUS'] } },
  timeoutSeconds: 300,
});

export const privacy = declareCapability('privacy', [privacyApi, privacyRetention]);
