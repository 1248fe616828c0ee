import * as z from 'zod';
import type { ErrorDetail } from '#shared/errors';
import { ConfigurationError } from '#shared/config';

/**
 * The council's area: where a report must be for the council to deal with it (docs/report-form.md, "The council's area").
 * Two settings, because people give a place two ways:
 * - `SC_AREA_POSTCODE_DISTRICTS`: the postcode districts (outward codes) the council covers,
 *   comma-separated, e.g. `LE13,LE14`;
 * - `SC_AREA_BOUNDARY`: a polygon for map points, JSON `[[lng, lat], …]` (GeoJSON's order).
 * The defaults are Melton Borough's: LE13 and LE14, and a rough polygon drawn a little outside
 * the borough boundary, so a point near the edge is never refused wrongly (it is approximate,
 * not the legal boundary: a council replaces it with its own).
 */
export interface CouncilArea {
  readonly postcodeDistricts: readonly string[];
  /** [lng, lat] pairs, the ring closed or not. */
  readonly boundary: readonly (readonly [number, number])[];
}

/** Melton Borough, roughly: clockwise from north of Bottesford, a little outside the boundary. */
export const MELTON_BOUNDARY: readonly (readonly [number, number])[] = [
  [-0.83, 52.98],
  [-0.73, 52.95],
  [-0.7, 52.88],
  [-0.66, 52.81],
  [-0.71, 52.74],
  [-0.75, 52.67],
  [-0.82, 52.63],
  [-0.92, 52.65],
  [-1.02, 52.68],
  [-1.08, 52.72],
  [-1.07, 52.79],
  [-1.06, 52.85],
  [-0.95, 52.89],
  [-0.88, 52.93],
];

export const MELTON_POSTCODE_DISTRICTS = ['LE13', 'LE14'] as const;

const boundarySchema = z.array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])).min(3);

export function councilAreaFrom(env: NodeJS.ProcessEnv = process.env): CouncilArea {
  const districts = env.SC_AREA_POSTCODE_DISTRICTS?.split(',').map((d) => d.trim().toUpperCase()).filter(Boolean);
  if (districts?.some((d) => !/^[A-Z]{1,2}[0-9][A-Z0-9]?$/.test(d))) {
    throw new ConfigurationError('SC_AREA_POSTCODE_DISTRICTS must be postcode districts, comma-separated, like LE13,LE14');
  }
  let boundary: CouncilArea['boundary'] = MELTON_BOUNDARY;
  if (env.SC_AREA_BOUNDARY) {
    const parsed = boundarySchema.safeParse((() => { try { return JSON.parse(env.SC_AREA_BOUNDARY); } catch { return undefined; } })());
    if (!parsed.success) throw new ConfigurationError('SC_AREA_BOUNDARY must be JSON: at least three [lng, lat] points, like [[-0.83,52.98],[-0.66,52.81],[-1.02,52.68]]');
    boundary = parsed.data;
  }
  return { postcodeDistricts: districts?.length ? districts : MELTON_POSTCODE_DISTRICTS, boundary };
}

/** `LE13 1GH` → `LE13` (the postcode as postcodeSchema writes it: outward code, space, inward code). */
export const postcodeDistrict = (postcode: string) => postcode.trim().toUpperCase().replace(/\s+/g, '').slice(0, -3);

/**
 * Whether a point is inside a polygon: a ray cast east from the point crosses the ring an odd
 * number of times. Planar, which is fine at a borough's scale; a point exactly on an edge may
 * fall either way (the default polygon is drawn outside the boundary for that reason).
 */
export function insidePolygon(lng: number, lat: number, ring: CouncilArea['boundary']): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] ?? [0, 0];
    const [xj, yj] = ring[j] ?? [0, 0];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const findCouncil = 'find the council for that area at www.gov.uk/find-local-council';

/**
 * Why a place is outside the area, as details on the fields that say so (none when it is in,
 * or when only a description was given: words cannot be checked, an officer reads them).
 */
export function outsideArea(location: { postcode?: string; lat?: number; lng?: number; text?: string }, area: CouncilArea, councilName: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (location.postcode !== undefined && !area.postcodeDistricts.includes(postcodeDistrict(location.postcode))) {
    details.push({
      path: 'location.postcode',
      message: `${location.postcode} is not in ${councilName}’s area, so we cannot deal with it (our postcodes start ${area.postcodeDistricts.join(' or ')}); check the postcode, or ${findCouncil}`,
    });
  }
  if (location.lat !== undefined && location.lng !== undefined && !insidePolygon(location.lng, location.lat, area.boundary)) {
    details.push({
      path: 'location.lat',
      message: `the map point ${location.lat}, ${location.lng} is outside ${councilName}’s area, so we cannot deal with it; check the point, or ${findCouncil}`,
    });
  }
  return details;
}
