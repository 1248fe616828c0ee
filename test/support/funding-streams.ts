import { expect } from 'vitest';
import { demoStreams, openDemoStreams } from '#infra/local/demo/funding';
import type { FundingStreamConfig } from '../../functions/funding/streams.ts';
import type { TestStack } from './local-stack.ts';

/** The CSP and SS5 streams the tests (and the demo) use: streams are data, opened like any other. */
export const testStreams: readonly FundingStreamConfig[] = demoStreams;
export const csp = testStreams.find((s) => s.code === 'CSP') as FundingStreamConfig;
export const ss5 = testStreams.find((s) => s.code === 'SS5') as FundingStreamConfig;

/**
 * Opens CSP and SS5 on a test stack through POST /funding/streams, as finance would, then
 * forgets their FundingStreamOpened events so a test counts only the events it causes.
 */
export async function openTestStreams(stack: TestStack): Promise<void> {
  await openDemoStreams(stack.endpoints.gateway, await stack.token('finance'));
  await stack.settle();
  expect(stack.observedOf('FundingStreamOpened')).toHaveLength(testStreams.length);
  stack.observed.length = 0;
}
