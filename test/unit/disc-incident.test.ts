import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReportReceived } from '#events/intake';
import { discIncidentV1, incidentCategories, incidentTypes } from '../../functions/disc/incident.ts';
import { toReportReceived } from '../../functions/disc/map-incident.ts';
import { normaliseName, redactNames, subjectRef } from '../../functions/disc/subjects.ts';

const subjectKey = 'subject-key-for-unit-tests-0123456789abcdef';

const incident = (over: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  incidentId: 'INC-2024-0001',
  incidentType: 'theft',
  occurredAt: '2024-05-14T16:20:00+01:00',
  premises: { name: 'Corner Mini-Market', address: '12 High Street', postcode: 'le1 5ww' },
  description: 'John Smith took two bottles of whisky and left. Smith has done this before.',
  subjects: [{ name: 'John Smith' }],
  ...over,
});

const mapped = (over: Record<string, unknown> = {}, key = subjectKey) => toReportReceived(discIncidentV1.parse(incident(over)), key, 'default');

describe('unit: DISC incident format v1', () => {
  it('accepts a complete incident and defaults subjects and hateMotivated', () => {
    const { subjects: _s, ...bare } = incident();
    const parsed = discIncidentV1.parse(bare);
    expect(parsed.subjects).toEqual([]);
    expect(parsed.hateMotivated).toBe(false);
  });

  it('refuses incident types outside the retail scheme with a message listing the accepted ones', () => {
    const result = discIncidentV1.safeParse(incident({ incidentType: 'intelligence' }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('theft, attempted-theft');
  });

  it('refuses a version it does not read, a subject with neither id nor name, and half a map point', () => {
    expect(discIncidentV1.safeParse(incident({ schemaVersion: 2 })).success).toBe(false);
    expect(discIncidentV1.safeParse(incident({ subjects: [{}] })).success).toBe(false);
    expect(discIncidentV1.safeParse(incident({ premises: { name: 'Shop', lat: 52.6 } })).success).toBe(false);
    expect(discIncidentV1.safeParse(incident({ occurredAt: '2024-05-14 16:20' })).success).toBe(false);
  });

  it('refuses an incident dated before 2000 or in the future, as every event\'s envelope would', () => {
    expect(discIncidentV1.safeParse(incident({ occurredAt: '1900-05-14T16:20:00+01:00' })).success).toBe(false);
    expect(discIncidentV1.safeParse(incident({ occurredAt: new Date(Date.now() + 3_600_000).toISOString() })).success).toBe(false);
  });
});

describe('unit: DISC incident to ReportReceived', () => {
  it('maps every accepted incident type to a retail category', () => {
    for (const type of incidentTypes) {
      const detail = mapped({ incidentType: type });
      expect(detail.category).toBe(incidentCategories[type]);
      expect(detail.category.startsWith('retail.')).toBe(true);
    }
    expect(mapped({ incidentType: 'attempted-theft' }).category).toBe('retail.theft');
    expect(mapped({ incidentType: 'verbal-abuse' }).category).toBe('retail.abuse');
  });

  it('makes a valid ReportReceived with channel disc and the premises as its location', () => {
    const detail = mapped();
    const checked = ReportReceived.detail.parse({ ...detail, schemaVersion: 1 });
    expect(checked).toMatchObject({
      channel: 'disc',
      category: 'retail.theft',
      location: { text: 'Corner Mini-Market, 12 High Street', postcode: 'LE1 5WW' },
      reporter: { anonymous: true },
      actor: { kind: 'partner', organisation: 'disc' },
      occurredAt: '2024-05-14T16:20:00+01:00',
    });
    expect(detail.description.startsWith('[DISC incident INC-2024-0001: theft] ')).toBe(true);
    expect(detail.reference).toMatch(/^SC-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  it('gives the same ids when DISC sends the same incident again, and different ids for another incident', () => {
    const a = mapped();
    const b = mapped({ description: 'Sent again after a timeout' });
    const c = mapped({ incidentId: 'INC-2024-0002' });
    expect([b.eventId, b.reportId, b.reference]).toEqual([a.eventId, a.reportId, a.reference]);
    expect(c.eventId).not.toBe(a.eventId);
    expect(c.reportId).not.toBe(a.reportId);
  });

  it('replaces the named subject, whole and in part, with its subjectRef', () => {
    const detail = mapped();
    const [ref] = detail.subjectRefs;
    expect(ref).toMatch(/^sr_[A-Za-z0-9_-]{22}$/);
    expect(detail.description).not.toMatch(/john|smith/i);
    expect(detail.description).toContain(`[${ref}] took two bottles`);
    expect(detail.description).toContain(`[${ref}] has done this before`);
    expect(JSON.stringify(detail)).not.toMatch(/john|smith/i);
  });

  it('gives a person the same subjectRef across incidents however the name is written, and another key gives another ref', () => {
    const a = mapped({ subjects: [{ name: 'John Smith' }] }).subjectRefs[0];
    const b = mapped({ incidentId: 'INC-9', subjects: [{ name: '  JOHN   smith ' }] }).subjectRefs[0];
    expect(b).toBe(a);
    expect(mapped({}, 'another-subject-key-0123456789abcdefghij').subjectRefs[0]).not.toBe(a);
    expect(normaliseName("Seán  O'Neill-Brown")).toBe('seán oneillbrown');
  });

  it("prefers DISC's subject id for the ref when it is given", () => {
    const byId = subjectRef(subjectKey, { discSubjectId: 'P-77', name: 'John Smith' });
    expect(byId).toBe(subjectRef(subjectKey, { discSubjectId: 'P-77', name: 'J. Smith' }));
    expect(byId).not.toBe(subjectRef(subjectKey, { name: 'John Smith' }));
  });

  it('leaves words that merely contain a name alone', () => {
    expect(redactNames('Annual stock-take; Ann was there', [{ name: 'Ann', ref: 'sr_x' }])).toBe('Annual stock-take; [sr_x] was there');
  });

  it('keeps the description within the event limit however long the refs make it', () => {
    const names = Array.from({ length: 20 }, (_, i) => ({ name: `Zed${String.fromCharCode(97 + i)}` }));
    const text = names.map((n) => n.name).join(' ').repeat(40).slice(0, 3800);
    const detail = mapped({ subjects: names, description: text });
    expect([...detail.description].length).toBeLessThanOrEqual(4000);
    expect(ReportReceived.detail.safeParse({ ...detail, schemaVersion: 1 }).success).toBe(true);
  });

  it('never lets a subject name through to the event (property)', () => {
    const part = fc.stringMatching(/^[A-Z][a-z]{2,9}$/);
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 3 }), fc.array(word, { maxLength: 30 }), fc.nat(30), (parts, words, at) => {
        const name = parts.join(' ');
        const text = [...words.slice(0, at), name, ...words.slice(at), parts.at(-1) ?? ''].join(' ');
        const detail = toReportReceived(
          discIncidentV1.parse(incident({ description: text, subjects: [{ name }] })),
          subjectKey,
          'default',
        );
        const body = detail.description.slice(detail.description.indexOf(']') + 1).replace(/\[sr_[A-Za-z0-9_-]{22}\]/g, ' ');
        for (const p of parts) expect(body.toLowerCase().split(/[^a-z]+/)).not.toContain(p.toLowerCase());
      }),
    );
  });
});
