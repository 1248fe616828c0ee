import { describe, expect, it } from 'vitest';
import { FundingSpent } from '#events/funding';
import { sampleFor } from '#events/samples';
import { parseEvent, UnexpectedEventError } from '#shared/consumer';

const envelope = (detail: Record<string, unknown>) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': FundingSpent.detailType,
  source: FundingSpent.source,
  account: '000000000000',
  time: '2024-06-01T09:00:00Z',
  region: 'eu-west-2',
  resources: [],
  detail,
});

describe('unit: what an event consumer parses', () => {
  it('parses an event of a schema version it knows', () => {
    expect(parseEvent([FundingSpent], envelope({ ...sampleFor(FundingSpent) })).detail.eventId).toBe(sampleFor(FundingSpent).eventId);
  });

  it('refuses an event of a schema version newer than its contract, saying which', () => {
    const event = envelope({ ...sampleFor(FundingSpent), schemaVersion: 2 });
    expect(() => parseEvent([FundingSpent], event)).toThrow(UnexpectedEventError);
    expect(() => parseEvent([FundingSpent], event)).toThrow(/schemaVersion 2 .*knows? 1/);
  });
});
