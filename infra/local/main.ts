/**
 * The whole system on this machine. `npm start` runs it bundled (start.js, bundle.ts: the
 * bundle is built after web/generated, and checked against both's sources before each start);
 * run from source (`node --import tsx infra/local/main.ts`, as tests do) it checks the pages'
 * build (web/build.ts) itself. `--empty` starts without demo data.
 */
import './quiet-sdk-warning.ts';
import { seedDemo } from './demo.ts';
import { demoStaff } from './oidc-provider.ts';
import { settingsFromEnv } from './settings.ts';
import { startLocalStack } from './stack.ts';
import { waitAtMost } from './wait.ts';

const empty = process.argv.includes('--empty');
const log = (line: string) => console.log(`[local] ${line}`);
const started = Date.now();
const settings = settingsFromEnv();
// web/generated (compiled templates and assets), rebuilt if its sources changed, before any function loads it.
// The bundle defines SC_LOCAL_BUNDLE, so this is left out of it: bundle.ts built web/generated into it.
if (process.env.SC_LOCAL_BUNDLE !== 'yes' && (await (await import('../../web/build.ts')).buildWeb()).built) {
  log('web/generated: built templates/<group>.js, assets.js, asset-paths.js and their types');
}
const stack = await startLocalStack({ settings, log });
const { endpoints } = stack;

if (!empty) {
  await seedDemo({ stateDir: settings.stateDir, gateway: endpoints.gateway, log, settled: () => stack.bus.idle() });
}

console.log(`
safer-communities is running locally (${((Date.now() - started) / 1000).toFixed(1)} s)

  Report form and HTTP API   ${endpoints.gateway}
  Health                     ${endpoints.gateway}/health
  DynamoDB (dynalite)        ${endpoints.dynamodb}   tables: ${Object.values(endpoints.tables).join(', ')}
  S3 (s3rver)                ${endpoints.s3}   buckets: ${Object.values(endpoints.buckets).join(', ')}
  EventBridge                ${endpoints.eventbridge}   bus: ${endpoints.eventBusName}
  State                      ${settings.stateDir}  (endpoints.json has all of the above)

  Staff sign in              ${endpoints.gateway}/sign-in   (the local OpenID provider: choose who you are)
${demoStaff.map((p) => `                             ${p.username.padEnd(16)} ${p.roles.join(', ')}${p.organisation ? ` (${p.organisation})` : ''}`).join('\n')}
  An officer token:          npm run token -- officer   (for scripts: Authorization: Bearer)
  Stop with Ctrl-C.
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: finishing deliveries in flight, then stopping`);
  await waitAtMost(stack.bus.idle(), 5000);
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
