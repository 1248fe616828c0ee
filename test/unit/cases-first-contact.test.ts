import { describe, expect, it } from 'vitest';
import { TeamActionRecorded } from '#events/enforcement';
import { sampleFor } from '#events/samples';
import { isFirstContact } from '../../functions/cases/case-projection.ts';
import { CATEGORY_C_WORKING_DAYS, firstContactDueBy, firstContactTargetsFrom } from '../../functions/cases/first-contact-targets.ts';
import type { ProjectedEvent } from '../../functions/cases/report-projection.ts';

describe('unit: first-contact targets are settings for A and B, the report\'s 5 working days for C', () => {
  it('defaults A to 1 and B to 3 working days when nothing is set', () => {
    expect(firstContactTargetsFrom({})).toEqual({ A: 1, B: 3, C: 5 });
  });

  it('reads A and B from the settings and never changes C', () => {
    const targets = firstContactTargetsFrom({ SC_FIRST_CONTACT_DAYS_A: '0', SC_FIRST_CONTACT_DAYS_B: ' 4 ', SC_FIRST_CONTACT_DAYS_C: '9' });
    expect(targets).toEqual({ A: 0, B: 4, C: CATEGORY_C_WORKING_DAYS });
    // Monday 3 June 2024: A the same day, B four working days on, C five.
    expect(firstContactDueBy('2024-06-03T09:00:00+01:00', 'A', targets)).toBe('2024-06-03');
    expect(firstContactDueBy('2024-06-03T09:00:00+01:00', 'B', targets)).toBe('2024-06-07');
    expect(firstContactDueBy('2024-06-03T09:00:00+01:00', 'C', targets)).toBe('2024-06-10');
  });

  it.each(['x', '-1', '2.5', '21'])('refuses the setting %s with a message naming it', (raw) => {
    expect(() => firstContactTargetsFrom({ SC_FIRST_CONTACT_DAYS_B: raw })).toThrow(/SC_FIRST_CONTACT_DAYS_B/);
  });
});

describe('unit: first contact means contact with the complainant', () => {
  const contact = (over: Partial<ReturnType<typeof sampleFor<typeof TeamActionRecorded>>>) =>
    ({ source: TeamActionRecorded.source, detailType: 'TeamActionRecorded', detail: { ...sampleFor(TeamActionRecorded), ...over } }) as ProjectedEvent;

  it('counts a call, visit, letter, e-mail or meeting with the complainant', () => {
    for (const actionType of ['visit', 'call', 'letter', 'email', 'meeting'] as const) expect(isFirstContact(contact({ actionType, contactWith: 'complainant' }))).toBe(true);
  });

  it('does not count contact with the person complained about, anyone else, unnamed contact or an inspection', () => {
    expect(isFirstContact(contact({ actionType: 'visit', contactWith: 'subject' }))).toBe(false);
    expect(isFirstContact(contact({ actionType: 'call', contactWith: 'partner' }))).toBe(false);
    expect(isFirstContact(contact({ actionType: 'call', contactWith: undefined }))).toBe(false);
    expect(isFirstContact(contact({ actionType: 'inspection', contactWith: 'complainant' }))).toBe(false);
  });
});
