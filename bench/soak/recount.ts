/**
 * What the read models must say, recounted from the soak's event list alone, written from the
 * definitions in contract.md and domain.md and sharing no code with the projections (not even
 * the London-time helpers): if both were wrong the same way, a shared helper would hide it.
 *
 * The one thing the recount takes from the system's documented behaviour rather than from the
 * events is the Case Review threshold: the system assesses each application by rule as it
 * arrives (docs/case-reviews.md) and emits CaseReviewThresholdAssessed at the application's
 * instant. The recount judges the rule itself, with the default settings.
 */
import type { SoakEvent } from './generate.ts';

type Detail = SoakEvent['detail'];
type Ev = { type: string; source: string; d: Detail };

const londonFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The Europe/London calendar date of an instant. */
export const londonDay = (instant: string) => londonFormat.format(new Date(instant));

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** The same day k months on, or the month's last day when it has no such day (31 Jan + 1 month = 28/29 Feb). */
export function plusMonths(date: string, k: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + k;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, daysInMonth(ny, nm))).padStart(2, '0')}`;
}
const plusDays = (date: string, k: number) => new Date(Date.parse(`${date}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);
const dayCount = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

export interface Range {
  from: string;
  to: string;
}

/** The range beside a report: the same number of whole months before it, or else of days. */
export function rangeBefore({ from, to }: Range): Range {
  const end = plusDays(from, -1);
  const wholeMonths = from.endsWith('-01') && plusDays(to, 1).endsWith('-01');
  if (wholeMonths) {
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
    return { from: plusMonths(from, -months), to: end };
  }
  return { from: plusDays(end, -(dayCount(from, to) - 1)), to: end };
}

/** The Case Review threshold by rule (the Act's 3 complaints in 6 months, each within a month; 1 for a hate incident). */
function thresholdMet(d: Detail): boolean {
  const appliedOn = londonDay(d.occurredAt);
  const complaints = (d.complaints as { incidentOn: string; reportedOn: string }[] | undefined) ?? [];
  const qualifying = complaints.filter((c) => c.reportedOn >= c.incidentOn && c.reportedOn <= appliedOn && c.reportedOn <= plusMonths(c.incidentOn, 1) && appliedOn <= plusMonths(c.reportedOn, 6)).length;
  return qualifying >= 3 || (d.hateIncident === true && qualifying >= 1);
}

const ENFORCEMENT = 'safer-communities.enforcement';
type Tally = Record<string, number>;

export interface KpiAnswer extends Range {
  kpis: Record<string, unknown>;
  previous: Range & { kpis: Record<string, unknown> };
}

interface LedgerTally {
  allocatedPence: number;
  awardedPence: number;
  recalledPence: number;
  adjustedPence: number;
  spentPence: number;
  committedPence: number;
  projects: Map<string, { spentPence: number; committedPence: number }>;
}

export interface Expected {
  kpis: (range: Range) => KpiAnswer;
  ledgers: Map<string, Record<string, unknown>>;
  cases: Map<string, Record<string, unknown>>;
  reviews: Map<string, Record<string, unknown>>;
}

