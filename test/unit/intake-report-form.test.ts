import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseReportForm, parseTime, reportInputSchema } from '../../functions/intake/report-input.ts';
import { reportFormErrors } from '../../functions/intake/report-views.ts';

const form = (overrides: Record<string, string> = {}) => ({
  category: 'enviro.fly-tipping',
  description: 'Sofa by the gate',
  'when-day': '14',
  'when-month': '5',
  'when-year': '2024',
  'when-time': '9:30pm',
  'location-postcode': 'le131gh',
  hateMotivated: 'no',
  consentToContact: 'no',
  ...overrides,
});

describe('unit: times people type', () => {
  it.each([
    ['21:30', { hour: 21, minute: 30 }],
    ['9:30pm', { hour: 21, minute: 30 }],
    ['9.30 PM', { hour: 21, minute: 30 }],
    ['9pm', { hour: 21, minute: 0 }],
    ['12am', { hour: 0, minute: 0 }],
    ['12:15pm', { hour: 12, minute: 15 }],
    ['midnight', { hour: 0, minute: 0 }],
    ['noon', { hour: 12, minute: 0 }],
    ['07:05', { hour: 7, minute: 5 }],
  ])('reads %s', (text, expected) => {
    expect(parseTime(text)).toEqual(expected);
  });

  it.each(['9', '25:00', '13pm', '0am', '9:60', 'teatime', '', '21:3'])('refuses %j', (text) => {
    expect(parseTime(text)).toBeUndefined();
  });
});

