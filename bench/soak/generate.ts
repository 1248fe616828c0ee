/**
 * The soak's world: a seeded stream of events of every kind in the catalog, consistent with
 * one another (cases open on reports that were received, actions name their case, a CPN
 * appeal names its CPN, a reversal its spend, a decision its review). Each event is valid
 * against its contract (the publisher checks it again before it goes on the bus).
 *
 * Case reviews are built so that the rule's assessment (which the system emits itself) can be
 * known from the application alone: each applicant is new, and every complaint they list was
 * made to the police or a housing provider, so nothing in the council's records is matched.
 */
import type { EventContract } from '../../events/contract.ts';
import { CaseClosed, CaseOpened, CaseShared, ReportLinked, ReportReferred } from '../../events/cases.ts';
import {
  CaseReviewDecided,
  CaseReviewLetterSent,
  CaseReviewPanelRecorded,
  CaseReviewRecommendationCompleted,
  CaseReviewRequested,
} from '../../events/case-review.ts';
import {
  CaseFileSentToLegal,
  ClosureNoticeExtended,
  ClosureNoticeServed,
  CourtOrderObtained,
  CpnAppealDetermined,
  CpnAppealLodged,
  FixedPenaltyIssued,
  fpnOffences,
  InterviewUnderCautionHeld,
  NoticeServed,
  noticeTypes,
  OperationConducted,
  PatrolLogged,
  ReferralMade,
  TeamActionRecorded,
  teamActionTypes,
  WarningIssued,
  warningTypes,
  contactParties,
} from '../../events/enforcement.ts';
import { FlyTipDetailsRecorded, flyTipSizes, landTypes, wasteTypes } from '../../events/fly-tipping.ts';
import { FundingAllocated, FundingCommitted, FundingSpendReversed, FundingSpent, FundingStreamOpened, FundingYearClosed } from '../../events/funding.ts';
import { categories, channels, ReportReceived } from '../../events/intake.ts';
import { KpiExportReady } from '../../events/kpi.ts';
import { ReviewDue } from '../../events/reminders.ts';
import { HousingStockRecorded } from '../../events/tenancy.ts';
import { derivedEventId } from '../../functions/funding/ids.ts';
import { demoStreams } from '../../infra/local/demo/streams.ts';
import { seededRandom } from '../../infra/local/faults.ts';

/** One event as a producer hands it to the put helper. */
export interface SoakEvent {
  readonly contract: EventContract;
  readonly detail: Record<string, unknown> & { eventId: string; occurredAt: string };
}

/** The ledgers the soak writes to (streams and years the funding configuration knows). */
export const soakLedgers = [
  ['CSP', '2020-21'],
  ['CSP', '2021-22'],
  ['CSP', '2022-23'],
  ['CSP', '2023-24'],
  ['CSP', '2024-25'],
  ['CSP', '2025-26'],
  ['SS5', '2023-24'],
  ['SS5', '2024-25'],
] as const;

/** Every operational event falls between these instants: the financial years 2024-25 and 2025-26. */
const WINDOW_START = Date.parse('2024-04-01T00:00:00Z');
const WINDOW_END = Date.parse('2026-03-31T12:00:00Z');
const DAY = 86_400_000;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const iso = (ms: number) => new Date(ms).toISOString();

