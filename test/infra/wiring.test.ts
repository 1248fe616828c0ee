import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { patternFor } from '#events/contract';
import { ReportReceived } from '#events/intake';
import { eventConsumer } from '#shared/consumer';
import { httpApi, json } from '#shared/http';
import { declareFunction, routeKeyOf } from '#shared/wiring';
import { topology, type FunctionSpec } from '#infra/topology';
import { capabilities } from '../../functions/capabilities.ts';
import { repoRoot as root, sourceFiles } from '../support/source-files.ts';

/** What a handler built by one of the shared stacks says it serves. */
interface HandlerWiring {
  readonly name: string;
  readonly routes?: readonly string[];
  readonly contracts?: readonly string[];
  readonly schedules?: boolean;
}

const contractKey = (c: { source: string; detailType: string }) => `${c.source} ${c.detailType}`;

/**
 * Every way a handler and its topology entry can disagree: a route served but not wired (or
 * wired but not served), a contract parsed but not subscribed (or the reverse), a schedule
 * for a handler that is no job.
 */
export function wiringProblems(spec: FunctionSpec, wiring: HandlerWiring | undefined): string[] {
  if (!wiring) return [`${spec.name}: ${spec.entry} is not built with a shared stack (httpApi, eventConsumer, envelopeConsumer, scheduledJob)`];
  const problems: string[] = [];
  if (wiring.name !== spec.name) problems.push(`${spec.entry} is built from the declaration of ${wiring.name}, not ${spec.name}`);
  const wiredRoutes = spec.triggers.flatMap((t) => (t.kind === 'http' ? [routeKeyOf(t)] : []));
  const served = wiring.routes ?? [];
  for (const r of served) if (!wiredRoutes.includes(r)) problems.push(`${spec.name} serves ${r}, which the topology does not wire`);
  for (const r of wiredRoutes) if (!served.includes(r)) problems.push(`the topology wires ${r} to ${spec.name}, which does not serve it`);
  const rule = spec.triggers.find((t) => t.kind === 'events');
  const parsed = wiring.contracts ?? [];
  const declared = capabilities.flatMap((c) => c.functions).find((f) => f.name === spec.name)?.subscription;
  const subscribed = declared && 'contracts' in declared ? declared.contracts.map(contractKey) : [];
  for (const c of parsed) if (!subscribed.includes(c)) problems.push(`${spec.name} parses ${c}, to which it is not subscribed`);
  for (const c of subscribed) if (!parsed.includes(c)) problems.push(`${spec.name} is subscribed to ${c} but does not parse it`);
  if (declared && 'contracts' in declared && JSON.stringify(rule?.pattern) !== JSON.stringify(patternFor(declared.contracts))) {
    problems.push(`${spec.name}: its rule's pattern is not made from the contracts it parses`);
  }
  if (rule && wiring.routes) problems.push(`${spec.name} has a rule but is an HTTP handler`);
  const scheduled = spec.triggers.some((t) => t.kind === 'schedule');
  if (scheduled !== (wiring.schedules === true)) problems.push(`${spec.name}: ${scheduled ? 'scheduled, but not built as a job' : 'built as a job, but has no schedule'}`);
  return problems;
}

/** Every module under functions/ and web/ that exports a Lambda handler. */
function handlerModules(): string[] {
  return [...sourceFiles('functions'), ...sourceFiles('web')]
    .filter((file) => file.endsWith('.ts') && /^export const handler\b/m.test(readFileSync(join(root, file), 'utf8')))
    .sort();
}

describe('infra: every handler serves exactly what the topology wires', () => {
  const wirings = new Map<string, HandlerWiring | undefined>();

  beforeAll(async () => {
    // Resource names, as CDK and the local runtime set them, so modules load as they do there.
    Object.assign(process.env, {
      TABLE_NAME: 'main',
      IDEMPOTENCY_TABLE_NAME: 'idempotency',
      EVENT_BUS_NAME: 'bus',
      ARCHIVE_BUCKET: 'archive',
      INTAKE_BUCKET: 'intake',
      EXPORTS_BUCKET: 'exports',
      DISC_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:disc',
    });
    for (const spec of topology) {
      const module = (await import(pathToFileURL(join(root, spec.entry)).href)) as { handler?: { wiring?: HandlerWiring } };
      wirings.set(spec.name, module.handler?.wiring);
    }
  });

  it('loads a handler for every function, each built from its own declaration', () => {
    for (const spec of topology) expect(wirings.get(spec.name)?.name, spec.entry).toBe(spec.name);
  });

  it('finds no route or subscription on one side only', () => {
    expect(topology.flatMap((spec) => wiringProblems(spec, wirings.get(spec.name)))).toEqual([]);
  });

  it('has a topology entry for every module that exports a handler', () => {
    expect(handlerModules()).toEqual([...new Set(topology.map((f) => f.entry))].sort());
  });

  it('names each function once', () => {
    const names = topology.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('wires each route key to one function only', () => {
    const keys = topology.flatMap((f) => f.triggers.flatMap((t) => (t.kind === 'http' ? [routeKeyOf(t)] : [])));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});

describe('infra: the wiring check catches a mismatch', () => {
  const declared = declareFunction({
    name: 'Probe',
    entry: 'test/probe.ts',
    description: 'a function for this test',
    routes: [{ method: 'GET', path: '/probe', auth: 'public' }],
  });
  const spec = topology[0] as FunctionSpec;
  const asSpec = (triggers: FunctionSpec['triggers']): FunctionSpec => ({ ...spec, name: 'Probe', entry: 'test/probe.ts', triggers });

  it('reports a route served but not wired', () => {
    const handler = httpApi(declared, { 'GET /probe': async () => json(200, {}) });
    expect(wiringProblems(asSpec([]), handler.wiring)).toEqual(['Probe serves GET /probe, which the topology does not wire']);
  });

  it('reports a route wired but not served', () => {
    const handler = httpApi(declared, { 'GET /probe': async () => json(200, {}) });
    const wired = asSpec([
      { kind: 'http', method: 'GET', path: '/probe', auth: 'public' },
      { kind: 'http', method: 'POST', path: '/probe', auth: 'public' },
    ]);
    expect(wiringProblems(wired, handler.wiring)).toEqual(['the topology wires POST /probe to Probe, which does not serve it']);
  });

  it('reports a contract parsed but not subscribed', () => {
    const consumer = eventConsumer(
      declareFunction({ name: 'Probe', entry: 'test/probe.ts', description: 'probe', subscription: { rule: 'ProbeRule', contracts: [ReportReceived] } }),
      async () => undefined,
    );
    expect(wiringProblems(asSpec([]), consumer.wiring)).toContain(`Probe parses ${contractKey(ReportReceived)}, to which it is not subscribed`);
  });
});
