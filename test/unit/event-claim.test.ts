import { describe, expect, it } from 'vitest';
import { digestOfDetail } from '#shared/event-claim';

describe('unit: the digest an event claim keeps of a detail', () => {
  const detail = { eventId: 'e-1', reportId: 'r-1', location: { lat: 52.7, lng: -0.8 }, tags: ['a', 'b'] };

  it('does not depend on the order a producer wrote the keys in', () => {
    const reordered = { tags: ['a', 'b'], location: { lng: -0.8, lat: 52.7 }, reportId: 'r-1', eventId: 'e-1' };
    expect(digestOfDetail(reordered)).toBe(digestOfDetail(detail));
  });

  it('differs when any value differs, however deep, and when an array is in another order', () => {
    const base = digestOfDetail(detail);
    expect(digestOfDetail({ ...detail, reportId: 'r-2' })).not.toBe(base);
    expect(digestOfDetail({ ...detail, location: { lat: 52.7, lng: -0.9 } })).not.toBe(base);
    expect(digestOfDetail({ ...detail, tags: ['b', 'a'] })).not.toBe(base);
    expect(digestOfDetail({ ...detail, extra: null })).not.toBe(base);
    expect(digestOfDetail({ ...detail, reportId: 1 })).not.toBe(digestOfDetail({ ...detail, reportId: '1' }));
  });
});
