import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carriesPublicText, redact, REDACTED_TEXT, type ArchivedEnvelope } from '../../functions/archive/data-classes.ts';
import { groupObjects } from '../../functions/archive/groups.ts';
import { groupKey } from '../../functions/archive/layout.ts';
import type { PendingEvent } from '../../functions/archive/staging.ts';
import { CaseReviewRequested } from '#events/case-review';
import { ReportReceived } from '#events/intake';

const envelope = (detailType: string, detail: Record<string, unknown>): ArchivedEnvelope => ({
  source: detailType === 'ReportReceived' ? 'safer-communities.intake' : 'safer-communities.cases',
  'detail-type': detailType,
  id: `env-${String(detail.eventId)}`,
  time: '2024-05-15T10:00:00Z',
  detail,
});

const reportDetail = (eventId: string) => ({
  eventId,
  occurredAt: '2024-05-14T21:30:00+01:00',
  schemaVersion: 1,
  actor: { kind: 'public' },
  reportId: `r-${eventId}`,
  channel: 'webform',
  category: 'enviro.fly-tipping',
  description: 'A mattress by the gate of number 4',
  location: { postcode: 'LE1 5WW', text: 'Gate of number 4' },
  hateMotivated: false,
  reporter: { anonymous: true },
});

const pending = (day: string, event: ArchivedEnvelope): PendingEvent => ({ eventId: String((event.detail as { eventId: string }).eventId), day, event });

describe('unit: archive data classes', () => {
  it('replaces the free text from the public and keeps the event valid under its contract', () => {
    const event = envelope('ReportReceived', reportDetail('e-1'));
    const redacted = redact(event);
    expect(redacted.detail).toMatchObject({ description: REDACTED_TEXT, location: { postcode: 'LE1 5WW', text: REDACTED_TEXT }, category: 'enviro.fly-tipping' });
    expect(ReportReceived.detail.safeParse(redacted.detail).success).toBe(true);
    expect((event.detail as { description: string }).description).toBe('A mattress by the gate of number 4');
    expect(carriesPublicText(event)).toBe(true);
  });

  it('leaves events without free text from the public as they are', () => {
    const event = envelope('CaseOpened', { eventId: 'c-1', caseId: 'C-1' });
    expect(redact(event)).toBe(event);
    expect(carriesPublicText(event)).toBe(false);
    const withoutPlace = envelope('ReportReceived', { ...reportDetail('e-2'), location: { postcode: 'LE1 5WW' } });
    expect((redact(withoutPlace).detail as { location: unknown }).location).toEqual({ postcode: 'LE1 5WW' });
  });

  it('replaces what a Case Review applicant wrote, and a representative\'s relationship, keeping the application valid', () => {
    const detail = {
      eventId: 'cr-1',
      occurredAt: '2024-05-14T21:30:00+01:00',
      schemaVersion: 1,
      actor: { kind: 'public' },
      reviewId: 'review-1',
      applicantRef: 'contact-abc',
      hateIncident: false,
      description: 'Shouting at my door every night since March',
      complaints: [{ reportedTo: 'council', incidentOn: '2024-04-01', reportedOn: '2024-04-02' }],
      thirdParty: { representativeRef: 'contact-def', relationship: 'Her son, who lives next door', victimConsent: true },
    };
    expect(CaseReviewRequested.detail.safeParse(detail).success).toBe(true);
    const event: ArchivedEnvelope = { source: 'safer-communities.case-review', 'detail-type': 'CaseReviewRequested', id: 'env-cr-1', time: '2024-05-15T10:00:00Z', detail };
    expect(carriesPublicText(event)).toBe(true);
    const redacted = redact(event).detail as typeof detail;
    expect(redacted.description).toBe(REDACTED_TEXT);
    expect(redacted.thirdParty.relationship).toBe(REDACTED_TEXT);
    expect(redacted.complaints).toEqual(detail.complaints);
    expect(CaseReviewRequested.detail.safeParse(redacted).success).toBe(true);
  });
});

describe('unit: archive groups', () => {
  it('makes one events/ object per day, and a public-text/ object for the days that have such text', () => {
    const objects = groupObjects([
      pending('2024-05-15', envelope('ReportReceived', reportDetail('b'))),
      pending('2024-05-15', envelope('CaseOpened', { eventId: 'a' })),
      pending('2024-05-16', envelope('CaseOpened', { eventId: 'c' })),
    ]);
    expect(objects.map((o) => o.key.replace(/events-[0-9a-f]{16}/, 'events-*'))).toEqual([
      'public-text/year=2024/month=05/day=15/events-*.jsonl',
      'events/year=2024/month=05/day=15/events-*.jsonl',
      'events/year=2024/month=05/day=16/events-*.jsonl',
    ]);
    const [text, day15] = objects;
    expect(text?.body.trim().split('\n').map((l) => JSON.parse(l).detail.description)).toEqual(['A mattress by the gate of number 4']);
    expect(day15?.body.trim().split('\n').map((l) => JSON.parse(l).detail.eventId)).toEqual(['a', 'b']);
    expect(day15?.body).not.toContain('mattress');
    // Sealed once the long-term object holding the event is written.
    expect(day15?.sealing).toEqual([
      { eventId: 'a', sealedIn: day15?.key },
      { eventId: 'b', sealedIn: day15?.key },
    ]);
    expect(text?.sealing).toEqual([]);
  });

  it('gives the same keys and bytes for the same events in any order, with each eventId once', () => {
    const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(ids, fc.array(fc.nat(), { maxLength: 10 }), fc.integer(), (eventIds, repeats, seed) => {
        const events = eventIds.map((id, i) => pending('2024-05-15', envelope(i % 2 ? 'ReportReceived' : 'CaseOpened', i % 2 ? reportDetail(id) : { eventId: id })));
        const redelivered = [...events, ...repeats.map((r) => events[r % events.length] as PendingEvent)];
        const shuffled = [...redelivered].sort((a, b) => ((a.eventId.charCodeAt(0) * 31 + seed) % 7) - ((b.eventId.charCodeAt(0) * 31 + seed) % 7));
        const once = groupObjects(events);
        const again = groupObjects(shuffled);
        expect(again.map((o) => [o.key, o.body])).toEqual(once.map((o) => [o.key, o.body]));
        const longTerm = once.find((o) => o.key.startsWith('events/'));
        expect(longTerm?.body.trim().split('\n')).toHaveLength(eventIds.length);
      }),
    );
  });

  it('names a group by its day and eventIds, whatever their order', () => {
    expect(groupKey('events/', '2024-05-15', ['b', 'a'])).toBe(groupKey('events/', '2024-05-15', ['a', 'b']));
    expect(groupKey('events/', '2024-05-15', ['a', 'b'])).not.toBe(groupKey('events/', '2024-05-15', ['a', 'c']));
    expect(groupKey('events/', '2024-05-15', ['a'])).not.toBe(groupKey('events/', '2024-05-16', ['a']));
  });
});
