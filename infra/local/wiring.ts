import type { FunctionSpec, HttpMethod, Role } from '../topology.ts';

/**
 * What the local runtime wires from the topology: the same rules, routes and schedules the
 * CDK stack creates. A test compares the two.
 */
export interface Wiring {
  rules: { name: string; pattern: Record<string, unknown>; fn: FunctionSpec }[];
  routes: { method: HttpMethod; path: string; auth: 'public' | readonly Role[]; page?: boolean; fn: FunctionSpec }[];
  schedules: { name: string; cron: string; fn: FunctionSpec }[];
}

export function wiringOf(topology: readonly FunctionSpec[]): Wiring {
  const wiring: Wiring = { rules: [], routes: [], schedules: [] };
  for (const fn of topology) {
    for (const t of fn.triggers) {
      if (t.kind === 'events') wiring.rules.push({ name: t.ruleName, pattern: t.pattern, fn });
      else if (t.kind === 'http') wiring.routes.push({ method: t.method, path: t.path, auth: t.auth, ...(t.page ? { page: true } : {}), fn });
      else wiring.schedules.push({ name: t.name, cron: t.cron, fn });
    }
  }
  return wiring;
}
