/**
 * The fly-tipping facts in memory, with the same semantics as the DynamoDB store (store.ts):
 * the model the unit and property tests run against; the integration test holds the DynamoDB
 * store to the same results.
 */
import { laterRecord } from './facts.ts';
import type { ActionRecord, FlyTipStore, IncidentRecord } from './returns.ts';

interface Incident extends IncidentRecord {
  readonly quarter: string;
}

export function memoryFlyTipStore(): FlyTipStore {
  const incidents = new Map<string, Incident>();
  const cases = new Map<string, Set<string>>();
  const actions = new Map<string, ActionRecord & { quarter: string }>();
  return {
    apply: async (fact) => {
      if (fact.kind === 'public' || fact.kind === 'officer') {
        const before = incidents.get(fact.reportId);
        const reference = before?.reference ?? fact.reference;
        const base = { reportId: fact.reportId, quarter: fact.quarter, reportedAt: fact.reportedAt, ...(reference ? { reference } : {}) };
        const officer = fact.kind === 'officer' ? laterRecord(before?.officer, fact.record) : before?.officer;
        const publicDetails = fact.kind === 'public' ? fact.details : before?.public;
        incidents.set(fact.reportId, { ...base, ...(publicDetails ? { public: publicDetails } : {}), ...(officer ? { officer } : {}) });
      } else if (fact.kind === 'case-reports') {
        const set = cases.get(fact.caseId) ?? new Set<string>();
        for (const r of fact.reportIds) set.add(r);
        cases.set(fact.caseId, set);
      } else {
        actions.set(fact.eventId, { eventId: fact.eventId, caseId: fact.caseId, action: fact.action, quarter: fact.quarter });
      }
    },
    incidents: async (quarter) => [...incidents.values()].filter((i) => i.quarter === quarter).map(({ quarter: _q, ...i }) => structuredClone(i)),
    actions: async (quarter) => [...actions.values()].filter((a) => a.quarter === quarter).map(({ quarter: _q, ...a }) => a),
    caseReports: async (caseIds) => new Map(caseIds.flatMap((c) => (cases.has(c) ? [[c, [...(cases.get(c) ?? [])]] as const] : []))),
    incidentReports: async (reportIds) => new Set(reportIds.filter((r) => incidents.has(r))),
    incident: async (reportId) => {
      const i = incidents.get(reportId);
      if (!i) return undefined;
      const { quarter: _q, ...rest } = i;
      return structuredClone(rest);
    },
  };
}
