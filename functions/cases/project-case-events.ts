import { casesContracts } from '#events/cases';
import { enforcementContracts } from '#events/enforcement';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { eventConsumer } from '#shared/consumer';
import { buildMarkReportTriaged } from '../intake/reports-repository.ts';
import { buildProjectCaseEvent, type CaseEvent } from './case-projection.ts';
import { buildProjectTriage } from './report-projection.ts';

const table = setting('table');
const projectCase = buildProjectCaseEvent(documents, table);
const projectTriage = buildProjectTriage(buildMarkReportTriaged(documents, table));

/** One consumer for both projections: the case (summary, timeline) and the report's triage status. */
export const handler = eventConsumer([...casesContracts, ...enforcementContracts], async ({ contract, detail }) => {
  const event = { source: contract.source, detailType: contract.detailType, detail } as CaseEvent;
  await projectTriage(event);
  await projectCase(event);
});
