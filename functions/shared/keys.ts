import { councilId } from './config.ts';

/**
 * Every DynamoDB key is built here. Each starts with the council id, so one deployment can
 * later serve several councils with their data apart, without rewriting the read models.
 */
const scoped = (...parts: string[]) => [councilId, ...parts].join('#');

export const keys = {
  report: (reportId: string) => ({ pk: scoped('REPORT', reportId), sk: 'REPORT' }),
  reportsByStatus: (status: string) => scoped('REPORTS', status),
  /** The case summary item; its `status` is 'open' or 'closed'. */
  case: (caseId: string) => ({ pk: scoped('CASE', caseId), sk: 'CASE' }),
  contact: (contactRef: string) => ({ pk: scoped('CONTACT', contactRef), sk: 'CONTACT' }),
  rateLimit: (bucket: string, window: string) => ({ pk: scoped('RATE', bucket), sk: window }),
};
