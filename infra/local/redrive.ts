/**
 * `npm run redrive` lists the local bus's dead letters; `npm run redrive -- --all` puts them
 * back for delivery. Talks to the running stack named by SC_STATE_DIR's endpoints.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsFromEnv } from './settings.ts';
import type { Endpoints } from './stack.ts';

const { stateDir } = settingsFromEnv();
let endpoints: Endpoints;
try {
  endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as Endpoints;
} catch {
  console.error(`no running stack found in ${stateDir}: start it with npm start`);
  process.exit(2);
}

const call = async (target: string) => {
  const res = await fetch(endpoints.eventbridge, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body: '{}',
  });
  if (!res.ok) throw new Error(`${target} failed: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
};

if (process.argv.includes('--all')) {
  const { Redriven } = await call('SaferCommunitiesLocal.Redrive');
  console.log(`redriven: ${String(Redriven)} dead letter(s) put back for delivery`);
} else {
  const { DeadLetters } = (await call('SaferCommunitiesLocal.ListDeadLetters')) as {
    DeadLetters: { event: { id: string; 'detail-type': string }; target: string; error: string; attempts: number; at: string }[];
  };
  if (DeadLetters.length === 0) console.log('no dead letters');
  for (const d of DeadLetters) console.log(`${d.at}  ${d.event['detail-type']}  ${d.event.id}  → ${d.target}  (${d.attempts} attempts): ${d.error}`);
  if (DeadLetters.length) console.log('\nput them back with: npm run redrive -- --all');
}
