/**
 * A few months of KPI events put on the local stack's bus, for the dashboard's integration and
 * browser tests: May 2024 beside April 2024, with events either side of London midnights.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CaseOpened } from '#events/cases';
import type { CatalogContract } from '#events/catalog';
import type { DetailOf } from '#events/contract';
import { WarningIssued } from '#events/enforcement';
import { createEventPublisher } from '#events/put';
import { sampleFor } from '#events/samples';
import { HousingStockRecorded } from '#events/tenancy';
import type { TestStack } from './local-stack.ts';

const event = <C extends CatalogContract>(contract: C, fields: Partial<DetailOf<C>> & { eventId: string; occurredAt: string }) => ({
  contract,
  detail: { ...sampleFor(contract), ...fields } as DetailOf<C>,
});

const cpw = (eventId: string, occurredAt: string) => event(WarningIssued, { eventId, occurredAt, warningType: 'CPW', complyBy: '2024-07-01' });

export const seededEvents = [
  // May 2024 in London: 3 CPWs. 23:30 UTC on 30 April is 00:30 BST on 1 May.
  cpw('kpi-seed-cpw-may-1', '2024-04-30T23:30:00Z'),
  cpw('kpi-seed-cpw-may-2', '2024-05-02T10:00:00+01:00'),
  cpw('kpi-seed-cpw-may-3', '2024-05-31T23:30:00+01:00'),
  // 23:30 UTC on 31 May is 1 June in London: not May.
  cpw('kpi-seed-cpw-june', '2024-05-31T23:30:00Z'),
  // April 2024: 5 CPWs. 23:30 UTC on 31 March (the day BST began) is 1 April in London.
  cpw('kpi-seed-cpw-apr-1', '2024-03-31T23:30:00Z'),
  ...['08', '12', '19', '26'].map((day, i) => cpw(`kpi-seed-cpw-apr-${i + 2}`, `2024-04-${day}T11:00:00+01:00`)),
  // May: one ASB case referred from Housing and one enviro case from the public (50.0%).
  event(CaseOpened, { eventId: 'kpi-seed-case-asb', occurredAt: '2024-05-07T09:00:00+01:00', caseId: 'case-seed-asb', kind: 'asb', owner: 'safer-communities', category: 'asb.neighbour', referredFrom: 'housing', hateRelated: false, reportIds: [] }),
  event(CaseOpened, { eventId: 'kpi-seed-case-enviro', occurredAt: '2024-05-08T09:00:00+01:00', caseId: 'case-seed-enviro', kind: 'enviro', owner: 'safer-communities', category: 'enviro.fly-tipping', referredFrom: 'public', hateRelated: false, reportIds: [] }),
  // May: two Tenancy Services cases (A, hate-related; C) against 4,000 homes.
  event(CaseOpened, { eventId: 'kpi-seed-ten-a', occurredAt: '2024-05-10T09:00:00+01:00', caseId: 'case-seed-ten-a', kind: 'tenancy', owner: 'tenancy-services', riskCategory: 'A', category: 'asb.fighting', referredFrom: 'public', hateRelated: true, reportIds: [] }),
  event(CaseOpened, { eventId: 'kpi-seed-ten-c', occurredAt: '2024-05-12T09:00:00+01:00', caseId: 'case-seed-ten-c', kind: 'tenancy', owner: 'tenancy-services', riskCategory: 'C', category: 'asb.animal', referredFrom: 'public', hateRelated: false, reportIds: [] }),
  event(HousingStockRecorded, { eventId: 'kpi-seed-stock', occurredAt: '2024-04-02T09:00:00+01:00', homes: 4000, asOf: '2024-03-31' }),
];

/** Puts the seeded events on the stack's bus and waits until every consumer has them. */
export async function seedKpiEvents(stack: TestStack): Promise<void> {
  const client = new EventBridgeClient({ endpoint: stack.endpoints.eventbridge, region: stack.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const bus = createEventPublisher({ client, busName: stack.endpoints.eventBusName });
    for (let i = 0; i < seededEvents.length; i += 10) await bus.publish(seededEvents.slice(i, i + 10));
  } finally {
    client.destroy();
  }
  await stack.settle();
}

/** The cells of the first table row whose header is `label`, as text. */
export function rowOf(html: string, label: string): string[] | undefined {
  const decode = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
  for (const row of html.split(/<tr[\s>]/).slice(1)) {
    const cells = [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => decode(m[1] ?? ''));
    if (cells[0] === label) return cells;
  }
  return undefined;
}
