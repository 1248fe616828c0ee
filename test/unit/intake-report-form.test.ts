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
  'location-postcode': 'le15ww',
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
    expect(parsed.location).toEqual({ postcode: 'LE1 5WW' });
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
    [{ 'when-time': '' }, 'when-time', 'enter the time it happened, like 9:30pm or 21:30'],
    [{ 'when-time': 'late' }, 'when-time', 'enter the time it happened as a time of day, like 9:30pm or 21:30'],
    [{ consentToContact: '' }, 'consentToContact', 'select yes if you want us to contact you about this report'],
  ])('says what is wrong when the form has %j', (overrides, path, message) => {
    expect(parseReportForm(form(overrides)).issues).toContainEqual({ path, message });
  });

  it('refuses a postcode that is not one', () => {
    const result = reportInputSchema.safeParse(parseReportForm(form({ 'location-postcode': 'NOT A CODE' })).input);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['location.postcode', 'enter a real postcode, like LE1 5WW']]);
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
