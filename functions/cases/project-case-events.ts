import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { buildMarkReportTriaged } from '../intake/reports-repository.ts';
import { caseProjector } from './capability.ts';
import { buildProjectCaseEvent } from './case-projection.ts';
import { buildProjectTriage } from './report-projection.ts';

const table = setting('table');
const projectCase = buildProjectCaseEvent(documents, table);
const projectTriage = buildProjectTriage(buildMarkReportTriaged(documents, table));

/**
 * One consumer for both projections: the case (summary, timeline) and the report's triage status.
 * Both are idempotent and order-independent by their own writes (case-projection.ts,
 * report-projection.ts; test/integration/cases-projection.test.ts applies every permutation one
 * to three times), so the event's claim replaces a Powertools record.
 */
export const handler = eventConsumer(
  caseProjector,
  async (event) => {
    await projectTriage(event);
    await projectCase(event);
  },
  { idempotency: 'own-writes' },
);
