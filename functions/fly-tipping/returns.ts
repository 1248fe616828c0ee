/**
 * The quarterly WasteDataFlow return, read from the projection's facts: incidents reported in
 * the quarter by land type × waste type × size, and the enforcement actions taken in the
 * quarter on the cases of fly-tipping incidents. The join is made here, at read time, so the
 * order the events arrived in cannot change the figures.
 */
import {
  flyTipSizes,
  landTypeLabels,
  landTypes,
  sizeLabels,
  wasteTypeLabels,
  wasteTypes,
  type FlyTipDetails,
  type FlyTipSize,
  type LandType,
  type WasteType,
} from '#events/fly-tipping';
import { formulaSafe, spreadsheetCsv } from '#shared/csv';
import { wdfActionLabels, wdfActions, type Fact, type OfficerRecord, type WdfAction } from './facts.ts';
import type { QuarterSpan } from './quarters.ts';

/** One fly-tipping incident (a report) as the projection holds it. */
export interface IncidentRecord {
  readonly reportId: string;
  readonly reference?: string;
  readonly reportedAt: string;
  /** What the reporter said, if the report came in as fly-tipping. */
  readonly public?: FlyTipDetails;
  /** The latest officer record, if any. */
  readonly officer?: OfficerRecord;
}

export interface ActionRecord {
  readonly eventId: string;
  readonly caseId: string;
  readonly action: WdfAction;
}

/** Where the facts are kept: DynamoDB (store.ts) or memory (memory-store.ts), with the same results. */
export interface FlyTipStore {
  apply(fact: Fact): Promise<void>;
  incidents(quarter: string): Promise<IncidentRecord[]>;
  actions(quarter: string): Promise<ActionRecord[]>;
  /** The reports each case deals with, for the cases asked about that have any. */
  caseReports(caseIds: readonly string[]): Promise<Map<string, readonly string[]>>;
  /** Which of these reports are fly-tipping incidents. */
  incidentReports(reportIds: readonly string[]): Promise<Set<string>>;
  /** One incident, by its report. */
  incident(reportId: string): Promise<IncidentRecord | undefined>;
}

export const detailFields = ['landType', 'wasteType', 'size'] as const;
export type DetailField = (typeof detailFields)[number];

/** The details that count: each field the latest officer record gives, else the reporter's answer. */
export function effectiveDetails(incident: Pick<IncidentRecord, 'public' | 'officer'>): FlyTipDetails {
  const officer = Object.fromEntries(Object.entries(incident.officer?.details ?? {}).filter(([, v]) => v !== undefined));
  return { ...incident.public, ...officer };
}

export type Classification =
  | { complete: true; landType: LandType; wasteType: WasteType; size: FlyTipSize }
  | { complete: false; missing: DetailField[] };

export function classify(details: FlyTipDetails): Classification {
  const { landType, wasteType, size } = details;
  if (landType && wasteType && size) return { complete: true, landType, wasteType, size };
  return { complete: false, missing: detailFields.filter((f) => details[f] === undefined) };
}

export interface FlyTipReturn {
  readonly quarter: string;
  readonly financialYear: string;
  readonly from: string;
  readonly to: string;
  readonly incidents: {
    /** Classified incidents: those counted in the return. */
    readonly total: number;
    readonly byLandType: Record<LandType, number>;
    readonly byWasteType: Record<WasteType, number>;
    readonly bySize: Record<FlyTipSize, number>;
    /** Every non-zero cell of land type × waste type × size, in WasteDataFlow's order. */
    readonly cells: { landType: LandType; wasteType: WasteType; size: FlyTipSize; count: number }[];
  };
  readonly actions: { readonly total: number; readonly byType: Record<WdfAction, number> };
  /** Incidents still missing a land type, waste type or size: fix these before filing. */
  readonly notYetClassified: { readonly count: number; readonly incidents: { reportId: string; reference?: string; missing: DetailField[] }[] };
}

const zeros = <K extends string>(codes: readonly K[]) => Object.fromEntries(codes.map((c) => [c, 0])) as Record<K, number>;
const cellKey = (l: LandType, w: WasteType, s: FlyTipSize) => `${l}|${w}|${s}`;

