/** `npm run token -- officer [finance …] [--org police]`: a bearer token the local stack accepts. */
import { issueToken, isRole } from './auth.ts';
import { settingsFromEnv } from './settings.ts';
import { roles } from '../topology.ts';

const args = process.argv.slice(2);
const orgAt = args.indexOf('--org');
const organisation = orgAt >= 0 ? args[orgAt + 1] : undefined;
const wanted = orgAt >= 0 ? [...args.slice(0, orgAt), ...args.slice(orgAt + 2)] : args;
const bad = wanted.filter((r) => !isRole(r));
if (wanted.length === 0 || bad.length > 0) {
  console.error(`usage: npm run token -- <role> [role …] [--org ORGANISATION]\nroles: ${roles.join(', ')}`);
  process.exit(2);
}
const token = await issueToken(settingsFromEnv().stateDir, wanted.filter(isRole), organisation ? { organisation } : {});
process.stdout.write(`${token}\n`);