export function recount(events: readonly SoakEvent[]): Expected {
  // Each eventId once: a duplicate is the same fact.
  const unique = new Map<string, Ev>();
  for (const e of events) if (!unique.has(e.detail.eventId)) unique.set(e.detail.eventId, { type: e.contract.detailType, source: e.contract.source, d: e.detail });
  const all = [...unique.values()];
  const of = (type: string) => all.filter((e) => e.type === type);

  // --- KPIs: what happened on each London day ---
  const days = new Map<string, Tally>();
  const add = (instant: string, what: string, by = 1) => {
    const key = londonDay(instant);
    const t = days.get(key) ?? {};
    t[what] = (t[what] ?? 0) + by;
    days.set(key, t);
  };
  for (const { type, source, d } of all) {
    if (type === 'CaseOpened') {
      if (d.owner === 'safer-communities') {
        add(d.occurredAt, 'scCases');
        if (d.kind === 'asb') add(d.occurredAt, 'asb');
        if (d.kind === 'enviro') add(d.occurredAt, 'enviro');
        if (d.referredFrom === 'housing') add(d.occurredAt, 'fromHousing');
      } else {
        add(d.occurredAt, `tenancy${String(d.riskCategory)}`);
        if (d.hateRelated) add(d.occurredAt, 'tenancyHate');
      }
    } else if (source === ENFORCEMENT) {
      // contract.md: every event from the enforcement source counts once in total recorded team actions.
      add(d.occurredAt, 'teamActions');
      if (type === 'WarningIssued') add(d.occurredAt, d.warningType === 'CPW' ? 'cpw' : ['duty-of-care', 'written', 'other'].includes(d.warningType as string) ? 'otherWarnings' : 'none');
      if (type === 'NoticeServed') add(d.occurredAt, d.noticeType === 'CPN' ? 'cpn' : 'otherNotices');
      if (type === 'FixedPenaltyIssued') add(d.occurredAt, 'fpn');
      if (type === 'CourtOrderObtained') add(d.occurredAt, d.orderType === 'closure-order' ? 'closureOrders' : d.orderType === 's1-injunction' ? 's1' : 'none');
      if (type === 'InterviewUnderCautionHeld') add(d.occurredAt, 'interviews');
      if (type === 'CaseFileSentToLegal') add(d.occurredAt, 'legalFiles');
      if (type === 'OperationConducted' && d.operationType === 'waste-carrier-stop-search') add(d.occurredAt, 'stopSearch');
      if (type === 'PatrolLogged') add(d.occurredAt, 'patrolMinutes', d.minutes as number);
      if (type === 'ReferralMade') add(d.occurredAt, 'referrals');
    } else if (type === 'CaseReviewRequested') {
      add(d.occurredAt, 'crReceived');
      // The rule's assessment, at the application's instant.
      if (!thresholdMet(d)) add(d.occurredAt, 'crNotMet');
    } else if (type === 'CaseReviewDecided') {
      add(d.occurredAt, 'crDecided');
      if (d.upheld) add(d.occurredAt, 'crUpheld');
      if ((d.recommendations as string[]).length > 0) add(d.occurredAt, 'crWithRecommendations');
    }
  }
  const stocks = of('HousingStockRecorded').map((e) => ({ asOf: e.d.asOf as string, homes: e.d.homes as number }));
  const quarterOf = (date: string) => ['Q4', 'Q4', 'Q4', 'Q1', 'Q1', 'Q1', 'Q2', 'Q2', 'Q2', 'Q3', 'Q3', 'Q3'][Number(date.slice(5, 7)) - 1] as 'Q1' | 'Q2' | 'Q3' | 'Q4';
  /** numerator × scale ÷ denominator to `decimals` places, rounded half up, from integers (exact). */
  const ratio = (numerator: number, denominator: number, scale: number, decimals: number) => Math.round((numerator * scale * 10 ** decimals) / denominator) / 10 ** decimals;

  const figures = ({ from, to }: Range) => {
    const sum: Tally = {};
    const table = { A: { Q1: 0, Q2: 0, Q3: 0, Q4: 0 }, B: { Q1: 0, Q2: 0, Q3: 0, Q4: 0 }, C: { Q1: 0, Q2: 0, Q3: 0, Q4: 0 } };
    for (const [date, t] of days) {
      if (date < from || date > to) continue;
      for (const [k, v] of Object.entries(t)) sum[k] = (sum[k] ?? 0) + v;
      for (const risk of ['A', 'B', 'C'] as const) table[risk][quarterOf(date)] += t[`tenancy${risk}`] ?? 0;
    }
    const s = (k: string) => sum[k] ?? 0;
    const withTotal = (q: { Q1: number; Q2: number; Q3: number; Q4: number }) => ({ ...q, total: q.Q1 + q.Q2 + q.Q3 + q.Q4 });
    const tenancy = { A: withTotal(table.A), B: withTotal(table.B), C: withTotal(table.C) };
    const tenancyTotal = tenancy.A.total + tenancy.B.total + tenancy.C.total;
    const stock = stocks.filter((h) => h.asOf <= to).sort((a, b) => a.asOf.localeCompare(b.asOf)).at(-1);
    const per1000 = (count: number) => (stock ? ratio(count, stock.homes, 1000, 2) : null);
    return {
      enviro_incidents_investigated: s('enviro'),
      asb_cases_investigated: s('asb'),
      fpn_issued: s('fpn'),
      pct_cases_referred_from_housing: s('scCases') ? ratio(s('fromHousing'), s('scCases'), 100, 1) : null,
      cpw_issued: s('cpw'),
      cpn_issued: s('cpn'),
      other_warnings_and_actions: s('otherWarnings') + s('otherNotices'),
      patrol_hours: ratio(s('patrolMinutes'), 60, 1, 1),
      referrals_made: s('referrals'),
      case_reviews_received: s('crReceived'),
      case_reviews_threshold_not_met: s('crNotMet'),
      case_reviews_upheld: s('crUpheld'),
      case_reviews_carried_out: s('crDecided'),
      case_reviews_with_recommendations: s('crWithRecommendations'),
      closure_orders: s('closureOrders'),
      s1_injunctions: s('s1'),
      other_enforcement_notices: s('otherNotices'),
      interviews_under_caution: s('interviews'),
      legal_case_files: s('legalFiles'),
      stop_search_operations: s('stopSearch'),
      total_team_actions: s('teamActions'),
      tenancy_cases: { ...tenancy, total: tenancyTotal },
      nm01_asb_per_1000_homes: per1000(tenancyTotal),
      nm01_hate_asb_per_1000_homes: per1000(s('tenancyHate')),
    };
  };
  const kpis = (range: Range): KpiAnswer => {
    const previous = rangeBefore(range);
    return { from: range.from, to: range.to, kpis: figures(range), previous: { ...previous, kpis: figures(previous) } };
  };

  // --- Funding: remaining = allocated + awarded − recalled + adjusted − spent (not reversed) ---
  const tallies = new Map<string, LedgerTally>();
  const ledgerOf = (d: Detail) => {
    const key = `${String(d.stream)}/${String(d.financialYear)}`;
    let l = tallies.get(key);
    if (!l) tallies.set(key, (l = { allocatedPence: 0, awardedPence: 0, recalledPence: 0, adjustedPence: 0, spentPence: 0, committedPence: 0, projects: new Map() }));
    return l;
  };
  const reversed = new Set(of('FundingSpendReversed').map((e) => e.d.spendEventId as string));
  const allocationField = { provisional: 'allocatedPence', 'underspend-award': 'awardedPence', recall: 'recalledPence', adjustment: 'adjustedPence' } as const;
  for (const { type, d } of all) {
    if (!['FundingAllocated', 'FundingCommitted', 'FundingSpent', 'FundingSpendReversed'].includes(type)) continue;
    const l = ledgerOf(d);
    const amount = d.amountPence as number;
    const project = (name: string) => {
      let p = l.projects.get(name);
      if (!p) l.projects.set(name, (p = { spentPence: 0, committedPence: 0 }));
      return p;
    };
    if (type === 'FundingAllocated') l[allocationField[d.kind as keyof typeof allocationField]] += amount;
    if (type === 'FundingCommitted') {
      l.committedPence += amount;
      project(d.project as string).committedPence += amount;
    }
    if (type === 'FundingSpent') {
      const p = project(d.project as string);
      if (!reversed.has(d.eventId)) {
        l.spentPence += amount;
        p.spentPence += amount;
      }
    }
  }
  const ledgers = new Map<string, Record<string, unknown>>();
  for (const [key, { projects, ...n }] of tallies) {
    ledgers.set(key, {
      ...n,
      remainingPence: n.allocatedPence + n.awardedPence - n.recalledPence + n.adjustedPence - n.spentPence,
      projects: [...projects.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([project, p]) => ({ project, ...p })),
    });
  }

  // --- Cases ---
  const cases = new Map<string, Record<string, unknown>>();
  const later = (a: Detail, b: Detail) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
  const byCase = new Map<string, Ev[]>();
  for (const e of all) {
    const caseId = e.d.caseId as string | undefined;
    if (!caseId || e.type === 'ReviewDue') continue;
    byCase.set(caseId, [...(byCase.get(caseId) ?? []), e]);
  }
  for (const opened of of('CaseOpened')) {
    const d = opened.d;
    const caseId = d.caseId as string;
    const own = byCase.get(caseId) ?? [];
    const closes = own.filter((e) => e.type === 'CaseClosed').map((e) => e.d).sort(later);
    const close = closes.at(-1);
    const contact = own
      .filter((e) => e.type === 'TeamActionRecorded' && e.d.contactWith === 'complainant' && ['visit', 'call', 'letter', 'email', 'meeting'].includes(e.d.actionType as string))
      .map((e) => e.d)
      .sort(later)[0];
    cases.set(caseId, {
      caseId,
      status: close ? 'closed' : 'open',
      kind: d.kind,
      owner: d.owner,
      category: d.category,
      riskCategory: d.riskCategory,
      referredFrom: d.referredFrom,
      hateRelated: d.hateRelated,
      reportIds: [...new Set([...(d.reportIds as string[]), ...own.filter((e) => e.type === 'ReportLinked').map((e) => e.d.reportId as string)])].sort(),
      openedAt: new Date(d.occurredAt).toISOString(),
      officers: [...new Set([(d.actor as { id?: string }).id, ...own.filter((e) => e.source === ENFORCEMENT).map((e) => e.d.officerId as string)].filter(Boolean))].sort(),
      sharedWith: [...new Set(own.filter((e) => e.type === 'CaseShared').map((e) => e.d.organisation as string))].sort(),
      closedAt: close ? new Date(close.occurredAt).toISOString() : undefined,
      outcome: close?.outcome,
      firstContactAt: d.owner === 'tenancy-services' && contact ? new Date(contact.occurredAt).toISOString() : undefined,
      timeline: own.map((e) => e.d.eventId).sort(),
    });
  }

  // --- Case Reviews ---
  const reviews = new Map<string, Record<string, unknown>>();
  const byReview = new Map<string, Ev[]>();
  for (const e of all) if (e.source === 'safer-communities.case-review') byReview.set(e.d.reviewId as string, [...(byReview.get(e.d.reviewId as string) ?? []), e]);
  for (const requested of of('CaseReviewRequested')) {
    const d = requested.d;
    const own = byReview.get(d.reviewId as string) ?? [];
    const met = thresholdMet(d);
    const decided = own.filter((e) => e.type === 'CaseReviewDecided').map((e) => e.d).sort(later)[0];
    const panel = own.filter((e) => e.type === 'CaseReviewPanelRecorded').map((e) => e.d).sort(later).at(-1);
    const done = new Set(own.filter((e) => e.type === 'CaseReviewRecommendationCompleted').map((e) => e.d.n as number));
    reviews.set(d.reviewId as string, {
      reviewId: d.reviewId,
      reference: d.reference ?? d.reviewId,
      hateIncident: d.hateIncident,
      complaints: ((d.complaints as unknown[]) ?? []).length,
      thresholdMet: met,
      assessments: 1,
      status: decided ? 'decided' : met ? 'awaiting-review' : 'threshold-not-met',
      panelMeetingOn: panel?.meetingOn,
      decision: decided ? { upheld: decided.upheld, recommendations: (decided.recommendations as string[]).length, done: [...done].filter((n) => n <= (decided.recommendations as string[]).length).length } : undefined,
      letters: own.filter((e) => e.type === 'CaseReviewLetterSent').length,
    });
  }
  return { kpis, ledgers, cases, reviews };
}
