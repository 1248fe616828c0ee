import { afterEach, describe, expect, it, vi } from 'vitest';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { METRICS_KEY } from '@aws-lambda-powertools/commons';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, metrics, publishMetrics } from '#shared/powertools';

const context = { functionName: 'Test', awsRequestId: 'r1' } as Context;

describe('unit: metrics published after each invocation', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    metrics.clearMetrics();
  });

  it('publishes what an invocation added, once', async () => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics');
    const handler = middy(async () => {
      metrics.addMetric('EventsApplied', MetricUnit.Count, 1);
      return 'done';
    }).use(publishMetrics());
    expect(await handler({}, context)).toBe('done');
    expect(publish).toHaveBeenCalledTimes(1);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('publishes on error too', async () => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics');
    const handler = middy(async () => {
      metrics.addMetric('EventsRefused', MetricUnit.Count, 1);
      throw new Error('refused');
    }).use(publishMetrics());
    await expect(handler({}, context)).rejects.toThrow('refused');
    expect(publish).toHaveBeenCalledTimes(1);
  });

  it('stays quiet when another invocation in the same process already published its metrics', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const publish = vi.spyOn(metrics, 'publishStoredMetrics');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = middy(async () => {
      metrics.addMetric('EventsApplied', MetricUnit.Count, 1);
      await gate;
    }).use(publishMetrics());
    const fast = middy(async () => {
      metrics.addMetric('EventsApplied', MetricUnit.Count, 1);
    }).use(publishMetrics());
    const first = slow({}, context);
    await fast({}, context); // flushes both invocations' metrics
    release();
    await first;
    expect(publish).toHaveBeenCalledTimes(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it('publishes when a later middleware returns early through Powertools\' cleanup (the idempotent replay path)', async () => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics');
    const handler = middy(async () => 'not reached')
      .use(publishMetrics())
      .use({
        before: (request) => {
          metrics.addMetric('EventsReceived', MetricUnit.Count, 1);
          (request.internal as Record<string, () => void>)[METRICS_KEY]?.();
          return 'replayed';
        },
      });
    expect(await handler({}, context)).toBe('replayed');
    expect(publish).toHaveBeenCalledTimes(1);
  });
});
