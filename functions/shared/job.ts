import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { acceptableId, correlated } from './correlation.ts';
import { logger, metrics, publishMetrics } from './powertools.ts';
import { tracing } from './tracing.ts';
import type { FunctionDeclaration } from './wiring.ts';

/**
 * What EventBridge Scheduler (and the local scheduler) sends: the time the run was due. An
 * operator may invoke a job by hand with more fields (each job reads its own).
 */
const scheduledInput = z.looseObject({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

export interface JobRun {
  /** When the run was due (the scheduler's time, or now when run by hand). */
  readonly at: Date;
  /** The whole payload, for jobs that take more (e.g. a financial year to close by hand). */
  readonly input: Record<string, unknown>;
}

/**
 * A scheduled job: the run's due time parsed from the scheduler's payload, logs with the
 * invocation's context, a JobRuns metric, and a failure that throws (so the scheduler's retry
 * and dead-letter queue take over).
 */
export function scheduledJob<D extends FunctionDeclaration & { schedules: readonly unknown[] }, R>(
  declaration: D,
  run: (job: JobRun) => Promise<R>,
) {
  // One run, one correlation: the schedule and the time it was due (or the invocation, by hand).
  const runOf = (raw: unknown, context: Context) => {
    const { schedule, scheduledTime } = (raw ?? {}) as { schedule?: unknown; scheduledTime?: unknown };
    const id = `${typeof schedule === 'string' ? schedule : declaration.name}:${typeof scheduledTime === 'string' ? scheduledTime : context.awsRequestId}`;
    return { correlationId: acceptableId(id) ? id : context.awsRequestId };
  };
  const handler = middy(
    correlated(runOf, async (raw: unknown, _context: Context) => {
      const input = scheduledInput.parse(raw ?? {});
      const result = await run({ at: input.scheduledTime ? new Date(input.scheduledTime) : new Date(), input });
      metrics.addMetric('JobRuns', MetricUnit.Count, 1);
      return result;
    }),
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(tracing())
    .use(publishMetrics());
  return Object.assign(handler, { wiring: { name: declaration.name, schedules: true } });
}
