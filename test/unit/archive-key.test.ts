import { describe, expect, it } from 'vitest';
import { archiveKey } from '../../functions/archive/archive-key.ts';

const envelope = { source: 'safer-communities.intake', 'detail-type': 'ReportReceived', id: 'env-1', time: '2024-05-15T10:00:00Z' };

describe('unit: archive keys', () => {
  it('partitions by the UTC day the fact happened and names the event by its eventId', () => {
    const key = archiveKey({ ...envelope, detail: { eventId: 'e-1', occurredAt: '2024-05-14T23:30:00+01:00' } });
    expect(key).toBe('events/year=2024/month=05/day=14/safer-communities.intake/ReportReceived/e-1.json');
  });

  it('falls back to the envelope time and id when the detail has neither', () => {
    expect(archiveKey({ ...envelope, detail: {} })).toBe('events/year=2024/month=05/day=15/safer-communities.intake/ReportReceived/env-1.json');
  });

  it('keeps hostile ids inside their own key', () => {
    expect(archiveKey({ ...envelope, detail: { eventId: '../../x y', occurredAt: '2024-05-14T10:00:00Z' } })).toMatch(/\/\.\._\.\._x_y\.json$/);
  });
});