/** The return from the quarter's incidents and the actions already joined to fly-tipping cases. */
export function buildReturn(span: QuarterSpan, incidents: readonly IncidentRecord[], actions: readonly ActionRecord[]): FlyTipReturn {
  const byLandType = zeros(landTypes);
  const byWasteType = zeros(wasteTypes);
  const bySize = zeros(flyTipSizes);
  const cellCounts = new Map<string, number>();
  const unclassified: FlyTipReturn['notYetClassified']['incidents'] = [];
  const seen = new Set<string>();
  for (const incident of incidents) {
    if (seen.has(incident.reportId)) continue;
    seen.add(incident.reportId);
    const c = classify(effectiveDetails(incident));
    if (!c.complete) {
      unclassified.push({ reportId: incident.reportId, ...(incident.reference ? { reference: incident.reference } : {}), missing: c.missing });
      continue;
    }
    byLandType[c.landType] += 1;
    byWasteType[c.wasteType] += 1;
    bySize[c.size] += 1;
    const key = cellKey(c.landType, c.wasteType, c.size);
    cellCounts.set(key, (cellCounts.get(key) ?? 0) + 1);
  }
  const cells = landTypes.flatMap((landType) =>
    wasteTypes.flatMap((wasteType) =>
      flyTipSizes.flatMap((size) => {
        const count = cellCounts.get(cellKey(landType, wasteType, size)) ?? 0;
        return count ? [{ landType, wasteType, size, count }] : [];
      }),
    ),
  );

  // One investigation per case in the quarter, however many visits or interviews it took;
  // every other action counts once per event.
  const byType = zeros(wdfActions);
  const counted = new Set<string>();
  for (const a of actions) {
    const key = a.action === 'investigations' ? `investigation#${a.caseId}` : a.eventId;
    if (counted.has(key)) continue;
    counted.add(key);
    byType[a.action] += 1;
  }

  unclassified.sort((a, b) => (a.reference ?? a.reportId).localeCompare(b.reference ?? b.reportId));
  return {
    quarter: span.quarter,
    financialYear: span.financialYear,
    from: span.from,
    to: span.to,
    incidents: { total: seen.size - unclassified.length, byLandType, byWasteType, bySize, cells },
    actions: { total: Object.values(byType).reduce((a, b) => a + b, 0), byType },
    notYetClassified: { count: unclassified.length, incidents: unclassified },
  };
}

/** Reads the return for a quarter: the incidents, and the quarter's actions on cases that deal with a fly-tipping incident. */
export async function readReturn(span: QuarterSpan, store: FlyTipStore): Promise<FlyTipReturn> {
  const [incidents, actions] = await Promise.all([store.incidents(span.quarter), store.actions(span.quarter)]);
  const caseReports = await store.caseReports([...new Set(actions.map((a) => a.caseId))]);
  const flyTips = await store.incidentReports([...new Set([...caseReports.values()].flat())]);
  const onFlyTips = actions.filter((a) => (caseReports.get(a.caseId) ?? []).some((r) => flyTips.has(r)));
  return buildReturn(span, incidents, onFlyTips);
}

const SIZE_HEADERS = flyTipSizes.map((s) => sizeLabels[s]);

/**
 * The return as a CSV a spreadsheet opens as it is: a title row, then the incidents (one row
 * per land type and waste type, the sizes as columns, all in WasteDataFlow's order), the
 * actions by type, and the incidents not yet classified with their references.
 */
export function returnCsvRows(r: FlyTipReturn): string[][] {
  const count = new Map(r.incidents.cells.map((c) => [cellKey(c.landType, c.wasteType, c.size), c.count]));
  const rows: string[][] = [
    ['WasteDataFlow fly-tipping return', r.quarter, `${r.from} to ${r.to}`],
    [],
    ['Incidents'],
    ['Land type', 'Waste type', ...SIZE_HEADERS, 'Total'],
  ];
  for (const landType of landTypes) {
    for (const wasteType of wasteTypes) {
      const sizes = flyTipSizes.map((s) => count.get(cellKey(landType, wasteType, s)) ?? 0);
      rows.push([landTypeLabels[landType], wasteTypeLabels[wasteType], ...sizes.map(String), String(sizes.reduce((a, b) => a + b, 0))]);
    }
  }
  rows.push(['Total', '', ...flyTipSizes.map((s) => String(r.incidents.bySize[s])), String(r.incidents.total)]);
  rows.push([], ['Enforcement actions'], ['Action', 'Number']);
  for (const a of wdfActions) rows.push([wdfActionLabels[a], String(r.actions.byType[a])]);
  rows.push(['Total', String(r.actions.total)]);
  rows.push([], ['Not yet classified', String(r.notYetClassified.count)], ['Reference', 'Report', 'Missing']);
  for (const i of r.notYetClassified.incidents) {
    rows.push([formulaSafe(i.reference ?? ''), formulaSafe(i.reportId), i.missing.map((f) => missingLabel[f]).join(', ')]);
  }
  return rows;
}

const missingLabel: Record<DetailField, string> = { landType: 'land type', wasteType: 'waste type', size: 'size' };

export const returnCsv = (r: FlyTipReturn): string => spreadsheetCsv(returnCsvRows(r));
