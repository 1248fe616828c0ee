import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { landTypes, wasteTypes, flyTipSizes } from '#events/fly-tipping';
import { BadRequestError } from '#shared/errors';
import { factsOf, wdfActionOf, type ProjectedEvent } from '../../functions/fly-tipping/facts.ts';
import { memoryFlyTipStore } from '../../functions/fly-tipping/memory-store.ts';
import { parseQuarter, quarterOf, quarterSpan } from '../../functions/fly-tipping/quarters.ts';
import { buildReturn, classify, effectiveDetails, readReturn, returnCsvRows, type FlyTipReturn } from '../../functions/fly-tipping/returns.ts';
import { expectedQ1, scenarioEvents, type ScenarioEvent } from '../support/fly-tip-scenario.ts';

const asProjected = (e: ScenarioEvent) => ({ source: e.contract.source, detailType: e.contract.detailType, detail: e.detail }) as ProjectedEvent;

async function returnFor(events: readonly ScenarioEvent[], quarter = '2025-Q1'): Promise<FlyTipReturn> {
  const store = memoryFlyTipStore();
  for (const e of events) for (const fact of factsOf(asProjected(e))) await store.apply(fact);
  const span = quarterSpan(quarter);
  if (!span) throw new Error('bad quarter');
  return readReturn(span, store);
}

describe('unit: fly-tipping quarters', () => {
  it('puts an instant in the financial-year quarter of its London date when near midnight and the clock changes', () => {
    // BST began at 01:00 UTC on 30 March 2025: 23:30 UTC on 31 March is 00:30 on 1 April in London.
    expect(quarterOf('2025-03-31T22:59:59Z')).toBe('2024-Q4');
    expect(quarterOf('2025-03-31T23:00:00Z')).toBe('2025-Q1');
    expect(quarterOf('2025-06-30T22:59:59Z')).toBe('2025-Q1');
    expect(quarterOf('2025-06-30T23:00:00Z')).toBe('2025-Q2');
    expect(quarterOf('2025-09-30T23:00:00Z')).toBe('2025-Q3');
    // GMT again after 26 October: London midnight is UTC midnight.
    expect(quarterOf('2025-12-31T23:59:59Z')).toBe('2025-Q3');
    expect(quarterOf('2026-01-01T00:00:00Z')).toBe('2025-Q4');
    expect(quarterOf('2026-03-31T23:59:00+01:00')).toBe('2025-Q4');
  });

  it('spans April to June for Q1 and January to March of the next year for Q4 when parsed', () => {
    expect(quarterSpan('2025-Q1')).toEqual({ quarter: '2025-Q1', financialYear: '2025-26', from: '2025-04-01', to: '2025-06-30' });
    expect(quarterSpan('2025-Q3')).toEqual({ quarter: '2025-Q3', financialYear: '2025-26', from: '2025-10-01', to: '2025-12-31' });
    expect(quarterSpan('2023-Q4')).toEqual({ quarter: '2023-Q4', financialYear: '2023-24', from: '2024-01-01', to: '2024-03-31' });
    expect(parseQuarter(' 2025-q2 ').from).toBe('2025-07-01');
  });

  it('refuses a quarter that is not written like 2025-Q1 with a message saying how', () => {
    for (const bad of [undefined, '', '2025', '2025-Q5', '2025-Q0', 'Q1-2025', '2025-04']) {
      expect(() => parseQuarter(bad)).toThrow(BadRequestError);
    }
    expect(() => parseQuarter('2025-Q5')).toThrow(/quarter=2025-Q1/);
  });
});

describe('unit: fly-tipping classification', () => {
  it('takes each field from the latest officer record, else from the reporter', () => {
    const officer = { details: { size: 'single-item' as const }, key: 'k', officerId: 'o' };
    expect(effectiveDetails({ public: { landType: 'highway', size: 'car-boot-or-less' }, officer })).toEqual({ landType: 'highway', size: 'single-item' });
    expect(effectiveDetails({})).toEqual({});
  });

  it('is complete only with a land type, a waste type and a size, and names what is missing', () => {
    expect(classify({ landType: 'highway', wasteType: 'green', size: 'single-item' })).toEqual({ complete: true, landType: 'highway', wasteType: 'green', size: 'single-item' });
    expect(classify({ wasteType: 'green' })).toEqual({ complete: false, missing: ['landType', 'size'] });
  });

  it('counts only the enforcement actions WasteDataFlow asks for', () => {
    const mapped = Object.fromEntries(
      scenarioEvents.filter((e) => e.contract.source === 'safer-communities.enforcement').map((e) => [e.detail.eventId, wdfActionOf(asProjected(e)) ?? null]),
    );
    expect(mapped).toMatchObject({
      'ta-1': 'investigations',
      'iuc-1': 'investigations',
      'ta-3': 'duty-of-care-inspections',
      'ta-4': null,
      'wi-1': 'warning-letters',
      'wi-2': null,
      'ns-1': 'statutory-notices',
      'fpn-1': 'fixed-penalty-notices',
      'cfl-1': 'prosecutions',
      'op-1': 'vehicles-seized',
    });
  });
});

