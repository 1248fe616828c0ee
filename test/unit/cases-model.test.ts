import { describe, expect, it } from 'vitest';
import type { Principal } from '#shared/auth';
import {
  canSeeCase,
  canWorkOnCase,
  caseViewOf,
  firstContactState,
  matchesFilters,
  timelineFor,
  viewFor,
  type CaseView,
  type TimelineEntry,
} from '../../functions/cases/case-model.ts';

const item = (over: Record<string, unknown> = {}) => ({
  pk: 'default#CASE#case-2024-0007',
  sk: 'CASE',
  caseId: 'case-2024-0007',
  status: 'open',
  kind: 'tenancy',
  owner: 'tenancy-services',
  category: 'tenancy.garden-nuisance',
  riskCategory: 'C',
  referredFrom: 'housing',
  hateRelated: false,
  openedAt: '2024-06-03T08:00:00.000Z',
  openedBy: 'tenancy-m-evans',
  reportIds: new Set(['rpt-2', 'rpt-1']),
  officers: new Set(['tenancy-m-evans']),
  sharedWith: new Set(['Thames Valley Police']),
  firstContactDueBy: '2024-06-10',
  ...over,
});

const who = (roles: Principal['roles'], organisation?: string): Principal => ({ subject: 'someone', roles, ...(organisation ? { organisation } : {}) });

describe('unit: case view', () => {
  it('is undefined while the case has not been opened when only later events have arrived', () => {
    expect(caseViewOf({ pk: 'x', sk: 'CASE', reportIds: new Set(['r']), status: 'closed' }, '2024-06-03')).toBeUndefined();
    expect(caseViewOf(undefined, '2024-06-03')).toBeUndefined();
  });

  it('turns sets into sorted lists and shows the first-contact target when the case is Tenancy Services', () => {
    const view = caseViewOf(item(), '2024-06-05');
    expect(view).toMatchObject({ reportIds: ['rpt-1', 'rpt-2'], officers: ['tenancy-m-evans'], firstContact: { dueBy: '2024-06-10', state: 'due' } });
  });

  it.each([
    [undefined, 'open', '2024-06-10', 'due'],
    [undefined, 'open', '2024-06-11', 'overdue'],
    [undefined, 'closed', '2024-06-11', 'missed'],
    ['2024-06-10T22:30:00.000Z', 'open', '2024-06-20', 'met'], // 23:30 BST on the due date
    ['2024-06-10T23:30:00.000Z', 'open', '2024-06-20', 'late'], // 00:30 BST the day after
  ] as const)('gives first contact at %s on a %s case the state on %s: %s', (at, status, today, state) => {
    expect(firstContactState('2024-06-10', at, status, today)).toBe(state);
  });
});

describe('unit: case filters', () => {
  const view = caseViewOf(item(), '2024-06-11') as CaseView;

  it('matches each filter when it agrees and refuses it when not', () => {
    expect(matchesFilters(view, { status: 'open', owner: 'tenancy-services', riskCategory: 'C', category: 'tenancy.garden-nuisance', officer: 'tenancy-m-evans', overdue: true })).toBe(true);
    expect(matchesFilters(view, { status: 'closed' })).toBe(false);
    expect(matchesFilters(view, { status: 'all' })).toBe(true);
    expect(matchesFilters(view, { owner: 'safer-communities' })).toBe(false);
    expect(matchesFilters(view, { riskCategory: 'A' })).toBe(false);
    expect(matchesFilters(view, { officer: 'officer-x' })).toBe(false);
    expect(matchesFilters(view, { overdue: false })).toBe(false);
  });
});

describe('unit: who may see a case', () => {
  const tenancyCase = caseViewOf(item(), '2024-06-05') as CaseView;
  const scCase = caseViewOf(item({ owner: 'safer-communities', kind: 'asb', sharedWith: undefined }), '2024-06-05') as CaseView;

  it.each([
    ['officer', true, true],
    ['admin', true, true],
    ['tenancy', true, false],
    ['finance', false, false],
    ['public', false, false],
  ] as const)('lets a %s see a Tenancy Services case: %s, a Safer Communities case: %s', (role, tenancy, sc) => {
    expect(canSeeCase(who([role]), tenancyCase)).toBe(tenancy);
    expect(canSeeCase(who([role]), scCase)).toBe(sc);
  });

  it('lets a partner see only a case shared with its own organisation', () => {
    expect(canSeeCase(who(['partner'], 'Thames Valley Police'), tenancyCase)).toBe(true);
    expect(canSeeCase(who(['partner'], 'Youth Service'), tenancyCase)).toBe(false);
    expect(canSeeCase(who(['partner']), tenancyCase)).toBe(false);
    expect(canSeeCase(who(['partner'], 'Thames Valley Police'), scCase)).toBe(false);
    expect(canSeeCase(undefined, scCase)).toBe(false);
  });

  it('lets only staff work on a case, Tenancy Services on their own', () => {
    expect(canWorkOnCase(who(['partner'], 'Thames Valley Police'), tenancyCase)).toBe(false);
    expect(canWorkOnCase(who(['tenancy']), tenancyCase)).toBe(true);
    expect(canWorkOnCase(who(['tenancy']), scCase)).toBe(false);
    expect(canWorkOnCase(who(['officer']), scCase)).toBe(true);
  });

  it('hides the other organisations a case is shared with from a partner', () => {
    const shared = { ...tenancyCase, sharedWith: ['Thames Valley Police', 'Youth Service'] };
    expect(viewFor(who(['partner'], 'Thames Valley Police'), shared)).not.toHaveProperty('sharedWith');
    expect(viewFor(who(['officer']), shared).sharedWith).toEqual(['Thames Valley Police', 'Youth Service']);
    const timeline: TimelineEntry[] = ['Thames Valley Police', 'Youth Service'].map((organisation, i) => ({
      eventId: `e${i}`,
      occurredAt: '2024-06-04T10:00:00Z',
      source: 'safer-communities.cases',
      detailType: 'CaseShared',
      actor: { kind: 'officer' },
      caseId: 'case-2024-0007',
      organisation,
    }));
    expect(timelineFor(who(['partner'], 'Thames Valley Police'), timeline).map((e) => e.organisation)).toEqual(['Thames Valley Police']);
    expect(timelineFor(who(['officer']), timeline)).toHaveLength(2);
  });
});
