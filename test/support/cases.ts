import type { Principal } from '#shared/auth';
import type { CaseView } from '../../functions/cases/case-model.ts';

/** Fixtures the case and enforcement unit tests share. */
export const officer: Principal = { subject: 'officer-r-okafor', roles: ['officer'] };
export const tenancy: Principal = { subject: 'tenancy-m-evans', roles: ['tenancy'] };

/** An open Safer Communities ASB case; override what a test is about. */
export const caseView = (over: Partial<CaseView> = {}): CaseView => ({
  caseId: 'case-2024-0001',
  status: 'open',
  kind: 'asb',
  owner: 'safer-communities',
  category: 'asb.neighbour',
  referredFrom: 'public',
  hateRelated: false,
  reportIds: [],
  openedAt: '2024-05-01T09:00:00.000Z',
  officers: [],
  sharedWith: [],
  ...over,
});
