import { caseReviewSettings } from '#shared/case-review-settings';
import { eventConsumer } from '#shared/consumer';
import { logger } from '#shared/powertools';
import { caseReviewAssessor } from './capability.ts';
import { assessApplication } from './commands.ts';
import { publish, store } from './deps.ts';

/** The threshold, assessed by rule as each application arrives (commands.ts, assessApplication). */
export const handler = eventConsumer(caseReviewAssessor, async (event) => {
  const result = await assessApplication(event.detail, { heldReports: store.heldReports, publish, settings: () => caseReviewSettings() });
  logger.info('case review assessed', { reviewId: event.detail.reviewId, met: result.met, qualifying: result.qualifying });
});
