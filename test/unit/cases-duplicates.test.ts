import { describe, expect, it } from 'vitest';
import { alike, duplicateSettings, groupDuplicates, metresBetween, type Groupable } from '../../functions/cases/duplicates.ts';

const settings = { distanceMetres: 100, withinDays: 3 };
let n = 0;
const report = (over: Partial<Groupable> & { at: string }): Groupable => ({
  reportId: over.reportId ?? `r${(n += 1)}`,
  category: over.category ?? 'enviro.fly-tipping',
  arrivedAt: over.at,
  location: over.location ?? {},
});
const ids = (groups: Groupable[][]) => groups.map((g) => g.map((r) => r.reportId));

describe('unit: likely duplicates in the triage queue', () => {
  it('measures distance on the ground: 0.001° of latitude is about 111 metres', () => {
    expect(metresBetween({ lat: 52.6, lng: -1.1 }, { lat: 52.601, lng: -1.1 })).toBeCloseTo(111.2, 0);
  });

  it('takes the same postcode, written differently, as the same place', () => {
    const a = report({ at: '2026-11-30T09:00:00Z', location: { postcode: 'le2 1ab' } });
    const b = report({ at: '2026-12-01T09:00:00Z', location: { postcode: 'LE21AB' } });
    expect(alike(a, b, settings)).toBe(true);
    expect(alike(a, { ...b, location: { postcode: 'LE2 1AC' } }, settings)).toBe(false);
  });

  it('takes map points within the distance as the same place, and further apart as not', () => {
    const a = report({ at: '2026-11-30T09:00:00Z', location: { lat: 52.6, lng: -1.1 } });
    const near = report({ at: '2026-11-30T10:00:00Z', location: { lat: 52.6008, lng: -1.1 } }); // ~89 m
    const far = report({ at: '2026-11-30T10:00:00Z', location: { lat: 52.6010, lng: -1.1 } }); // ~111 m
    expect(alike(a, near, settings)).toBe(true);
    expect(alike(a, far, settings)).toBe(false);
    expect(alike(a, far, { ...settings, distanceMetres: 120 })).toBe(true);
  });

  it('needs the same category and arrival within the days set', () => {
    const a = report({ at: '2026-11-27T09:00:00Z', location: { postcode: 'LE2 1AB' } });
    expect(alike(a, report({ at: '2026-11-30T09:00:00Z', location: { postcode: 'LE2 1AB' } }), settings)).toBe(true);
    expect(alike(a, report({ at: '2026-11-30T09:00:01Z', location: { postcode: 'LE2 1AB' } }), settings)).toBe(false);
    expect(alike(a, report({ at: '2026-11-27T10:00:00Z', category: 'asb.noise', location: { postcode: 'LE2 1AB' } }), settings)).toBe(false);
  });

  it('never groups reports that give only a description of the place', () => {
    const a = report({ at: '2026-11-30T09:00:00Z', location: {} });
    expect(alike(a, report({ at: '2026-11-30T09:05:00Z', location: {} }), settings)).toBe(false);
  });

  it('chains likeness into groups, in arrival order, singles as groups of one', () => {
    const reports = [
      report({ reportId: 'c', at: '2026-11-30T12:00:00Z', location: { lat: 52.6016, lng: -1.1 } }), // ~89 m from b, ~178 m from a
      report({ reportId: 'a', at: '2026-11-30T08:00:00Z', location: { lat: 52.6, lng: -1.1, postcode: 'LE2 1AB' } }),
      report({ reportId: 'x', at: '2026-11-30T09:00:00Z', category: 'asb.noise', location: { postcode: 'LE2 1AB' } }),
      report({ reportId: 'b', at: '2026-11-30T10:00:00Z', location: { lat: 52.6008, lng: -1.1 } }),
      report({ reportId: 'd', at: '2026-11-30T11:00:00Z', location: { postcode: 'le21ab' } }),
    ];
    expect(ids(groupDuplicates(reports, settings))).toEqual([['a', 'b', 'd', 'c'], ['x']]);
    expect(ids(groupDuplicates([], settings))).toEqual([]);
  });

  it('reads its thresholds from settings, with defaults, and refuses nonsense by name', () => {
    expect(duplicateSettings({})).toEqual({ distanceMetres: 100, withinDays: 3 });
    expect(duplicateSettings({ SC_DUPLICATE_DISTANCE_METRES: '250', SC_DUPLICATE_WITHIN_DAYS: '7' })).toEqual({ distanceMetres: 250, withinDays: 7 });
    expect(() => duplicateSettings({ SC_DUPLICATE_WITHIN_DAYS: 'soon' })).toThrow(/SC_DUPLICATE_WITHIN_DAYS/);
  });
});
