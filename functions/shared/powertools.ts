import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_KEY } from '@aws-lambda-powertools/commons';
import type { MiddlewareObj } from '@middy/core';

/**
 * One Logger and one Metrics per process. The logger never receives event payloads:
 * reports carry free text and contact details from the public (quality.md).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'safer-communities' });
export const metrics = new Metrics({
  logger,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SaferCommunities',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'safer-communities',
});

/**
 * Powertools' logMetrics, except that an invocation with nothing left to publish stays quiet.
 * On Lambda every invocation has metrics of its own (one at a time per process); in the local
 * runtime many functions share this process and its one Metrics, so one invocation's flush can
 * take another's metrics, and logMetrics then warned "No application metrics to publish" for
 * the other, hundreds of times a test run. Registered as Powertools' cleanup too, so an
 * idempotent early return (which skips `after`) still publishes.
 */
export function publishMetrics(): MiddlewareObj {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: (request) => {
      request.internal = { ...request.internal, [METRICS_KEY]: publish };
    },
    after: publish,
    onError: publish,
  };
}
