import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envelopeShape, EARLIEST_OCCURRED_AT, FUTURE_TOLERANCE_MS } from '#events/envelope';
import { FundingSpent } from '#events/funding';
import { sampleFor } from '#events/samples';

const envelope = z.object(envelopeShape);
const detail = (over: Record<string, unknown>) => ({ eventId: 'e-1', occurredAt: '2024-06-01T10:00:00+01:00', schemaVersion: 1, actor: { kind: 'system' }, ...over });

describe('unit: the shared event envelope', () => {
  it('refuses an occurredAt before 2000 or more than a few minutes ahead, naming the field', () => {
    expect(EARLIEST_OCCURRED_AT).toBe('2000-01-01T00:00:00Z');
    for (const occurredAt of ['0001-01-01T00:00:00Z', '1900-06-01T00:00:00Z', '1999-12-31T23:59:59Z', new Date(Date.now() + FUTURE_TOLERANCE_MS + 60_000).toISOString()]) {
      const parsed = envelope.safeParse(detail({ occurredAt }));
      expect(parsed.success, occurredAt).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['occurredAt']);
    }
  });

  it('accepts 2000 onwards, now, and a clock a little ahead', () => {
    for (const occurredAt of ['2000-01-01T00:00:00Z', '2024-06-01T10:00:00+01:00', new Date().toISOString(), new Date(Date.now() + 60_000).toISOString()]) {
      expect(envelope.safeParse(detail({ occurredAt })).success, occurredAt).toBe(true);
    }
  });

  it('holds for every contract, since each is built on the envelope', () => {
    expect(FundingSpent.detail.safeParse({ ...sampleFor(FundingSpent), occurredAt: '1900-01-01T00:00:00Z' }).success).toBe(false);
  });

  it('refuses __proto__ as an eventId: eventIds key stored maps, and that one cannot round-trip', () => {
    expect(envelope.safeParse(detail({ eventId: '__proto__' })).success).toBe(false);
    expect(envelope.safeParse(detail({ eventId: 'constructor' })).success).toBe(true);
  });
});
