import { describe, expect, it } from 'vitest';
import { fromFormFields, newReference, reportInputSchema } from '../../functions/intake/report-input.ts';
import { receiveReport } from '../../functions/intake/receive.ts';
import { ReportReceived } from '#events/intake';

const valid = {
  category: 'enviro.fly-tipping',
  description: 'Sofa dumped by the gate',
  occurredAt: '2024-05-14T21:30:00+01:00',
  location: { postcode: 'LE13 1GH' },
  hateMotivated: false,
};

describe('unit: public report input', () => {
  it('accepts a report with only a map point as its location', () => {
    expect(reportInputSchema.safeParse({ ...valid, location: { lat: 52.6, lng: -1.1 } }).success).toBe(true);
  });

  it('refuses a location with none of postcode, description or map point', () => {
    const result = reportInputSchema.safeParse({ ...valid, location: { lat: 52.6 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/postcode, a description of the place, or a map point/);
  });

  it('asks for an email or phone when the reporter wants to be contacted', () => {
    const result = reportInputSchema.safeParse({ ...valid, contact: { name: 'Jo', consentToContact: true } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['contact', 'email']);
  });

  it('reads form fields into the same shape the JSON schema validates', () => {
    const input = fromFormFields({
      category: 'asb.noise',
      description: 'Loud music',
      occurredAt: '2024-05-14T23:00:00+01:00',
      'location-postcode': '',
      'location-text': 'Flat above the chip shop',
      'location-lat': '',
      hateMotivated: 'yes',
      'contact-email': 'jo@example.com',
      consentToContact: 'yes',
    });
    const parsed = reportInputSchema.parse(input);
    expect(parsed.location).toEqual({ text: 'Flat above the chip shop' });
    expect(parsed.hateMotivated).toBe(true);
    expect(parsed.contact).toEqual({ email: 'jo@example.com', consentToContact: true });
  });

  it('makes references from an alphabet without I, L, O or U', () => {
    const ref = newReference(() => Buffer.from([0, 18, 21, 24, 27, 31, 255, 100]));
    expect(ref).toMatch(/^SC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });
});

describe('unit: receive report use case', () => {
  it('puts only the contactRef in the event when contact details are given', async () => {
    const published: unknown[] = [];
    const input = reportInputSchema.parse({ ...valid, contact: { email: 'jo@example.com', consentToContact: true } });
    const out = await receiveReport(input, 'webform', {
      saveContact: async () => 'ct_token',
      publish: async (detail) => {
        published.push(detail);
      },
    });
    expect(published).toHaveLength(1);
    const detail = ReportReceived.detail.parse({ schemaVersion: 1, ...(published[0] as object) });
    expect(detail.reporter).toEqual({ anonymous: false, contactRef: 'ct_token' });
    expect(detail.reportId).toBe(out.reportId);
    expect(JSON.stringify(published[0])).not.toContain('jo@example.com');
  });

  it('marks the reporter anonymous and stores no contact when none is given', async () => {
    let saved = 0;
    const published: { reporter: unknown }[] = [];
    await receiveReport(reportInputSchema.parse(valid), 'webform', {
      saveContact: async () => {
        saved += 1;
        return 'x';
      },
      publish: async (d) => {
        published.push(d);
      },
    });
    expect(saved).toBe(0);
    expect(published[0]?.reporter).toEqual({ anonymous: true });
  });
});
