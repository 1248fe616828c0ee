/**
 * The case read model as people see it: the summary item turned into a view, the timeline
 * entries, the list filters and who may see what. Pure functions; storage is case-repository.ts.
 */
import type { caseKinds, caseOwners, referralSources } from '#events/cases';
import type { Actor } from '#events/envelope';
import type { Principal } from '#shared/auth';
import { londonDateOf, type IsoDate } from '#shared/london-time';
import type { RiskCategory } from './first-contact-targets.ts';

export type CaseStatus = 'open' | 'closed';
/**
 * met: first contact on or before the due date; late: after it; due: none yet, still in time;
 * overdue: none and the due date has passed (an open case); missed: closed without contact in time.
 */
export type FirstContactState = 'met' | 'late' | 'due' | 'overdue' | 'missed';

export interface CaseView {
  caseId: string;
  status: CaseStatus;
  kind: (typeof caseKinds)[number];
  owner: (typeof caseOwners)[number];
  category: string;
  riskCategory?: RiskCategory;
  referredFrom: (typeof referralSources)[number];
  hateRelated: boolean;
  reportIds: string[];
  openedAt: string;
  openedBy?: string;
  officers: string[];
  /** Who runs the case: the latest CaseAssigned, else the officer who opened it. */
  assignedTo?: string;
  sharedWith?: string[];
  closedAt?: string;
  outcome?: string;
  firstContact?: { dueBy: IsoDate; at?: string; state: FirstContactState };
}

export interface TimelineEntry {
  eventId: string;
  occurredAt: string;
  source: string;
  detailType: string;
  actor: Actor;
  [field: string]: unknown;
}

/** The stored summary item (attributes written by case-projection.ts). */
export type CaseItem = Record<string, unknown>;

const list = (v: unknown): string[] => (v instanceof Set ? [...(v as Set<string>)] : Array.isArray(v) ? (v as string[]) : []).sort();
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function firstContactState(dueBy: IsoDate, at: string | undefined, status: CaseStatus, today: IsoDate): FirstContactState {
  if (at !== undefined) return londonDateOf(at) <= dueBy ? 'met' : 'late';
  if (today <= dueBy) return 'due';
  return status === 'open' ? 'overdue' : 'missed';
}

/** The view of a summary item, or undefined while its CaseOpened has not been projected. */
export function caseViewOf(item: CaseItem | undefined, today: IsoDate): CaseView | undefined {
  if (!item || typeof item.openedAt !== 'string') return undefined;
  const status: CaseStatus = item.status === 'closed' ? 'closed' : 'open';
  const dueBy = str(item.firstContactDueBy);
  const firstContactAt = str(item.firstContactAt);
  const view: CaseView = {
    caseId: item.caseId as string,
    status,
    kind: item.kind as CaseView['kind'],
    owner: item.owner as CaseView['owner'],
    category: item.category as string,
    ...(item.riskCategory ? { riskCategory: item.riskCategory as RiskCategory } : {}),
    referredFrom: item.referredFrom as CaseView['referredFrom'],
    hateRelated: item.hateRelated === true,
    reportIds: list(item.reportIds),
    openedAt: item.openedAt,
    ...(str(item.openedBy) ? { openedBy: str(item.openedBy) } : {}),
    officers: list(item.officers),
    ...((str(item.assignedTo) ?? str(item.openedBy)) ? { assignedTo: str(item.assignedTo) ?? str(item.openedBy) } : {}),
    sharedWith: list(item.sharedWith),
    ...(status === 'closed' && str(item.closedAt) ? { closedAt: str(item.closedAt), outcome: str(item.outcome) } : {}),
    ...(dueBy
      ? { firstContact: { dueBy, ...(firstContactAt ? { at: firstContactAt } : {}), state: firstContactState(dueBy, firstContactAt, status, today) } }
      : {}),
  };
  return view;
}

export interface CaseFilters {
  status?: CaseStatus | 'all';
  owner?: string;
  officer?: string;
  /** Cases run by this officer (assigned to them, or opened by them and never assigned). */
  assignedTo?: string;
  category?: string;
  riskCategory?: string;
  overdue?: boolean;
}

export function matchesFilters(view: CaseView, f: CaseFilters): boolean {
  if (f.status && f.status !== 'all' && view.status !== f.status) return false;
  if (f.owner && view.owner !== f.owner) return false;
  if (f.officer && !view.officers.includes(f.officer) && view.openedBy !== f.officer) return false;
  if (f.assignedTo && view.assignedTo !== f.assignedTo) return false;
  if (f.category && view.category !== f.category) return false;
  if (f.riskCategory && view.riskCategory !== f.riskCategory) return false;
  if (f.overdue !== undefined && (view.firstContact?.state === 'overdue') !== f.overdue) return false;
  return true;
}

const has = (p: Principal, role: string) => (p.roles as readonly string[]).includes(role);

/**
 * Officers and admins see every case; Tenancy Services see the cases they own; a partner sees
 * only the cases shared with its organisation. Anyone else sees none.
 */
export function canSeeCase(principal: Principal | undefined, view: Pick<CaseView, 'owner' | 'sharedWith'>): boolean {
  if (!principal) return false;
  if (has(principal, 'officer') || has(principal, 'admin')) return true;
  if (has(principal, 'tenancy') && view.owner === 'tenancy-services') return true;
  return has(principal, 'partner') && principal.organisation !== undefined && (view.sharedWith ?? []).includes(principal.organisation);
}

/** Who may record actions on, close or share a case: officers and admins, and Tenancy Services on their own. */
export function canWorkOnCase(principal: Principal | undefined, view: Pick<CaseView, 'owner'>): boolean {
  if (!principal) return false;
  if (has(principal, 'officer') || has(principal, 'admin')) return true;
  return has(principal, 'tenancy') && view.owner === 'tenancy-services';
}

/** Only staff of the council see the whole picture; a partner sees only its own organisation among the shares. */
export const isPartnerOnly = (p: Principal | undefined) =>
  p !== undefined && has(p, 'partner') && !['officer', 'admin', 'tenancy'].some((r) => has(p, r));

/** A view trimmed for the caller: a partner learns nothing about other organisations. */
export function viewFor(principal: Principal | undefined, view: CaseView): CaseView {
  if (!isPartnerOnly(principal)) return view;
  const { sharedWith: _shared, ...rest } = view;
  return rest;
}

export function timelineFor(principal: Principal | undefined, timeline: readonly TimelineEntry[]): TimelineEntry[] {
  if (!isPartnerOnly(principal)) return [...timeline];
  return timeline.filter((e) => e.detailType !== 'CaseShared' || e.organisation === principal?.organisation);
}
