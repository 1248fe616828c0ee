/**
 * Likely duplicates in the triage queue: reports of the same category about the same place
 * that arrived within a few days of each other, so one decision can deal with them all (open
 * a case for one and link the others). Same place means the same postcode (spaces and case
 * ignored), or two map points within a distance. Being alike is chained: if A is like B and B
 * like C, the three are one group. The distance and the days are settings (docs/cases.md).
 * Pure: reports in, groups out.
 */
import * as z from 'zod';
import { ConfigurationError } from '#shared/config';

export interface DuplicateSettings {
  /** Two map points closer than this are the same place. */
  distanceMetres: number;
  /** Reports further apart in time than this are not grouped. */
  withinDays: number;
}

export const duplicateSettingVariables = { distanceMetres: 'SC_DUPLICATE_DISTANCE_METRES', withinDays: 'SC_DUPLICATE_WITHIN_DAYS' } as const;

const schema = z.object({
  distanceMetres: z.coerce.number().int().min(1).max(5000).default(100),
  withinDays: z.coerce.number().int().min(0).max(60).default(3),
});

export function duplicateSettings(env: NodeJS.ProcessEnv = process.env): DuplicateSettings {
  const raw = Object.fromEntries(
    Object.entries(duplicateSettingVariables).flatMap(([key, variable]) => (env[variable]?.trim() ? [[key, env[variable]?.trim()]] : [])),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const key = String(parsed.error.issues[0]?.path[0] ?? '') as keyof DuplicateSettings;
    throw new ConfigurationError(`${duplicateSettingVariables[key] ?? 'a duplicate setting'} is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
  }
  return parsed.data;
}

export interface Groupable {
  reportId: string;
  category: string;
  /** When it arrived (an instant). */
  arrivedAt: string;
  location: { lat?: number | undefined; lng?: number | undefined; postcode?: string | undefined };
}

const EARTH_RADIUS_METRES = 6_371_000;
const radians = (deg: number) => (deg * Math.PI) / 180;

/** The great-circle distance between two points (haversine), in metres. */
export function metresBetween(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const dLat = radians(b.lat - a.lat);
  const dLng = radians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const normalisePostcode = (postcode: string | undefined) => postcode?.replace(/\s+/g, '').toUpperCase() || undefined;

const point = (l: Groupable['location']) => (l.lat !== undefined && l.lng !== undefined ? { lat: l.lat, lng: l.lng } : undefined);

/** Whether two reports look like the same thing reported twice. */
export function alike(a: Groupable, b: Groupable, settings: DuplicateSettings): boolean {
  if (a.category !== b.category) return false;
  const apart = Math.abs(new Date(a.arrivedAt).getTime() - new Date(b.arrivedAt).getTime());
  if (apart > settings.withinDays * 86_400_000) return false;
  const [pa, pb] = [normalisePostcode(a.location.postcode), normalisePostcode(b.location.postcode)];
  if (pa && pb && pa === pb) return true;
  const [ga, gb] = [point(a.location), point(b.location)];
  return ga !== undefined && gb !== undefined && metresBetween(ga, gb) <= settings.distanceMetres;
}

/**
 * The reports as groups in arrival order: each group's reports in arrival order, a report
 * with no likely duplicate a group of one.
 */
export function groupDuplicates<T extends Groupable>(reports: readonly T[], settings: DuplicateSettings): T[][] {
  const sorted = [...reports].sort((a, b) => new Date(a.arrivedAt).getTime() - new Date(b.arrivedAt).getTime() || a.reportId.localeCompare(b.reportId));
  const parent = sorted.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    return r;
  };
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length; j += 1) {
      if (alike(sorted[i] as T, sorted[j] as T, settings)) {
        const [ri, rj] = [root(i), root(j)];
        if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
    }
  }
  const groups = new Map<number, T[]>();
  sorted.forEach((report, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), report]);
  });
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, members]) => members);
}
