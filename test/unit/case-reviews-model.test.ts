import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DetailOf } from '#events/contract';
import type { CaseReviewThresholdAssessed } from '#events/case-review';
import { londonDateOf } from '#shared/london-time';
import { countersFor, type CountedEvent } from '../../functions/kpis/counters.ts';
import { figuresOf, type DayCounters } from '../../functions/kpis/figures.ts';
import { publishedFrom } from '../../functions/case-reviews/figures.ts';
import { dueItems, foldReview, type StoredEvent } from '../../functions/case-reviews/model.ts';
import { outcomeLetter, personalisationOf, thresholdLetter } from '../../functions/case-reviews/letters.ts';

const deadlines = { tellWithinWorkingDays: 10, holdWithinWorkingDays: 25 };
const actor = { kind: 'officer', id: 'lead' } as const;

const requested = (reviewId: string, occurredAt: string): StoredEvent => ({
  detailType: 'CaseReviewRequested',
  detail: { eventId: `${reviewId}-req`, occurredAt, schemaVersion: 1, actor: { kind: 'public' }, reviewId, applicantRef: 'ct_1', hateIncident: false, reference: `CR-${reviewId}`, complaints: [] },
});
const assessed = (reviewId: string, eventId: string, occurredAt: string, met: boolean, supersedes?: DetailOf<typeof CaseReviewThresholdAssessed>['supersedes']): StoredEvent => ({
  detailType: 'CaseReviewThresholdAssessed',
  detail: { eventId, occurredAt, schemaVersion: 1, actor, reviewId, met, basis: met ? 'met' : 'not met', ...(supersedes ? { supersedes, assessedBy: 'officer' as const } : { assessedBy: 'rule' as const }) },
});
const decided = (reviewId: string, occurredAt: string, recommendations: string[], actions?: { owner: string; dueOn: string }[]): StoredEvent => ({
  detailType: 'CaseReviewDecided',
  detail: { eventId: `${reviewId}-dec`, occurredAt, schemaVersion: 1, actor, reviewId, upheld: recommendations.length > 0, recommendations, ...(actions ? { actions } : {}) },
});

describe('unit: a case review folded from its events', () => {
  it('is nothing until its application has arrived, whatever came first', () => {
    expect(foldReview([assessed('r1', 'a1', '2025-06-02T10:00:00Z', true)], deadlines)).toBeUndefined();
  });

  it('keeps the override in force over the rule, in any order, and dates the deadlines in working days', () => {
    const events = [
      requested('r1', '2025-04-17T09:00:00+01:00'),
      assessed('r1', 'rule', '2025-04-17T09:00:00+01:00', false),
      assessed('r1', 'ovr', '2025-04-22T10:00:00+01:00', true, { eventId: 'rule', met: false, assessedAt: '2025-04-17T09:00:00+01:00' }),
    ];
    for (const order of [events, [...events].reverse()]) {
      const v = foldReview(order, deadlines);
      expect(v).toMatchObject({ thresholdMet: true, status: 'awaiting-review', assessment: { eventId: 'ovr', assessedBy: 'officer', firstAssessedAt: '2025-04-17T09:00:00+01:00' } });
      // 17 April 2025 is the Thursday before Easter: Good Friday, Easter Monday and 5 May (early May bank holiday) are not working days.
      expect(v?.deadlines.tellApplicantBy).toBe('2025-05-06');
      expect(v?.deadlines.holdReviewBy).toBe('2025-05-29');
      expect(v?.assessments.map((a) => a.eventId)).toEqual(['rule', 'ovr']);
    }
  });

  it('lists what is due and marks what is overdue: telling the applicant, holding the review, each recommendation until done', () => {
    const base = [requested('r1', '2025-06-02T09:00:00+01:00'), assessed('r1', 'a', '2025-06-02T09:00:00+01:00', true)];
    expect(dueItems([foldReview(base, deadlines)!], '2025-06-20').map((d) => [d.kind, d.dueOn, d.overdue])).toEqual([
      ['tell-applicant', '2025-06-16', true],
      ['hold-review', '2025-07-07', false],
    ]);
    const told: StoredEvent = { detailType: 'CaseReviewLetterSent', detail: { eventId: 'l', occurredAt: '2025-06-05T12:00:00+01:00', schemaVersion: 1, actor, reviewId: 'r1', letter: 'threshold', channel: 'email', aboutEventId: 'a' } };
    const decision = decided('r1', '2025-07-01T15:00:00+01:00', ['Patrol the park', 'Write monthly'], [{ owner: 'Police', dueOn: '2025-07-15' }, { owner: 'Council', dueOn: '2025-08-01' }]);
    const done: StoredEvent = { detailType: 'CaseReviewRecommendationCompleted', detail: { eventId: 'd', occurredAt: '2025-07-10T10:00:00+01:00', schemaVersion: 1, actor, reviewId: 'r1', n: 1 } };
    const v = foldReview([...base, told, decision, done], deadlines)!;
    expect(v.deadlines.applicantToldOn).toBe('2025-06-05');
    expect(dueItems([v], '2025-08-02').map((d) => [d.kind, d.n, d.overdue])).toEqual([['recommendation', 2, true]]);
    expect(v.decision?.recommendations[0]).toMatchObject({ n: 1, owner: 'Police', done: { at: '2025-07-10T10:00:00+01:00' } });
  });

  it('writes the letters from the review: the threshold and the outcome with recommendations and how to escalate', () => {
    const v = foldReview([requested('r1', '2025-06-02T09:00:00+01:00'), assessed('r1', 'a', '2025-06-02T09:00:00+01:00', true), decided('r1', '2025-07-01T15:00:00+01:00', ['Patrol the park'], [{ owner: 'Leicestershire Police', dueOn: '2025-07-15' }])], deadlines)!;
    const threshold = thresholdLetter(v, { councilName: 'Melton Borough Council', name: 'Sam' })!;
    expect(threshold.title).toContain('the threshold is met');
    expect(threshold.greeting).toBe('Dear Sam,');
    const outcome = outcomeLetter(v, { councilName: 'Melton Borough Council' })!;
    expect(outcome.recommendations).toEqual([{ text: 'Patrol the park', owner: 'Leicestershire Police', dueOn: '15 July 2025' }]);
    expect(outcome.escalation.join(' ')).toMatch(/Police and Crime Commissioner.*Local Government and Social Care Ombudsman/);
    expect(personalisationOf(outcome, v.reference).recommendations).toBe('1. Patrol the park (Leicestershire Police, by 15 July 2025)');
  });
});

