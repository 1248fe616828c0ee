/**
 * vitest globalSetup: pages, handlers and the CDK bundling tests import web/generated/, a
 * build output; build it once per run (skipped when its sources have not changed).
 */
import { buildWeb } from '../../web/build.ts';

export default async function setup(): Promise<void> {
  await buildWeb();
}