describe('unit: the report form read into the report input', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-06-01T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives occurredAt in London time with its offset and a tidied postcode', () => {
    const { input, issues } = parseReportForm(form());
    expect(issues).toEqual([]);
    const parsed = reportInputSchema.parse(input);
    expect(parsed.occurredAt).toBe('2024-05-14T21:30:00+01:00');
    expect(parsed.location).toEqual({ postcode: 'LE13 1GH' });
    expect(parsed.occurredAtApproximate).toBeUndefined();
    expect(parsed.contact).toBeUndefined();
  });

  it('keeps no contact details when the person chose to stay anonymous, even if fields were filled', () => {
    const { input } = parseReportForm(form({ consentToContact: 'no', 'contact-email': 'jo@example.com', 'contact-name': 'Jo' }));
    expect(JSON.stringify(input)).not.toContain('jo@example.com');
    expect(reportInputSchema.parse(input).contact).toBeUndefined();
  });

  it('reads contact details when the person wants to be contacted', () => {
    const { input } = parseReportForm(form({ consentToContact: 'yes', 'contact-phone': '01632 960 001' }));
    expect(reportInputSchema.parse(input).contact).toEqual({ phone: '01632 960 001', consentToContact: true });
  });

  it.each([
    [{ 'when-day': '', 'when-month': '', 'when-year': '' }, 'when', 'enter the date it happened'],
    [{ 'when-month': '' }, 'when.month', 'the date it happened must include a month'],
    [{ 'when-day': '', 'when-year': '' }, 'when.day', 'the date it happened must include a day and a year'],
    [{ 'when-day': '31', 'when-month': '2' }, 'when', 'the date it happened must be a real date'],
    [{ 'when-year': '24' }, 'when.year', 'the year must include 4 numbers, like 2024'],
    [{ 'when-day': '2', 'when-month': '6' }, 'when', 'the date it happened must be today or in the past'],
    [{ 'when-day': '1', 'when-month': '6', 'when-time': '11:30pm' }, 'when-time', 'the time it happened must be now or earlier today'],
    [{ 'when-day': '', 'when-month': '', 'when-year': '', 'when-time': '' }, 'when', 'enter the date it happened, or if you do not know it, choose roughly when'],
    [{ 'when-day': '', 'when-month': '', 'when-year': '', 'when-time': '', 'when-rough': 'yesterday' }, 'when', 'enter the date it happened, or if you do not know it, choose roughly when'],
    [{ 'when-time': 'late' }, 'when-time', 'enter the time as a time of day, like 9:30pm or 21:30, or a part of the day, like evening; or leave it empty'],
    [{ category: 'asb.noise', hateMotivated: '' }, 'hateMotivated', 'select yes if you think it happened because of hostility to who someone is'],
    [{ consentToContact: '' }, 'consentToContact', 'select yes if you want us to contact you about this report'],
  ])('says what is wrong when the form has %j', (overrides, path, message) => {
    expect(parseReportForm(form(overrides)).issues).toContainEqual({ path, message });
  });

  it('refuses a postcode that is not one', () => {
    const result = reportInputSchema.safeParse(parseReportForm(form({ 'location-postcode': 'NOT A CODE' })).input);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['location.postcode', 'enter a real postcode, like LE13 1GH']]);
  });

  it('takes a date with no time as noon that day, marked approximate', () => {
    const { input, issues, whenText } = parseReportForm(form({ 'when-time': '' }));
    expect(issues).toEqual([]);
    expect(reportInputSchema.parse(input)).toMatchObject({ occurredAt: '2024-05-14T12:00:00+01:00', occurredAtApproximate: true });
    expect(whenText).toBe('14 May 2024 (time not known)');
  });

  it.each([
    ['morning', '2024-05-14T09:00:00+01:00', '14 May 2024, in the morning'],
    ['Afternoon', '2024-05-14T15:00:00+01:00', '14 May 2024, in the afternoon'],
    ['evening', '2024-05-14T20:00:00+01:00', '14 May 2024, in the evening'],
    ['night', '2024-05-14T23:00:00+01:00', '14 May 2024, at night'],
  ])('takes the part of the day %j as its middle, marked approximate', (part, occurredAt, text) => {
    const { input, whenText } = parseReportForm(form({ 'when-time': part }));
    expect(reportInputSchema.parse(input)).toMatchObject({ occurredAt, occurredAtApproximate: true });
    expect(whenText).toBe(text);
  });

  it('takes "evening" today, before the evening has come, as now', () => {
    const { input, issues } = parseReportForm(form({ 'when-day': '1', 'when-month': '6', 'when-time': 'evening' }));
    expect(issues).toEqual([]);
    expect(reportInputSchema.parse(input)).toMatchObject({ occurredAt: '2024-06-01T12:00:00.000Z', occurredAtApproximate: true });
  });

  it.each([
    ['days', '2024-05-29T12:00:00.000Z', 'In the last few days (you did not know the date)'],
    ['month', '2024-05-17T12:00:00.000Z', 'In the last month (you did not know the date)'],
    ['older', '2024-04-02T12:00:00.000Z', 'More than a month ago (you did not know the date)'],
  ])('takes "I do not know the date: %s" as a point that many days back, marked approximate', (rough, occurredAt, text) => {
    const { input, issues, whenText } = parseReportForm(form({ 'when-day': '', 'when-month': '', 'when-year': '', 'when-time': '', 'when-rough': rough }));
    expect(issues).toEqual([]);
    expect(reportInputSchema.parse(input)).toMatchObject({ occurredAt, occurredAtApproximate: true });
    expect(whenText).toBe(text);
  });

  it('lets a date given win over a rough period also chosen', () => {
    const { input } = parseReportForm(form({ 'when-rough': 'older' }));
    expect(reportInputSchema.parse(input)).toMatchObject({ occurredAt: '2024-05-14T21:30:00+01:00' });
  });

  it('ignores the hate question for a category it does not fit, and requires it where it fits', () => {
    const { input, issues } = parseReportForm(form({ category: 'enviro.dog-fouling', hateMotivated: 'yes' }));
    expect(issues).toEqual([]);
    expect(reportInputSchema.parse(input).hateMotivated).toBe(false);
    const unanswered = parseReportForm(form({ category: 'enviro.fly-tipping', hateMotivated: '' }));
    expect(unanswered.issues).toEqual([]);
    expect(reportInputSchema.parse(unanswered.input).hateMotivated).toBe(false);
    for (const category of ['asb.rowdy', 'retail.abuse', 'other.referral', 'enviro.graffiti']) {
      expect(parseReportForm(form({ category, hateMotivated: '' })).issues.map((i) => i.path)).toEqual(['hateMotivated']);
      expect(reportInputSchema.parse(parseReportForm(form({ category, hateMotivated: 'yes' })).input).hateMotivated).toBe(true);
    }
  });

  it('requires the hate answer in JSON where it fits the category only', () => {
    const json = { category: 'asb.noise', description: 'Music', occurredAt: '2024-05-14T21:30:00+01:00', location: { postcode: 'LE13 1GH' } };
    expect(reportInputSchema.safeParse(json).error?.issues.map((i) => i.path.join('.'))).toEqual(['hateMotivated']);
    expect(reportInputSchema.safeParse({ ...json, category: 'enviro.littering' }).success).toBe(true);
    expect(reportInputSchema.safeParse({ ...json, occurredAtApproximate: 'yes' }).success).toBe(false);
  });

  it('links each summary line to the field to fix, the date to its first wrong part', () => {
    const { errors, dateParts } = reportFormErrors([
      { path: 'hateMotivated', message: 'select yes if…' },
      { path: 'when.month', message: 'the date it happened must include a month' },
      { path: 'category', message: 'select what happened' },
      { path: 'location', message: 'give a postcode…' },
    ]);
    expect(errors.summary).toEqual([
      { text: 'Select what happened', href: '#category' },
      { text: 'The date it happened must include a month', href: '#when-month' },
      { text: 'Enter a postcode, describe the place, or give a point on a map', href: '#location-postcode' },
      { text: 'Select yes if…', href: '#hateMotivated' },
    ]);
    expect(dateParts).toEqual({ day: false, month: true, year: false });
  });

  it('shows the schema error on occurredAt against the date', () => {
    const { errors } = reportFormErrors([{ path: 'occurredAt', message: 'the date and time it happened must be in the past' }]);
    expect(errors.fields.when).toEqual({ text: 'The date and time it happened must be in the past' });
  });
});
