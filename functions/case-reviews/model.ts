/**
 * A case review as officers see it, folded from its events. Pure. Each event is stored as it
 * came (one item per eventId), and the view is made when read, so the result is the same
 * whatever order the events arrived in and however often each came.
 */
import type { DetailOf } from '#events/contract';
import type {
  CaseReviewDecided,
  CaseReviewLetterSent,
  CaseReviewPanelRecorded,
  CaseReviewRecommendationCompleted,
  CaseReviewRequested,
  CaseReviewThresholdAssessed,
} from '#events/case-review';
import type { CaseReviewSettings } from '#shared/case-review-settings';
import { londonDateOf, type IsoDate } from '#shared/london-time';
import { addWorkingDays } from '#shared/working-days';

export type StoredEvent =
  | { detailType: 'CaseReviewRequested'; detail: DetailOf<typeof CaseReviewRequested> }
  | { detailType: 'CaseReviewThresholdAssessed'; detail: DetailOf<typeof CaseReviewThresholdAssessed> }
  | { detailType: 'CaseReviewDecided'; detail: DetailOf<typeof CaseReviewDecided> }
  | { detailType: 'CaseReviewPanelRecorded'; detail: DetailOf<typeof CaseReviewPanelRecorded> }
  | { detailType: 'CaseReviewRecommendationCompleted'; detail: DetailOf<typeof CaseReviewRecommendationCompleted> }
  | { detailType: 'CaseReviewLetterSent'; detail: DetailOf<typeof CaseReviewLetterSent> };

type Assessed = DetailOf<typeof CaseReviewThresholdAssessed>;

export type ReviewStatus = 'awaiting-assessment' | 'threshold-not-met' | 'awaiting-review' | 'decided';

export interface Assessment {
  eventId: string;
  assessedAt: string;
  met: boolean;
  basis: string;
  assessedBy: 'rule' | 'officer';
  complaints: NonNullable<Assessed['complaints']>;
  /** When the first assessment of the chain was made (the day the figures count it on). */
  firstAssessedAt: string;
  /** The assessment this one overrides, if any. */
  overrides?: string;
}

export interface Recommendation {
  n: number;
  text: string;
  owner?: string;
  dueOn?: IsoDate;
  done?: { at: string; note?: string };
}

export interface CaseReviewView {
  reviewId: string;
  reference: string;
  receivedAt: string;
  appliedOn: IsoDate;
  channel: DetailOf<typeof CaseReviewRequested>['channel'];
  recordedBy?: string;
  applicantRef: string;
  thirdParty?: { relationship: string; representativeRef: string };
  hateIncident: boolean;
  description?: string;
  complaints: NonNullable<DetailOf<typeof CaseReviewRequested>['complaints']>;
  /** null until assessed. */
  thresholdMet: boolean | null;
  basis: string | null;
  assessment?: Assessment;
  /** Every assessment, oldest first: the rule's, then any overrides. */
  assessments: Assessment[];
  panel?: { meetingOn: IsoDate; members: DetailOf<typeof CaseReviewPanelRecorded>['members'] };
  decision?: { eventId: string; upheld: boolean; decidedAt: string; heldOn?: IsoDate; recommendations: Recommendation[] };
  letters: { letter: 'threshold' | 'outcome'; channel: 'email' | 'post'; sentAt: string; aboutEventId: string; notificationId?: string }[];
  deadlines: { tellApplicantBy: IsoDate; applicantToldOn?: IsoDate; holdReviewBy?: IsoDate };
  status: ReviewStatus;
}

const later = <T extends { occurredAt: string; eventId: string }>(a: T, b: T) =>
  Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.eventId.localeCompare(b.eventId);

/** The assessment in force: the latest one that nothing overrides. */
function current(assessed: readonly Assessed[]): Assessed | undefined {
  const overridden = new Set(assessed.flatMap((a) => (a.supersedes ? [a.supersedes.eventId] : [])));
  return assessed.filter((a) => !overridden.has(a.eventId)).sort(later).at(-1);
}

const toAssessment = (a: Assessed): Assessment => ({
  eventId: a.eventId,
  assessedAt: a.occurredAt,
  met: a.met,
  basis: a.basis,
  assessedBy: a.assessedBy ?? (a.supersedes ? 'officer' : 'rule'),
  complaints: a.complaints ?? [],
  firstAssessedAt: a.supersedes?.assessedAt ?? a.occurredAt,
  ...(a.supersedes ? { overrides: a.supersedes.eventId } : {}),
});

export type DeadlineSettings = Pick<CaseReviewSettings, 'tellWithinWorkingDays' | 'holdWithinWorkingDays'>;

