import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { londonDateOf } from '#shared/london-time';
import type { CaseQueryDeps } from './case-queries.ts';
import { buildAllCaseItems, buildListCaseItems, buildLoadCase, buildPartnerCaseItems } from './case-repository.ts';

const table = setting('table');

/** The read side of the cases, wired to the table: shared by the API and the daily reminders. */
export const queryDeps: CaseQueryDeps = {
  loadCase: buildLoadCase(documents, table),
  listCaseItems: buildListCaseItems(documents, table),
  allCaseItems: buildAllCaseItems(documents, table),
  partnerCaseItems: buildPartnerCaseItems(documents, table),
  today: () => londonDateOf(new Date()),
};
