import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * once per state directory (a restart does not add it again). One step per capability.
 */
const steps: ((ctx: DemoContext) => Promise<void>)[] = [seedReports, seedChannels, seedCases, seedFunding, seedFlyTipping, seedCaseReviews];

export async function seedDemo(stateDir: string, gateway: string, log: (line: string) => void) {
  const marker = join(stateDir, 'demo-seeded');
  if (existsSync(marker)) return;
  const ctx: DemoContext = { gateway, stateDir, log, token: (role) => issueToken(stateDir, [role]) };
  for (const step of steps) await step(ctx);
  writeFileSync(marker, new Date().toISOString());
}
