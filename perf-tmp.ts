import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo, localTableName } from '#infra/local/stores';
import { tables } from '#infra/resources';
import { keys } from '#shared/keys';
import { buildReadKpis } from './functions/kpis/read.ts';
import { counterNames } from './functions/kpis/counters.ts';
import { idDigestOf, DAY_SHARDS } from './functions/kpis/counter-store.ts';
import { addDays } from './functions/enforcement/dates.ts';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
async function setup(perYear: number) {
  const d = await startDynamo('/tmp/kpiproto/read-' + perYear + '-' + Date.now(), 0, 'eu-west-2');
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: d.url, region: 'eu-west-2', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }));
  const T = localTableName(tables.main);
  const perShard = Math.round(perYear / 366 / DAY_SHARDS);
  const items: Record<string, unknown>[] = [];
  let n = 0;
  for (let day = '2023-10-01'; day <= '2024-09-30'; day = addDays(day, 1)) {
    for (let s = 0; s < DAY_SHARDS; s++) {
      const ids = new Set(Array.from({ length: perShard }, () => idDigestOf(`e-${n++}`)));
      items.push({ ...keys.kpiDay(day.slice(0, 7), day, s), type: 'kpi-day', day, ...(day >= '2024-09-29' || process.env.UNSEALED ? { ids } : { sealed: 1 }), ...Object.fromEntries(counterNames.map((c, i) => [`c_${c}`, (i + 1) * perShard])) });
    }
  }
  for (let i = 0; i < items.length; i += 25) await db.send(new BatchWriteCommand({ RequestItems: { [T]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  return { d, read: buildReadKpis(db, T), events: n };
}
const small = await setup(10_000);
const large = await setup(1_000_000);
console.log('events', small.events, large.events);
const time = async (read: typeof small.read) => { const t = performance.now(); await read({ from: '2023-10-01', to: '2024-09-30' }); return performance.now() - t; };
await time(small.read); await time(large.read);
const s: number[] = [], l: number[] = [];
for (let k = 0; k < 7; k++) { s.push(await time(small.read)); l.push(await time(large.read)); }
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
console.log(`year report read: 10k ${med(s).toFixed(0)} ms, 1M ${med(l).toFixed(0)} ms, ratio ${(med(l) / med(s)).toFixed(2)}`);
await small.d.close(); await large.d.close();
