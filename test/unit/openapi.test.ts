import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalog } from '#events/catalog';
import { topology } from '#infra/topology';
import { buildOpenApiDocument } from '../../functions/openapi/document.ts';
import { createdBy, redirectedBy, requestBodies, requestQueries } from '../../functions/openapi/request-bodies.ts';

type Operation = { parameters?: { name: string; in: string; required?: boolean }[]; security?: unknown[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; 'x-roles'?: string[] };

describe('unit: OpenAPI document', () => {
  const doc = buildOpenApiDocument();
  // The catch-all ($default) only answers 404s: it is no operation.
  const routes = topology.flatMap((fn) => fn.triggers.flatMap((t) => (t.kind === 'http' && t.method !== 'ANY' ? [t] : [])));
  const operation = (method: string, path: string) =>
    (doc.paths?.[path.replace(/\{(\w+)\+\}/g, '{$1}')] as Record<string, Operation> | undefined)?.[method.toLowerCase()];

  it('documents every HTTP route in the topology, with a bearer requirement and roles when it is protected', () => {
    for (const route of routes) {
      const op = operation(route.method, route.path);
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      if (route.auth === 'public') expect(op?.security).toEqual([]);
      else {
        expect(op?.security).toEqual([{ bearer: [] }]);
        expect(op?.['x-roles']).toEqual([...route.auth]);
      }
    }
  });

  it('describes bodies only for routes that exist', () => {
    const keys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const key of Object.keys(requestBodies)) expect(keys.has(key), key).toBe(true);
  });

  it('says 201 only for POST routes that exist and record before they answer, 202 for the others', () => {
    const keys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const key of createdBy) expect(keys.has(key) && key.startsWith('POST '), key).toBe(true);
    const answers = (path: string) => Object.keys((operation('POST', path) as { responses?: Record<string, unknown> } | undefined)?.responses ?? {});
    expect(answers('/housing-stock')).toEqual(expect.arrayContaining(['200', '201']));
    expect(answers('/housing-stock')).not.toContain('202');
    expect(answers('/kpis/exports')).toContain('202');
  });

  it('says 302 and 404, not 200, for the routes that redirect to a file', () => {
    const keys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const key of redirectedBy.keys()) expect(keys.has(key) && key.startsWith('GET '), key).toBe(true);
    const answers = Object.keys((operation('GET', '/kpis/exports/{exportId}/{format}') as { responses?: Record<string, unknown> } | undefined)?.responses ?? {});
    expect(answers).toEqual(expect.arrayContaining(['302', '404']));
    expect(answers).not.toContain('200');
  });

  it('describes query parameters only for routes that exist', () => {
    const keys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const key of Object.keys(requestQueries)) expect(keys.has(key), key).toBe(true);
  });

  it('lists the from and to of GET /kpis as required query parameters, and the optional year of the annual report', () => {
    const query = (method: string, path: string) => (operation(method, path)?.parameters ?? []).filter((p) => p.in === 'query').map((p) => `${p.name}${p.required ? '' : '?'}`);
    expect(query('GET', '/kpis')).toEqual(['from', 'to']);
    expect(query('GET', '/kpis/exports')).toEqual(['limit?', 'cursor?']);
    expect(query('GET', '/officer/kpis/annual')).toEqual(['year?']);
  });

  it('gives the report form its body schema from the same zod schema the handler validates with', () => {
    const schema = operation('POST', '/reports')?.requestBody?.content['application/json']?.schema as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(schema.properties.category?.enum).toContain('enviro.fly-tipping');
    expect(schema.required).toEqual(expect.arrayContaining(['category', 'description', 'occurredAt', 'location']));
    // Required only where the question fits the category (report-input.ts, hateQuestionApplies).
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['hateMotivated', 'occurredAtApproximate']));
  });

  it('publishes every event in the catalog as a component schema', () => {
    const names = Object.keys(doc.components?.schemas ?? {});
    for (const contract of catalog) expect(names).toContain(`${contract.detailType}Detail`);
  });

  it('matches docs/openapi.json, so the published document cannot drift (npm run schemas rewrites it)', () => {
    const stored: unknown = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(stored).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
