import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createEventPublisher } from '#events/put';
import { HousingStockRecorded } from '#events/tenancy';
import { until, type DemoContext } from './types.ts';

/**
 * Tenancy Services' count of council homes (the divisor of NM01), put on the bus as their
 * system would, dated 31 March of the last two financial years so every period the KPI page
 * offers by default has one on or before its end; then the fly-tipping return's demo: the
 * officer completes the form report's size, and one more report arrives with nothing known.
 */
export async function seedFlyTipping(ctx: DemoContext) {
  const { gateway, stateDir, token, log } = ctx;
  const endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as {
    eventbridge: string;
    eventBusName: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  const client = new EventBridgeClient({ endpoint: endpoints.eventbridge, region: endpoints.region, credentials: endpoints.credentials });
  const now = new Date();
  const fyStart = now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const stock = [
    { asOf: `${fyStart - 1}-03-31`, homes: 3859 },
    { asOf: `${fyStart}-03-31`, homes: 3872 },
  ];
  try {
    await createEventPublisher({ client, busName: endpoints.eventBusName }).publish(
      stock.map(({ asOf, homes }) => ({
        contract: HousingStockRecorded,
        detail: {
          eventId: `demo-housing-stock-${asOf}`,
          occurredAt: `${asOf}T16:00:00+01:00`,
          actor: { kind: 'officer' as const, id: 'tenancy-m-evans', organisation: 'Tenancy Services' },
          homes,
          asOf,
        },
      })),
    );
  } finally {
    client.destroy();
  }

  const officer = { authorization: `Bearer ${await token('officer')}`, 'content-type': 'application/json' };
  let formReport: string | undefined;
  await until(ctx, 'fly-tipping: the form report did not reach the triage queue', async () => {
    const res = await fetch(`${gateway}/reports?status=untriaged&limit=100`, { headers: officer });
    const items = ((await res.json()) as { items: { reportId: string; category: string; description: string }[] }).items;
    formReport = items.find((r) => r.category === 'enviro.fly-tipping' && r.description.includes('plasterboard'))?.reportId;
    return formReport !== undefined;
  });
  const recorded = await fetch(`${gateway}/reports/${formReport}/fly-tip`, { method: 'POST', headers: officer, body: JSON.stringify({ size: 'transit-van-load' }) });
  if (recorded.status !== 202) throw new Error(`demo fly-tipping: the officer's record was refused: ${recorded.status} ${await recorded.text()}`);
  const unknown = await fetch(`${gateway}/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      category: 'enviro.fly-tipping',
      description: 'Rubbish dumped in the lay-by on the Melton road again.',
      occurredAt: new Date(now.getTime() - 2 * 3600 * 1000).toISOString(),
      location: { postcode: 'LE14 2QA', text: 'Lay-by on the A607' },
      hateMotivated: false,
    }),
  });
  if (unknown.status !== 202) throw new Error(`demo fly-tipping: a report was refused: ${unknown.status}`);
  log(`demo data: housing stock ${stock.map((s) => `${s.homes} homes at ${s.asOf}`).join(', ')}; fly-tipping return at ${gateway}/fly-tipping/returns?quarter=<year>-Q<n>`);
}
