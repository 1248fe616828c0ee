import { afterEach, describe, expect, it } from 'vitest';
import { tracing, tracingEnabled } from '#shared/tracing';

describe('tracing middleware where X-Ray is off', () => {
  const address = process.env.AWS_XRAY_DAEMON_ADDRESS;
  afterEach(() => {
    if (address === undefined) delete process.env.AWS_XRAY_DAEMON_ADDRESS;
    else process.env.AWS_XRAY_DAEMON_ADDRESS = address;
  });

  it('answers every phase at once, with no promise', () => {
    delete process.env.AWS_XRAY_DAEMON_ADDRESS;
    expect(tracingEnabled()).toBe(false);
    const m = tracing();
    const request = { event: {}, context: {}, response: undefined, error: undefined, internal: {} } as never;
    // Every invocation of every function runs these three: on Lambda without active tracing
    // too. An async wrapper here cost three promises a phase for nothing.
    expect(m.before?.(request)).toBeUndefined();
    expect(m.after?.(request)).toBeUndefined();
    expect(m.onError?.(request)).toBeUndefined();
  });
});
