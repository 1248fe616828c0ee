import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../topology.ts';
import { issueToken } from './auth.ts';
import { seedCaseReviews } from './demo/case-reviews.ts';
import { seedCases } from './demo/cases.ts';
import { seedChannels } from './demo/channels.ts';
import { seedFlyTipping } from './demo/fly-tipping.ts';
import { seedFunding } from './demo/funding.ts';
import { seedReports } from './demo/reports.ts';
import type { DemoContext } from './demo/types.ts';

/**
 * Demo data, sent through the public and officer entry points as a person would send it,
 * once per state directory (a restart does not add it again). One step per capability; steps
 * that do not need each other's data run at the same time (cases and the fly-tipping return
 * work on the reports step's reports). Resolves once the bus has delivered every event the
 * steps caused: the demo data is then all projected and visible.
 */
export async function seedDemo(options: { stateDir: string; gateway: string; log: (line: string) => void; settled: () => Promise<void> }) {
  const { stateDir } = options;
  const marker = join(stateDir, 'demo-seeded');
  if (existsSync(marker)) return;
  const tokens = new Map<Role, Promise<string>>();
  const token = (role: Role) => {
    let issued = tokens.get(role);
    if (!issued) tokens.set(role, (issued = issueToken(stateDir, [role])));
    return issued;
  };
  const ctx: DemoContext = { ...options, token };
  await Promise.all([
    seedReports(ctx).then(() => Promise.all([seedCases(ctx), seedFlyTipping(ctx)])),
    seedChannels(ctx),
    seedFunding(ctx),
    seedCaseReviews(ctx),
  ]);
  await ctx.settled();
  writeFileSync(marker, new Date().toISOString());
}
