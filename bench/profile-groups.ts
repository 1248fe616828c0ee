/**
 * `npx tsx bench/profile-groups.ts <file.cpuprofile> [--functions <text>]`: where a V8 CPU profile's
 * time went (BENCH_PROFILE in bench/run.ts, PROF in bench/pipeline-parts.ts), as the tables in
 * docs/benchmarks.md give it. Self time: each sample goes to the innermost frame that belongs to a
 * package or to our code, in the group below; a Node frame with no such caller above it counts as
 * Node's. With `--functions <text>`, the frames whose URL contains the text, by self time.
 */
import { readFileSync } from 'node:fs';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** The package (`@smithy/core`), the repository path (`infra/local/gateway.ts`) or the `node:` module of a frame. */
export function moduleOf(url: string): string {
  if (!url) return '';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  const ours = /\/((?:functions|infra|events|web|bench|test)\/.*)$/.exec(url);
  return ours ? ours[1]! : url;
}

const groups: [string, (module: string) => boolean][] = [
  ['dynalite and LevelDB', (m) => /^(dynalite|classic-level|abstract-level|level-|lock$|async$|big\.js)/.test(m) || m === 'infra/local/stores.ts' || m.startsWith('infra/local/dynalite')],
  ['AWS SDK', (m) => /^@(smithy|aws-sdk|aws-crypto)\//.test(m)],
  ['Powertools', (m) => m.startsWith('@aws-lambda-powertools/') || m.startsWith('@aws/lambda-invoke-store')],
  ['middy', (m) => m.startsWith('@middy/')],
  ['zod', (m) => m === 'zod'],
  ['the local bus, journal and EventBridge server', (m) => m.startsWith('infra/local/eventbridge/')],
  ['the local runtime (gateway, invoker, per-function env, least privilege, meter, …)', (m) => m.startsWith('infra/')],
  ['our functions and shared code', (m) => m.startsWith('functions/') || m.startsWith('events/') || m.startsWith('web/')],
  ['the bench', (m) => m.startsWith('bench/')],
  ["the load generator's fetch (undici)", (m) => m === 'node:internal/deps/undici/undici' || m.startsWith('wasm:')],
  ['async hooks (AsyncLocalStorage)', (m) => m.includes('async_hooks')],
  ["Node's HTTP, sockets, streams, events, timers", (m) => m.startsWith('node:')],
];

export function groupProfile(profile: Profile): { group: string; share: number }[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  for (const id of profile.samples) {
    const leaf = nodes.get(id)!.callFrame;
    let group: string | undefined = ['(garbage collector)', '(idle)', '(program)'].includes(leaf.functionName) ? leaf.functionName : undefined;
    for (let at: number | undefined = id; group === undefined && at !== undefined; at = parent.get(at)) {
      const module = moduleOf(nodes.get(at)!.callFrame.url);
      if (module) group = groups.find(([, test]) => test(module))?.[0] ?? module;
    }
    group ??= 'native, no caller of ours';
    totals.set(group, (totals.get(group) ?? 0) + 1);
  }
  return [...totals].map(([group, n]) => ({ group, share: n / profile.samples.length })).sort((a, b) => b.share - a.share);
}

export function selfByFunction(profile: Profile, urlPart: string): { frame: string; share: number }[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  for (const id of profile.samples) {
    const f = nodes.get(id)!.callFrame;
    if (!f.url.includes(urlPart)) continue;
    const frame = `${f.functionName || '(anonymous)'} ${moduleOf(f.url)}:${f.lineNumber + 1}`;
    totals.set(frame, (totals.get(frame) ?? 0) + 1);
  }
  return [...totals].map(([frame, n]) => ({ frame, share: n / profile.samples.length })).sort((a, b) => b.share - a.share);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, flag, text] = process.argv.slice(2);
  if (!file) throw new Error('usage: npx tsx bench/profile-groups.ts <file.cpuprofile> [--functions <text>]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  if (flag === '--functions' && text) {
    console.log(`| frame (self time, URL containing ${text}) | share of CPU |\n| --- | ---: |`);
    for (const { frame, share } of selfByFunction(profile, text).slice(0, 40)) console.log(`| ${frame} | ${pct(share)} |`);
  } else {
    console.log(`| where (${profile.samples.length} samples) | share of CPU |\n| --- | ---: |`);
    for (const { group, share } of groupProfile(profile)) console.log(`| ${group} | ${pct(share)} |`);
  }
}
