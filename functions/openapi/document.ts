import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { catalog } from '#events/catalog';
import { routeKeyOf } from '#shared/wiring';
import { capabilities } from '../capabilities.ts';
import { createdBy, redirectedBy, requestBodies, requestQueries } from './request-bodies.ts';

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().describe('What is wrong and how to put it right'),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1] ?? '');

/**
 * The OpenAPI 3.1 document: every declared route with who may call it, the JSON body
 * of each route that takes one (the same zod schemas the handlers validate with), and every
 * event in the catalog as a component schema for partners.
 */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A JWT whose `roles` claim lists the caller\'s roles: public, officer, tenancy, finance, partner, admin',
  });
  // Components straight from zod's own JSON Schema output (refinements cannot be expressed).
  const component = (name: string, schema: z.ZodType) => {
    registry.registerComponent('schemas', name, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as never);
    return { $ref: `#/components/schemas/${name}` };
  };
  const error = component('Error', errorBody);
  for (const contract of catalog) component(`${contract.detailType}Detail`, contract.detail as z.ZodType);

  for (const fn of capabilities.flatMap((c) => c.functions.map((f) => ({ ...f, capability: c.name })))) {
    for (const trigger of fn.routes ?? []) {
      // The catch-all answers 404s; it is not an operation anyone calls.
      if (trigger.method === 'ANY') continue;
      const routeKey = routeKeyOf(trigger);
      const body = requestBodies[routeKey];
      const query = requestQueries[routeKey];
      const params = pathParams(trigger.path);
      registry.registerPath({
        method: trigger.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
        path: trigger.path.replace(/\{(\w+)\+\}/g, '{$1}'),
        operationId: `${trigger.method.toLowerCase()}_${trigger.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'root'}`,
        summary: fn.description,
        tags: [fn.capability],
        security: trigger.auth === 'public' ? [] : [{ [bearer.name]: [] }],
        ...(trigger.auth === 'public' ? {} : { 'x-roles': [...trigger.auth] }),
        request: {
          ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
          ...(query ? { query } : {}),
          ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}),
        },
        responses: {
          ...(redirectedBy.has(routeKey)
            ? { 302: { description: redirectedBy.get(routeKey) ?? '' }, 404: { description: 'There is none: the message says why', content: { 'application/json': { schema: error } } } }
            : { 200: { description: 'OK' } }),
          ...(trigger.method !== 'POST'
            ? {}
            : createdBy.has(routeKey)
              ? { 201: { description: 'Created: recorded, and its event put on the bus (200 for a repeat of the same Idempotency-Key)' } }
              : { 202: { description: 'Accepted: the event was put on the bus' } }),
          400: { description: 'The request is malformed', content: { 'application/json': { schema: error } } },
          ...(trigger.auth === 'public' ? {} : { 401: { description: 'No valid bearer token' }, 403: { description: 'The caller\'s roles may not use this route', content: { 'application/json': { schema: error } } } }),
          422: { description: 'The request breaks a rule: the message says which and why', content: { 'application/json': { schema: error } } },
        },
      });
    }
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'safer-communities',
      version: '1',
      description: 'Reports, cases, enforcement, KPIs and CSP funding for a council\'s Safer Communities team. Generated from the topology and the zod schemas.',
    },
  });
}
