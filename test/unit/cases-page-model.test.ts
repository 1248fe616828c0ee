import { describe, expect, it } from 'vitest';
import { RuleViolationError, ValidationError } from '#shared/errors';
import { actionFromForm, describe as describeEvent, onActionForm, triageFromForm } from '../../functions/cases/page-model.ts';
import { triageInput } from '../../functions/cases/triage.ts';

const now = new Date('2024-06-10T10:00:00Z'); // 11:00 BST

describe('unit: the action form', () => {
  it('turns a CPW into the API body with its comply-by date when filled in', () => {
    const { body, issues } = actionFromForm(
      { action: 'WarningIssued:CPW', subjectRef: ' subject-a ', subjectAge: '34', 'complyBy-day': '24', 'complyBy-month': '6', 'complyBy-year': '2024', 'expiresAt-day': '', notes: '' },
      now,
    );
    expect(issues).toEqual([]);
    expect(body).toEqual({ detailType: 'WarningIssued', warningType: 'CPW', subjectRef: 'subject-a', subjectAge: 34, complyBy: '2024-06-24' });
  });

  it('leaves occurredAt to the service when the date is blank or today without a time', () => {
    expect(actionFromForm({ action: 'TeamActionRecorded:visit' }, now).body).toEqual({ detailType: 'TeamActionRecorded', actionType: 'visit' });
    expect(actionFromForm({ action: 'TeamActionRecorded:visit', 'occurred-day': '10', 'occurred-month': '6', 'occurred-year': '2024' }, now).body).not.toHaveProperty('occurredAt');
  });

  it('reads a past date and time as London time across BST', () => {
    const summer = actionFromForm({ action: 'TeamActionRecorded:call', 'occurred-day': '3', 'occurred-month': '6', 'occurred-year': '2024', 'occurred-time': '9:30pm' }, now);
    expect(summer.body?.occurredAt).toBe('2024-06-03T21:30:00+01:00');
    const winter = actionFromForm({ action: 'TeamActionRecorded:call', 'occurred-day': '3', 'occurred-month': '1', 'occurred-year': '2024' }, now);
    expect(winter.body?.occurredAt).toBe('2024-01-03T12:00:00+00:00');
    const timeOnly = actionFromForm({ action: 'TeamActionRecorded:call', 'occurred-time': '08:15' }, now);
    expect(timeOnly.body?.occurredAt).toBe('2024-06-10T08:15:00+01:00');
  });

  it('says what is wrong with a missing action, a half-filled date, a bad age and a bad time', () => {
    const { body, issues } = actionFromForm({ 'complyBy-day': '31', 'complyBy-month': '2', 'complyBy-year': '2024', subjectAge: 'seventeen', 'occurred-time': '25:00', 'expiresAt-day': '1' }, now);
    expect(body).toBeUndefined();
    expect(issues.map((i) => i.path).sort()).toEqual(['action', 'complyBy', 'expiresAt', 'occurredAt', 'subjectAge']);
    expect(issues.find((i) => i.path === 'expiresAt')?.message).toContain('month and a year');
    expect(issues.find((i) => i.path === 'complyBy')?.message).toContain('real date');
  });

  it('takes the offence only for a fixed penalty and the service only for a referral', () => {
    expect(actionFromForm({ action: 'FixedPenaltyIssued', offence: 'littering', service: 'x', subjectRef: 's' }, now).body).toEqual({ detailType: 'FixedPenaltyIssued', offence: 'littering', subjectRef: 's' });
    expect(actionFromForm({ action: 'ReferralMade', offence: 'littering', service: 'Youth Service', internal: 'no' }, now).body).toEqual({
      detailType: 'ReferralMade',
      service: 'Youth Service',
      internal: false,
    });
  });

  it('refuses an action that is not one of the choices', () => {
    expect(actionFromForm({ action: 'CaseOpened' }, now).issues).toEqual([{ path: 'action', message: 'choose what you did' }]);
  });
});

describe('unit: errors on the action form', () => {
  it('puts each broken rule next to the field it is about', () => {
    expect(onActionForm(new RuleViolationError('cpn-needs-cpw', 'needs a CPW'))).toEqual([{ path: 'action', message: 'needs a CPW' }]);
    expect(onActionForm(new RuleViolationError('cpn-before-comply-by', 'too early'))[0]?.path).toBe('occurredAt');
    expect(onActionForm(new RuleViolationError('closure-order-over-3-months', 'too long'))[0]?.path).toBe('expiresAt');
    expect(onActionForm(new RuleViolationError('cpw-recipient-under-16', 'too young'))[0]?.path).toBe('subjectAge');
    expect(onActionForm(new RuleViolationError('something-new', 'new rule'))[0]?.path).toBe('action');
  });

  it('asks for a missing field in words when the contract says it is undefined', () => {
    const error = new ValidationError('invalid', [
      { path: 'subjectRef', message: 'Invalid input: expected string, received undefined' },
      { path: 'warningType', message: 'Invalid option' },
    ]);
    expect(onActionForm(error)).toEqual([
      { path: 'subjectRef', message: 'enter the person or premises reference' },
      { path: 'action', message: 'Invalid option' },
    ]);
  });
});

describe('unit: the triage form', () => {
  it('turns each choice into a body the triage schema accepts', () => {
    expect(triageInput.safeParse(triageFromForm({ action: 'open-case', kind: 'asb', owner: 'safer-communities', category: '', hateRelated: 'yes' })).data).toEqual({
      action: 'open-case',
      kind: 'asb',
      owner: 'safer-communities',
      hateRelated: true,
    });
    expect(triageInput.safeParse(triageFromForm({ action: 'link', caseId: 'case-2024-0001', service: 'ignored' })).data).toEqual({ action: 'link', caseId: 'case-2024-0001' });
    expect(triageInput.safeParse(triageFromForm({ action: 'refer', service: 'Police', reason: '' })).data).toEqual({ action: 'refer', service: 'Police' });
  });

  it('gives messages a person can act on when fields are missing', () => {
    const issues = triageInput.safeParse(triageFromForm({ action: 'link' })).error?.issues ?? [];
    expect(issues.map((i) => i.message)).toEqual(['enter the case reference, like case-2024-0012']);
    expect(triageInput.safeParse(triageFromForm({})).error?.issues[0]?.message).toMatch(/^choose what should happen/);
  });
});

describe('unit: timeline wording', () => {
  const base = { eventId: 'e1', occurredAt: '2024-06-03T09:00:00Z', source: 'safer-communities.enforcement', actor: { kind: 'officer' as const, id: 'o1' } };

  it('describes warnings, penalties and orders in words', () => {
    expect(describeEvent({ ...base, detailType: 'WarningIssued', warningType: 'CPW', subjectRef: 's1', subjectAge: 19, complyBy: '2024-06-17' })).toEqual({
      what: 'Community Protection Warning (CPW)',
      details: 'to s1 (aged 19); comply by 17 June 2024',
    });
    expect(describeEvent({ ...base, detailType: 'FixedPenaltyIssued', offence: 'fly-tipping', amountPence: 100_000, subjectRef: 's2' }).details).toBe('to s2; fly tipping, £1,000');
    expect(describeEvent({ ...base, detailType: 'CourtOrderObtained', orderType: 'closure-order', expiresAt: '2024-09-03' })).toEqual({ what: 'Closure order', details: 'until 3 September 2024' });
    expect(describeEvent({ ...base, detailType: 'TeamActionRecorded', actionType: 'visit', subjectRef: 's1' })).toEqual({ what: 'Visit', details: 'about s1' });
  });
});
