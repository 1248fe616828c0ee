import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

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
