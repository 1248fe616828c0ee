import type { Principal } from '#shared/auth';
import { decodeCursor, encodeCursor } from '#shared/cursor';
import { BadRequestError, NotFoundError } from '#shared/errors';
import type { IsoDate } from '#shared/london-time';
import {
  canSeeCase,
  caseViewOf,
  isPartnerOnly,
  matchesFilters,
  timelineFor,
  viewFor,
  type CaseFilters,
  type CaseItem,
  type CaseStatus,
  type CaseView,
  type TimelineEntry,
} from './case-model.ts';
import type { CasePage, StoredCase } from './case-repository.ts';
import { dueItems, type CaseWithTimeline, type DueItem } from './reminders.ts';

export interface CaseQueryDeps {
  loadCase: (caseId: string) => Promise<StoredCase>;
  listCaseItems: (status: CaseStatus, keep: (item: CaseItem) => boolean, limit: number, start?: Record<string, unknown>) => Promise<CasePage>;
  allCaseItems: (status: CaseStatus) => Promise<CaseItem[]>;
  partnerCaseItems: (organisation: string) => Promise<CaseItem[]>;
  today: () => IsoDate;
}

export interface CaseWithTimelineView extends CaseView {
  timeline: TimelineEntry[];
}

/** The case and its timeline in occurredAt order; 404 (not 403) for a case the caller may not see. */
export async function getCase(caseId: string, principal: Principal | undefined, deps: CaseQueryDeps): Promise<CaseWithTimelineView> {
  const stored = await deps.loadCase(caseId);
  const view = caseViewOf(stored.summary, deps.today());
  if (!view || !canSeeCase(principal, view)) throw new NotFoundError(`there is no case ${caseId}`);
  return { ...viewFor(principal, view), timeline: timelineFor(principal, stored.timeline) };
}

type Cursor = { s: CaseStatus; k?: Record<string, unknown> } | { o: number };

const encode = (c: Cursor) => encodeCursor(c);
function decode(cursor: string): Cursor {
  const value = decodeCursor(cursor) as Cursor;
  if (value && typeof value === 'object' && (('s' in value && (value.s === 'open' || value.s === 'closed')) || ('o' in value && Number.isInteger(value.o)))) return value;
  throw new BadRequestError('the cursor is not one this service gave out');
}

const has = (p: Principal | undefined, role: string) => (p?.roles as readonly string[] | undefined)?.includes(role) ?? false;

/**
 * Cases the caller may see that match the filters, newest first, a page at a time.
 * A partner's list is the (few) cases shared with its organisation; Tenancy Services' list is
 * their own cases.
 */
export async function listCases(
  principal: Principal | undefined,
  filters: CaseFilters,
  page: { limit: number; cursor?: string },
  deps: CaseQueryDeps,
): Promise<{ items: CaseView[]; next?: string }> {
  const today = deps.today();
  const start = page.cursor ? decode(page.cursor) : undefined;
  const effective: CaseFilters = { ...filters };
  if (has(principal, 'tenancy') && !has(principal, 'officer') && !has(principal, 'admin') && !isPartnerOnly(principal)) {
    if (filters.owner && filters.owner !== 'tenancy-services') return { items: [] };
    effective.owner = 'tenancy-services';
  }
  const visible = (item: CaseItem) => {
    const view = caseViewOf(item, today);
    return view !== undefined && canSeeCase(principal, view) && matchesFilters(view, effective) ? view : undefined;
  };

  if (isPartnerOnly(principal)) {
    const org = principal?.organisation;
    const views = (org ? await deps.partnerCaseItems(org) : []).flatMap((item) => {
      const view = visible(item);
      return view ? [viewFor(principal, view)] : [];
    });
    const offset = start && 'o' in start ? start.o : 0;
    const items = views.slice(offset, offset + page.limit);
    return { items, ...(offset + page.limit < views.length ? { next: encode({ o: offset + page.limit }) } : {}) };
  }

  const statuses: CaseStatus[] = effective.status === 'closed' ? ['closed'] : effective.status === 'all' ? ['open', 'closed'] : ['open'];
  const from = start && 's' in start ? start : undefined;
  const items: CaseView[] = [];
  for (const status of statuses.slice(from ? Math.max(0, statuses.indexOf(from.s)) : 0)) {
    const key = from && from.s === status ? from.k : undefined;
    const result = await deps.listCaseItems(status, (item) => visible(item) !== undefined, page.limit - items.length, key);
    items.push(...result.items.flatMap((item) => [viewFor(principal, visible(item) as CaseView)]));
    if (result.next) return { items, next: encode({ s: result.next.status, ...(result.next.key ? { k: result.next.key } : {}) }) };
    if (items.length >= page.limit) {
      const following = statuses[statuses.indexOf(status) + 1];
      return { items, ...(following ? { next: encode({ s: following }) } : {}) };
    }
  }
  return { items };
}

/** Everything due on a date across the open cases the caller may see. */
export async function casesDue(principal: Principal | undefined, date: IsoDate, deps: CaseQueryDeps): Promise<{ date: IsoDate; items: DueItem[] }> {
  const open = (await deps.allCaseItems('open')).flatMap((item) => {
    const view = caseViewOf(item, date);
    return view && canSeeCase(principal, view) ? [{ item, view }] : [];
  });
  // Only cases holding an ABC, CPW, CPN or order need their timeline; read them ten at a time.
  const cases: CaseWithTimeline[] = [];
  for (let i = 0; i < open.length; i += 10) {
    cases.push(
      ...(await Promise.all(
        open.slice(i, i + 10).map(async ({ item, view }) => {
          const follows = item.reminderEvents instanceof Set ? item.reminderEvents.size > 0 : Array.isArray(item.reminderEvents) && item.reminderEvents.length > 0;
          return { view, timeline: follows ? (await deps.loadCase(view.caseId)).timeline : [] };
        }),
      )),
    );
  }
  return { date, items: dueItems(cases, date) };
}
