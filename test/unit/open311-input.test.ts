import { describe, expect, it } from 'vitest';
import { monthsBetween, parseListingQuery } from '../../functions/open311/listing-query.ts';
import { parseRequestFields } from '../../functions/open311/request-input.ts';
import { serviceDefinition, services } from '../../functions/open311/services.ts';
import { categories } from '#events/intake';

const now = new Date('2024-05-14T12:00:00Z');
const base = { service_code: 'enviro.fly-tipping', lat: '52.7661', long: '-0.8863', description: 'Sofa and bags by the gate' };

const errorsOf = (result: ReturnType<typeof parseRequestFields>) => (result.ok ? [] : result.errors.map((e) => e.field));

describe('unit: Open311 services', () => {
  it('offers every category as a service, grouped, each with the hate question', () => {
    expect(services.map((s) => s.service_code)).toEqual(categories);
    expect(services.find((s) => s.service_code === 'asb.noise')).toMatchObject({ group: 'Anti-social behaviour', metadata: true, type: 'realtime' });
    const codes = serviceDefinition('asb.rowdy').attributes.map((a) => a.code);
    expect(codes).toEqual(['hate_motivated', 'occurred_at']);
  });
});

describe('unit: Open311 POST requests fields', () => {
  it('reads a map point, an anonymous reporter and the time of the request', () => {
    const result = parseRequestFields(base, now);
    expect(result).toEqual({
      ok: true,
      value: {
        report: {
          category: 'enviro.fly-tipping',
          description: 'Sofa and bags by the gate',
          occurredAt: now.toISOString(),
          location: { lat: 52.7661, lng: -0.8863 },
          hateMotivated: false,
        },
      },
    });
  });

  it('reads an address, contact fields, the attributes and a media URL', () => {
    const result = parseRequestFields(
      {
        service_code: 'asb.neighbour',
        address_string: '4 Mill Lane, LE14 2QX',
        description: 'Shouting every night',
        first_name: 'Jo',
        last_name: 'Bloggs',
        email: 'jo@example.com',
        'attribute[hate_motivated]': 'yes',
        'attribute[occurred_at]': '2024-05-13T23:10:00+01:00',
        media_url: 'https://photos.example.com/p/1.jpg',
        jurisdiction_id: 'ignored.gov.uk',
      },
      now,
    );
    expect(result.ok && result.value).toEqual({
      report: {
        category: 'asb.neighbour',
        description: 'Shouting every night',
        occurredAt: '2024-05-13T23:10:00+01:00',
        location: { text: '4 Mill Lane, LE14 2QX' },
        hateMotivated: true,
        contact: { name: 'Jo Bloggs', email: 'jo@example.com', consentToContact: true },
      },
      mediaUrl: 'https://photos.example.com/p/1.jpg',
    });
  });

  it('does not treat a name alone as consent to be contacted', () => {
    const result = parseRequestFields({ ...base, first_name: 'Jo' }, now);
    expect(result.ok && result.value.report.contact).toEqual({ name: 'Jo', consentToContact: false });
  });

  it('names each field that is wrong', () => {
    expect(errorsOf(parseRequestFields({ ...base, service_code: 'asb.unknown' }, now))).toEqual(['service_code']);
    expect(errorsOf(parseRequestFields({ service_code: 'asb.rowdy', description: 'x' }, now))).toEqual(['lat']);
    expect(errorsOf(parseRequestFields({ ...base, long: '' }, now))).toEqual(['long']);
    expect(errorsOf(parseRequestFields({ ...base, lat: '91' }, now))).toEqual(['lat']);
    expect(errorsOf(parseRequestFields({ ...base, lat: '1e3' }, now))).toEqual(['lat']);
    expect(errorsOf(parseRequestFields({ ...base, description: 'x'.repeat(4001) }, now))).toEqual(['description']);
    expect(errorsOf(parseRequestFields({ ...base, description: '   ' }, now))).toEqual(['description']);
    expect(errorsOf(parseRequestFields({ ...base, email: 'not-an-email' }, now))).toEqual(['email']);
    expect(errorsOf(parseRequestFields({ ...base, media_url: 'javascript:alert(1)' }, now))).toEqual(['media_url']);
    expect(errorsOf(parseRequestFields({ ...base, 'attribute[hate_motivated]': 'maybe' }, now))).toEqual(['attribute[hate_motivated]']);
    expect(errorsOf(parseRequestFields({ ...base, 'attribute[occurred_at]': '2024-06-01T00:00:00Z' }, now))).toEqual(['attribute[occurred_at]']);
    expect(errorsOf(parseRequestFields({ ...base, 'attribute[occurred_at]': '1900-06-01T00:00:00Z' }, now))).toEqual(['attribute[occurred_at]']);
    expect(errorsOf(parseRequestFields({ ...base, description: ['a', 'b'] }, now))).toEqual(['description']);
  });

  it('accepts a description of exactly 4,000 characters', () => {
    expect(parseRequestFields({ ...base, description: 'x'.repeat(4000) }, now).ok).toBe(true);
  });
});

describe('unit: Open311 GET requests filters', () => {
  const q = (query: Record<string, string>) => parseListingQuery(query, now);

  it('defaults to the last 90 days', () => {
    const result = q({});
    expect(result.ok && result.value).toEqual({ kind: 'range', from: new Date('2024-02-14T12:00:00Z'), to: now });
  });

  it('lets service_request_id override every other filter', () => {
    expect(q({ service_request_id: 'sc-abcd-1234, SC-WXYZ-0000', status: 'bogus' })).toEqual({
      ok: true,
      value: { kind: 'ids', ids: ['SC-ABCD-1234', 'SC-WXYZ-0000'] },
    });
  });

  it('reads service codes, statuses and a range of up to 90 days', () => {
    const result = q({
      service_code: 'asb.noise,enviro.graffiti',
      status: 'open,closed',
      start_date: '2024-01-01T00:00:00Z',
      end_date: '2024-03-31T00:00:00Z',
    });
    expect(result.ok && result.value).toEqual({
      kind: 'range',
      from: new Date('2024-01-01T00:00:00Z'),
      to: new Date('2024-03-31T00:00:00Z'),
      serviceCodes: new Set(['asb.noise', 'enviro.graffiti']),
      statuses: new Set(['open', 'closed']),
    });
  });

  it('refuses a range over 90 days, the wrong way round, or not a date-time', () => {
    const fields = (query: Record<string, string>) => {
      const r = q(query);
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(fields({ start_date: '2024-01-01T00:00:00Z', end_date: '2024-04-01T00:00:01Z' })).toEqual(['end_date']);
    expect(fields({ start_date: '2024-03-01T00:00:00Z', end_date: '2024-02-01T00:00:00Z' })).toEqual(['start_date']);
    expect(fields({ start_date: '2024-01-01' })).toEqual(['start_date']);
    expect(fields({ status: 'pending' })).toEqual(['status']);
    expect(fields({ service_code: 'asb.noise,nope' })).toEqual(['service_code']);
    expect(fields({ service_request_id: '' })).toEqual(['service_request_id']);
    expect(fields({ service_request_id: 'a/b' })).toEqual(['service_request_id']);
  });

  it('lists the UTC months a range touches, newest first', () => {
    expect(monthsBetween(new Date('2024-01-31T23:00:00Z'), new Date('2024-04-30T00:00:00Z'))).toEqual(['2024-04', '2024-03', '2024-02', '2024-01']);
    expect(monthsBetween(new Date('2023-12-15T00:00:00Z'), new Date('2024-01-02T00:00:00Z'))).toEqual(['2024-01', '2023-12']);
  });
});