describe('unit: fly-tipping return', () => {
  it('counts the quarter’s incidents by land, waste and size, and its actions on fly-tip cases, when built from the events', async () => {
    const r = await returnFor(scenarioEvents);
    expect(r).toMatchObject({ quarter: '2025-Q1', financialYear: '2025-26', from: '2025-04-01', to: '2025-06-30' });
    expect(r.incidents.total).toBe(expectedQ1.incidents.total);
    expect(r.incidents.cells).toEqual(expectedQ1.incidents.cells);
    expect(r.incidents.byLandType.highway).toBe(1);
    expect(r.incidents.bySize['car-boot-or-less']).toBe(2);
    expect(r.actions).toEqual(expectedQ1.actions);
    expect(r.notYetClassified).toEqual(expectedQ1.notYetClassified);
  });

  it('puts the incident and the action just after midnight on 1 July in Q2', async () => {
    const r = await returnFor(scenarioEvents, '2025-Q2');
    expect(r.incidents.cells).toEqual([{ landType: 'railway', wasteType: 'asbestos', size: 'tipper-lorry-load', count: 1 }]);
    expect(r.actions.byType['fixed-penalty-notices']).toBe(1);
    expect(r.actions.total).toBe(1);
  });

  it('gives the same return for any order of the events, each delivered up to three times', async () => {
    const expected = await returnFor(scenarioEvents);
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(fc.integer({ min: 1, max: 3 }), { minLength: scenarioEvents.length, maxLength: scenarioEvents.length })
          .map((copies) => scenarioEvents.flatMap((e, i) => Array.from({ length: copies[i] ?? 1 }, () => e)))
          .chain((deliveries) => fc.shuffledSubarray(deliveries, { minLength: deliveries.length })),
        async (events) => {
          expect(await returnFor(events)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lets the latest officer record win whichever arrives first', async () => {
    const first = scenarioEvents.filter((e) => e.detail.eventId !== 'ofr-2b');
    const late = scenarioEvents.find((e) => e.detail.eventId === 'ofr-2b');
    if (!late) throw new Error('scenario changed');
    const r = await returnFor([late, ...first]);
    expect(r.incidents.cells).toContainEqual({ landType: 'agricultural', wasteType: 'tyres', size: 'transit-van-load', count: 1 });
    expect(r.incidents.cells.some((c) => c.size === 'small-van-load')).toBe(false);
  });

  it('writes the CSV with every land × waste row and the sizes as columns in WasteDataFlow order', async () => {
    const rows = returnCsvRows(await returnFor(scenarioEvents));
    expect(rows[0]).toEqual(['WasteDataFlow fly-tipping return', '2025-Q1', '2025-04-01 to 2025-06-30']);
    expect(rows[3]).toEqual([
      'Land type',
      'Waste type',
      'Single black bag',
      'Single item',
      'Car boot or less',
      'Small van load',
      'Transit van load',
      'Tipper lorry load',
      'Significant / multi loads',
      'Total',
    ]);
    const grid = rows.slice(4, 4 + landTypes.length * wasteTypes.length);
    expect(grid[0]?.slice(0, 2)).toEqual(['Highway', 'Animal carcass']);
    expect(grid.at(-1)?.slice(0, 2)).toEqual(['Other (unidentified)', 'Other (unidentified)']);
    expect(grid.find((r) => r[0] === 'Agricultural' && r[1] === 'Tyres')).toEqual(['Agricultural', 'Tyres', '0', '0', '0', '0', '1', '0', '0', '1']);
    expect(rows[4 + grid.length]).toEqual(['Total', '', '0', '1', '2', '0', '1', '0', '0', '4']);
    const at = rows.findIndex((r) => r[0] === 'Action');
    expect(rows.slice(at + 1, at + 11).map((r) => r[0])).toEqual([
      'Investigations',
      'Warning letters',
      'Statutory notices',
      'Fixed penalty notices',
      'Formal cautions',
      'Injunctions',
      'Prosecutions',
      'Vehicles seized',
      'Duty of care inspections',
      'Total',
    ]);
    expect(rows.at(-1)).toEqual(['SC-ft-4', 'ft-4', 'land type, waste type, size']);
    expect(flyTipSizes.length).toBe(7);
  });

  it('guards a reference a spreadsheet would run as a formula', () => {
    const span = quarterSpan('2025-Q1');
    if (!span) throw new Error('bad quarter');
    const r = buildReturn(span, [{ reportId: '=cmd()', reference: '+SUM(A1)', reportedAt: '2025-04-02T10:00:00+01:00' }], []);
    expect(returnCsvRows(r).at(-1)).toEqual(["'+SUM(A1)", "'=cmd()", 'land type, waste type, size']);
  });
});