/**
 * The published figures come from the KPI counters (figures.ts reads the KPI read path). This
 * proves they agree, on any shuffled and duplicated history, with a recount from the reviews'
 * own folded state: applications by the day applied, threshold not met by the day of the
 * first assessment (its final outcome, after overrides), decisions and recommendations.
 */
describe('unit: the published figures agree with the reviews themselves', () => {
  const day = (n: number) => new Date(Date.UTC(2025, 2, 20, 22, 30) + n * 86_400_000).toISOString(); // late evening, across the clocks changing

  const history = fc.array(
    fc.record({ applied: fc.integer({ min: 0, max: 60 }), rule: fc.boolean(), overrides: fc.integer({ min: 0, max: 2 }), decide: fc.boolean(), recs: fc.integer({ min: 0, max: 2 }) }),
    { minLength: 1, maxLength: 12 },
  );

  const eventsOf = (spec: { applied: number; rule: boolean; overrides: number; decide: boolean; recs: number }[]) =>
    spec.flatMap((s, i) => {
      const id = `r${i}`;
      const at = day(s.applied);
      const out: StoredEvent[] = [requested(id, at), assessed(id, `${id}-a0`, at, s.rule)];
      let met = s.rule;
      for (let k = 1; k <= s.overrides; k += 1) {
        out.push(assessed(id, `${id}-a${k}`, day(s.applied + k), !met, { eventId: `${id}-a${k - 1}`, met, assessedAt: at }));
        met = !met;
      }
      if (s.decide && met) out.push(decided(id, day(s.applied + 5), Array.from({ length: s.recs }, (_, r) => `rec ${r}`)));
      return out;
    });

  const kpiFigures = (events: readonly StoredEvent[], from: string, to: string) => {
    const seen = new Set<string>();
    const days = new Map<string, Record<string, number>>();
    for (const e of events) {
      if (seen.has(e.detail.eventId) || !['CaseReviewRequested', 'CaseReviewThresholdAssessed', 'CaseReviewDecided'].includes(e.detailType)) continue;
      seen.add(e.detail.eventId);
      const effect = countersFor({ source: 'safer-communities.case-review', ...e } as CountedEvent);
      const counters = days.get(effect.day) ?? {};
      for (const [k, v] of Object.entries(effect.deltas)) counters[k] = (counters[k] ?? 0) + (v ?? 0);
      days.set(effect.day, counters);
    }
    const inRange: DayCounters[] = [...days].filter(([d]) => d >= from && d <= to).map(([d, counters]) => ({ day: d, counters }));
    return publishedFrom({ from, to }, figuresOf(inRange, undefined));
  };

  const recount = (events: readonly StoredEvent[], from: string, to: string) => {
    const ids = [...new Set(events.map((e) => e.detail.reviewId))];
    const views = ids.map((id) => foldReview(events.filter((e) => e.detail.reviewId === id), deadlines)!);
    const within = (iso: string | undefined) => iso !== undefined && londonDateOf(iso) >= from && londonDateOf(iso) <= to;
    return {
      from,
      to,
      applications: views.filter((v) => within(v.receivedAt)).length,
      thresholdNotMet: views.filter((v) => v.thresholdMet === false && within(v.assessment?.firstAssessedAt)).length,
      reviewsCarriedOut: views.filter((v) => within(v.decision?.decidedAt)).length,
      reviewsWithRecommendations: views.filter((v) => within(v.decision?.decidedAt) && (v.decision?.recommendations.length ?? 0) > 0).length,
      reviewsUpheld: views.filter((v) => within(v.decision?.decidedAt) && v.decision?.upheld).length,
    };
  };

  it('gives the same figures for any range, in any order, with duplicates', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 70 }), fc.integer(), (spec, a, b, seed) => {
        const events = eventsOf(spec);
        const delivered = [...events, ...events.slice(0, Math.abs(seed) % 5)];
        const shuffled = fc.sample(fc.shuffledSubarray(delivered, { minLength: delivered.length }), { seed, numRuns: 1 })[0] ?? delivered;
        expect(shuffled).toHaveLength(delivered.length);
        const [from, to] = [londonDateOf(day(Math.min(a, b))), londonDateOf(day(Math.max(a, b)))];
        expect(kpiFigures(shuffled, from, to)).toEqual(recount(events, from, to));
      }),
      { numRuns: 200 },
    );
  });
});