export function generateSoakEvents(options: { events: number; seed: number; prefix: string }): SoakEvent[] {
  const random = seededRandom(options.seed);
  const p = options.prefix;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (share: number) => random() < share;
  const out: SoakEvent[] = [];
  let n = 0;
  const id = (kind: string) => `${p}-${kind}${(n += 1)}`;
  const officer = () => `officer-${int(1, 12)}`;
  const emit = <F extends Record<string, unknown>>(contract: EventContract, at: number, fields: F, actor: Record<string, unknown> = { kind: 'officer', id: officer() }) => {
    const detail = { eventId: id('e'), occurredAt: iso(Math.min(at, WINDOW_END + 30 * DAY)), actor, ...fields };
    out.push({ contract, detail });
    return detail;
  };
  const someInstant = () => WINDOW_START + Math.floor(random() * (WINDOW_END - WINDOW_START - 40 * DAY));
  const subject = () => `${p}-subject-${int(1, 400)}`;

  // First, the openings of the streams its ledgers are in, as finance made them (POST /funding/streams):
  // one eventId per stream, derived from its code, so every world (and round) opens the same streams once.
  for (const { code, ...definition } of demoStreams) {
    const detail = { eventId: soakStreamOpeningId(code), occurredAt: `${definition.startsOn}T00:00:00.000Z`, actor: { kind: 'officer', id: 'finance-1' }, stream: code, ...definition };
    out.push({ contract: FundingStreamOpened, detail });
  }

  // The NM01 divisor, at dates of this run's own (two runs in one state never share an asOf).
  const round = Number(/\d+$/.exec(p)?.[0] ?? 1);
  for (const year of [2024, 2025]) {
    emit(HousingStockRecorded, Date.parse(`${year}-04-01T09:00:00Z`), { homes: 3800 + 10 * round + (year - 2024), asOf: day(Date.parse(`${year}-03-31T00:00:00Z`) - (round - 1) * DAY) }, { kind: 'officer', id: 'tenancy-1' });
  }

  const report = (at: number, category = pick(categories)) => {
    const anonymous = chance(0.3);
    const flyTip = category === 'enviro.fly-tipping' && chance(0.7) ? { flyTip: { landType: pick(landTypes), ...(chance(0.5) ? { wasteType: pick(wasteTypes) } : {}), ...(chance(0.5) ? { size: pick(flyTipSizes) } : {}) } } : {};
    return emit(
      ReportReceived,
      at,
      {
        reportId: id('r'),
        channel: pick(channels),
        category,
        description: `Soak report about ${category}`,
        location: chance(0.5) ? { postcode: `LE13 ${int(0, 9)}AB` } : { lat: 52.76 + random() / 100, lng: -0.88 + random() / 100 },
        hateMotivated: chance(0.05),
        reporter: anonymous ? { anonymous: true } : { anonymous: false, contactRef: `${p}-contact-${int(1, 2000)}` },
        reference: `SC-${p.toUpperCase()}-${n}`.slice(0, 32),
        ...(chance(0.1) ? { subjectRefs: [subject()] } : {}),
        ...flyTip,
      },
      anonymous ? { kind: 'public' } : { kind: 'public', id: 'web' },
    );
  };

  /** An officer action on a case (or none), from the ten counted kinds. */
  const action = (at: number, caseId: string | undefined) => {
    const base = { officerId: officer(), ...(caseId ? { caseId } : {}) };
    const who = { kind: 'officer', id: base.officerId };
    switch (int(0, 9)) {
      case 0: {
        const warningType = pick(warningTypes);
        return emit(WarningIssued, at, { ...base, warningType, subjectRef: subject(), ...(warningType === 'CPW' || chance(0.2) ? { complyBy: day(at + 28 * DAY) } : {}) }, who);
      }
      case 1:
        return emit(NoticeServed, at, { ...base, noticeType: pick(noticeTypes), subjectRef: subject(), subjectKind: 'person', subjectAge: int(16, 80) }, who);
      case 2:
        return emit(FixedPenaltyIssued, at, { ...base, offence: pick(fpnOffences), amountPence: int(1, 10) * 5000, subjectRef: subject() }, who);
      case 3:
        return emit(CourtOrderObtained, at, { ...base, orderType: pick(['closure-order', 'closure-order-extension', 's1-injunction'] as const), expiresAt: day(at + 90 * DAY), subjectRef: subject() }, who);
      case 4:
        return emit(InterviewUnderCautionHeld, at, { ...base, subjectRef: subject() }, who);
      case 5:
        return emit(CaseFileSentToLegal, at, base, who);
      case 6:
        return emit(OperationConducted, at, { ...base, operationType: pick(['waste-carrier-stop-search', 'vehicle-seizure', 'joint-patrol']) }, who);
      case 7:
        return emit(PatrolLogged, at, { ...base, minutes: int(15, 240) }, who);
      case 8:
        return emit(ReferralMade, at, { ...base, service: pick(['Environmental Health', 'Police', 'Youth Services', 'Social Services']), internal: chance(0.5) }, who);
      default:
        return emit(TeamActionRecorded, at, { ...base, actionType: pick(teamActionTypes), ...(chance(0.6) ? { contactWith: pick(contactParties) } : {}) }, who);
    }
  };

  /** The statutory steps: a CPN appealed and decided, or a closure notice extended and followed by an order. */
  const statutory = (at: number, caseId: string) => {
    const officerId = officer();
    const who = { kind: 'officer', id: officerId };
    const subjectRef = subject();
    if (chance(0.5)) {
      const cpn = emit(NoticeServed, at, { officerId, caseId, noticeType: 'CPN', subjectRef, subjectKind: 'person', subjectAge: int(16, 70), complyBy: day(at + 14 * DAY), requirements: [{ kind: 'stop', text: 'Stop playing loud music after 11pm' }] }, who);
      emit(CpnAppealLodged, at + 3 * DAY, { officerId, caseId, noticeEventId: cpn.eventId, subjectRef, lodgedOn: day(at + 3 * DAY) }, who);
      if (chance(0.7)) emit(CpnAppealDetermined, at + 20 * DAY, { officerId, caseId, noticeEventId: cpn.eventId, subjectRef, outcome: pick(['quashed', 'modified', 'dismissed', 'withdrawn'] as const) }, who);
      return;
    }
    const served = emit(ClosureNoticeServed, at, { officerId, caseId, subjectRef, hours: 24, expiresAt: iso(at + DAY), hearingDueBy: iso(at + 2 * DAY) }, who);
    if (chance(0.6)) emit(ClosureNoticeExtended, at + 12 * 3_600_000, { officerId, caseId, closureNoticeEventId: served.eventId, subjectRef, totalHours: 48, authorisedBy: 'Chief Executive', expiresAt: iso(at + 2 * DAY) }, who);
    if (chance(0.5)) emit(CourtOrderObtained, at + 2 * DAY, { officerId, caseId, orderType: 'closure-order', expiresAt: day(at + 92 * DAY), subjectRef }, who);
  };

  const caseStory = () => {
    const at = someInstant();
    const tenancy = chance(0.2);
    const first = report(at, tenancy ? pick(['asb.neighbour', 'asb.noise', 'asb.rowdy'] as const) : undefined);
    const category = first.category as string;
    const kind = tenancy ? pick(['asb', 'tenancy'] as const) : category.startsWith('enviro.') ? 'enviro' : 'asb';
    const caseId = id('c');
    const more = Array.from({ length: int(0, 2) }, (_, i) => report(at + (i + 1) * 3_600_000, category as (typeof categories)[number]));
    const openedAt = at + int(1, 48) * 3_600_000;
    emit(CaseOpened, openedAt, {
      caseId,
      kind,
      owner: tenancy ? 'tenancy-services' : 'safer-communities',
      category: tenancy && chance(0.3) ? 'tenancy.breach' : category,
      ...(tenancy ? { riskCategory: pick(['A', 'B', 'C'] as const) } : {}),
      referredFrom: pick(['public', 'housing', 'police', 'partner', 'internal'] as const),
      hateRelated: chance(0.1),
      reportIds: [first.reportId, ...(chance(0.5) ? [] : more.slice(0, 1).map((r) => r.reportId))],
    });
    for (const r of more) if (chance(0.8)) emit(ReportLinked, openedAt + 3_600_000, { reportId: r.reportId, caseId });
    if (category === 'enviro.fly-tipping') {
      emit(FlyTipDetailsRecorded, openedAt + 2 * 3_600_000, { reportId: first.reportId, officerId: officer(), reportedAt: first.occurredAt, reference: first.reference, details: { landType: pick(landTypes), wasteType: pick(wasteTypes), size: pick(flyTipSizes) } });
    }
    let t = openedAt;
    for (let i = int(0, 4); i > 0; i -= 1) action((t += int(1, 72) * 3_600_000), caseId);
    if (chance(0.08)) statutory((t += DAY), caseId);
    if (chance(0.15)) emit(CaseShared, t + 3_600_000, { caseId, organisation: pick(['Leicestershire Police', 'Melton Housing', 'Youth Services']) });
    if (chance(0.05)) emit(ReviewDue, t + 2 * 3_600_000, { caseId, owner: tenancy ? 'tenancy-services' : 'safer-communities', reminder: 'abc-review', dueOn: day(t + DAY), forDate: day(t + DAY) }, { kind: 'system', id: 'case-reminders' });
    if (chance(0.4)) {
      emit(CaseClosed, t + int(2, 30) * DAY, { caseId, outcome: pick(['Resolved after warnings', 'No further action', 'Referred to police']) });
      // Now and then a second close (an officer correcting the outcome): the latest wins.
      if (chance(0.05)) emit(CaseClosed, t + 40 * DAY, { caseId, outcome: 'Outcome corrected' });
    }
  };

  const loneReport = () => {
    const r = report(someInstant());
    if (chance(0.4)) emit(ReportReferred, Date.parse(r.occurredAt) + DAY, { reportId: r.reportId, service: pick(['Environmental Health', 'Police', 'Domestic abuse service']), ...(chance(0.5) ? { reason: 'Not for this team' } : {}) });
  };

  /** A complaint listed by an applicant, qualifying or made too late after its incident. */
  const complaint = (appliedMs: number, qualifying: boolean) => {
    // Qualifying: made within days of the incident, weeks before the application. Not: made
    // six weeks or more after the incident (the rule wants it within a month).
    const incident = appliedMs - (qualifying ? int(10, 100) : int(70, 100)) * DAY;
    const reported = incident + (qualifying ? int(0, 9) : int(40, 60)) * DAY;
    return { reportedTo: pick(['police', 'housing-provider'] as const), incidentOn: day(incident), reportedOn: day(reported) };
  };

  const caseReviewStory = () => {
    const at = someInstant();
    const reviewId = id('cr');
    const hateIncident = chance(0.15);
    const listed = Array.from({ length: int(0, 4) }, () => complaint(at, chance(0.75)));
    emit(
      CaseReviewRequested,
      at,
      { reviewId, applicantRef: `${p}-applicant-${reviewId}`, hateIncident, reference: `CR-${reviewId}`.slice(0, 32), channel: pick(['webform', 'api', 'officer'] as const), description: 'Repeated noise and abuse', complaints: listed },
      { kind: 'public' },
    );
    // Whether the rule will find the threshold met decides what follows (recount.ts judges it again, alone).
    const likelyMet = listed.filter((c) => Date.parse(c.reportedOn) - Date.parse(c.incidentOn) < 31 * DAY).length >= 3 || (hateIncident && listed.length > 0);
    emit(CaseReviewLetterSent, at + 5 * DAY, { reviewId, letter: 'threshold', channel: pick(['email', 'post'] as const), aboutEventId: `${reviewId}-assessment` });
    if (!likelyMet || chance(0.2)) return;
    emit(CaseReviewPanelRecorded, at + 10 * DAY, { reviewId, meetingOn: day(at + 20 * DAY), members: [{ name: 'A Member', organisation: 'Leicestershire Police' }] });
    if (chance(0.25)) return;
    const recommendations = Array.from({ length: int(0, 3) }, (_, i) => `Recommendation ${i + 1}`);
    const decided = emit(CaseReviewDecided, at + 21 * DAY, {
      reviewId,
      upheld: chance(0.5),
      recommendations,
      ...(recommendations.length && chance(0.7) ? { actions: recommendations.map(() => ({ owner: 'Melton Housing', dueOn: day(at + 60 * DAY) })) } : {}),
      heldOn: day(at + 20 * DAY),
    });
    recommendations.forEach((_, i) => {
      if (chance(0.5)) emit(CaseReviewRecommendationCompleted, at + 50 * DAY, { reviewId, n: i + 1, ...(chance(0.5) ? { note: 'Done' } : {}) });
    });
    emit(CaseReviewLetterSent, at + 22 * DAY, { reviewId, letter: 'outcome', channel: 'post', aboutEventId: decided.eventId });
  };

  const spends = new Map<string, string[]>();
  const fundingFact = () => {
    const [stream, financialYear] = pick(soakLedgers);
    const start = Date.parse(`${financialYear.slice(0, 4)}-04-02T10:00:00Z`);
    const at = start + int(0, 360) * DAY;
    const ledger = { stream, financialYear };
    const who = { kind: 'officer', id: 'finance-1' };
    const key = `${stream}/${financialYear}`;
    const roll = random();
    if (roll < 0.1) {
      const kind = pick(['provisional', 'underspend-award', 'recall', 'adjustment'] as const);
      const amountPence = int(1, 5000) * 100 * (kind === 'adjustment' && chance(0.5) ? -1 : 1);
      emit(FundingAllocated, at, { ...ledger, kind, amountPence, reference: `ALLOC-${n}` }, who);
    } else if (roll < 0.35) {
      emit(FundingCommitted, at, { ...ledger, project: pick(['CCTV', 'Youth diversion', 'Street lighting', 'Target hardening']), amountPence: int(100, 500_000), ...(chance(0.5) ? { reference: `PO-${n}` } : {}) }, who);
    } else if (roll < 0.9 || !spends.get(key)?.length) {
      const spend = emit(FundingSpent, at, { ...ledger, project: pick(['CCTV', 'Youth diversion', 'Street lighting', 'Target hardening']), amountPence: int(100, 300_000), reference: `INV-${n}` }, who);
      spends.set(key, [...(spends.get(key) ?? []), spend.eventId]);
    } else {
      const list = spends.get(key) ?? [];
      const spendEventId = list.splice(int(0, list.length - 1), 1)[0] as string;
      emit(FundingSpendReversed, at + DAY, { ...ledger, spendEventId, reason: 'Invoice raised twice' }, who);
    }
  };

  // Each ledger starts with its provisional allocation.
  for (const [stream, financialYear] of soakLedgers) {
    emit(FundingAllocated, Date.parse(`${financialYear.slice(0, 4)}-04-01T09:00:00Z`), { stream, financialYear, kind: 'provisional', amountPence: 25_000_000, reference: `PCC-${p}` }, { kind: 'officer', id: 'finance-1' });
  }
  // Facts only the archive consumes, a few of each.
  emit(KpiExportReady, WINDOW_START + 31 * DAY, { period: '2024-04', from: '2024-04-01', to: '2024-04-30', objects: [{ bucket: 'safer-communities-exports', key: `kpis/${p}/2024-04.csv`, format: 'csv' }] }, { kind: 'system', id: 'kpi-export' });
  emit(FundingYearClosed, Date.parse('2021-04-01T00:05:00Z'), { stream: 'CSP', financialYear: '2020-21', remainingPence: 0 }, { kind: 'system', id: 'funding-year-end' });

  while (out.length < options.events) {
    const roll = random();
    if (roll < 0.02) patrolOrOperation();
    else if (roll < 0.62) caseStory();
    else if (roll < 0.82) loneReport();
    else if (roll < 0.845) caseReviewStory();
    else if (roll < 0.86) fundingFact();
    else action(someInstant(), undefined);
  }
  return out;

  function patrolOrOperation() {
    const at = someInstant();
    const officerId = officer();
    if (chance(0.5)) emit(PatrolLogged, at, { officerId, minutes: int(30, 300) }, { kind: 'officer', id: officerId });
    else emit(OperationConducted, at, { officerId, operationType: 'waste-carrier-stop-search' }, { kind: 'officer', id: officerId });
  }
}

/** The eventId of the soak's opening of a stream (the same in every world, as one deployment opens a stream once). */
export const soakStreamOpeningId = (code: string) => derivedEventId('FundingStreamOpened', 'soak', code.toLowerCase());

/** The events that must be on the bus before the rest (a ledger refuses money for a stream not yet opened). */
export const isStreamOpening = (e: SoakEvent) => e.contract === FundingStreamOpened;

/** The events as the bus will see them: each put once, a share put twice, in a shuffled order. */
export function withDuplicatesShuffled<T>(events: readonly T[], duplicateShare: number, seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...events];
  for (const e of events) if (random() < duplicateShare) out.push(e);
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