/** The review from its events, or undefined while its application has not arrived. */
export function foldReview(events: readonly StoredEvent[], settings: DeadlineSettings): CaseReviewView | undefined {
  const of = <T extends StoredEvent['detailType']>(type: T) =>
    events.filter((e): e is Extract<StoredEvent, { detailType: T }> => e.detailType === type).map((e) => e.detail as Extract<StoredEvent, { detailType: T }>['detail']);
  const requested = of('CaseReviewRequested').sort(later)[0];
  if (!requested) return undefined;
  const assessed = of('CaseReviewThresholdAssessed');
  const inForce = current(assessed);
  const decided = of('CaseReviewDecided').sort(later)[0];
  const panel = of('CaseReviewPanelRecorded').sort(later).at(-1);
  const completed = of('CaseReviewRecommendationCompleted');
  const letters = of('CaseReviewLetterSent')
    .sort(later)
    .map((l) => ({ letter: l.letter, channel: l.channel, sentAt: l.occurredAt, aboutEventId: l.aboutEventId, ...(l.notificationId ? { notificationId: l.notificationId } : {}) }));

  const appliedOn = londonDateOf(requested.occurredAt);
  const toldOn = letters.find((l) => l.letter === 'threshold');
  const recommendations: Recommendation[] | undefined = decided?.recommendations.map((text, i) => {
    const action = decided.actions?.[i];
    const done = completed.filter((c) => c.n === i + 1).sort(later)[0];
    return { n: i + 1, text, ...(action ? { owner: action.owner, dueOn: action.dueOn } : {}), ...(done ? { done: { at: done.occurredAt, ...(done.note ? { note: done.note } : {}) } } : {}) };
  });
  const status: ReviewStatus = decided ? 'decided' : !inForce ? 'awaiting-assessment' : inForce.met ? 'awaiting-review' : 'threshold-not-met';
  return {
    reviewId: requested.reviewId,
    reference: requested.reference ?? requested.reviewId,
    receivedAt: requested.occurredAt,
    appliedOn,
    channel: requested.channel,
    ...(requested.actor.kind === 'officer' && requested.actor.id ? { recordedBy: requested.actor.id } : {}),
    applicantRef: requested.applicantRef,
    ...(requested.thirdParty ? { thirdParty: { relationship: requested.thirdParty.relationship, representativeRef: requested.thirdParty.representativeRef } } : {}),
    hateIncident: requested.hateIncident,
    ...(requested.description ? { description: requested.description } : {}),
    complaints: requested.complaints ?? [],
    thresholdMet: inForce ? inForce.met : null,
    basis: inForce ? inForce.basis : null,
    ...(inForce ? { assessment: toAssessment(inForce) } : {}),
    assessments: [...assessed].sort(later).map(toAssessment),
    ...(panel ? { panel: { meetingOn: panel.meetingOn, members: panel.members } } : {}),
    ...(decided && recommendations
      ? { decision: { eventId: decided.eventId, upheld: decided.upheld, decidedAt: decided.occurredAt, ...(decided.heldOn ? { heldOn: decided.heldOn } : {}), recommendations } }
      : {}),
    letters,
    deadlines: {
      tellApplicantBy: addWorkingDays(appliedOn, settings.tellWithinWorkingDays),
      ...(toldOn ? { applicantToldOn: londonDateOf(toldOn.sentAt) } : {}),
      ...(inForce?.met ? { holdReviewBy: addWorkingDays(londonDateOf(inForce.occurredAt), settings.holdWithinWorkingDays) } : {}),
    },
    status,
  };
}

export type DueKind = 'tell-applicant' | 'hold-review' | 'recommendation';

export interface DueItem {
  reviewId: string;
  reference: string;
  kind: DueKind;
  dueOn: IsoDate;
  overdue: boolean;
  n?: number;
  message: string;
}

/** What is still to do across the reviews, soonest first, each marked overdue when its day has passed. */
export function dueItems(views: readonly CaseReviewView[], today: IsoDate): DueItem[] {
  return views
    .flatMap((v): DueItem[] => {
      const item = (kind: DueKind, dueOn: IsoDate, message: string, n?: number): DueItem => ({
        reviewId: v.reviewId,
        reference: v.reference,
        kind,
        dueOn,
        overdue: dueOn < today,
        ...(n !== undefined ? { n } : {}),
        message,
      });
      const items: DueItem[] = [];
      if (!v.deadlines.applicantToldOn) items.push(item('tell-applicant', v.deadlines.tellApplicantBy, 'Tell the applicant whether the threshold is met.'));
      if (v.status === 'awaiting-review' && v.deadlines.holdReviewBy) items.push(item('hold-review', v.deadlines.holdReviewBy, 'Hold the case review and record the decision.'));
      for (const r of v.decision?.recommendations ?? []) {
        if (!r.done && r.dueOn) items.push(item('recommendation', r.dueOn, `Recommendation ${r.n}${r.owner ? ` (${r.owner})` : ''}: ${r.text}`, r.n));
      }
      return items;
    })
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.reference.localeCompare(b.reference) || a.kind.localeCompare(b.kind) || (a.n ?? 0) - (b.n ?? 0));
}
