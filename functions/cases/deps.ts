/**
 * The cases' side effects, wired to the table and the bus once per module load. Every handler
 * that reads or decides on cases (the cases API, triage, the officer pages, the reminders, and
 * enforcement's actions) takes its deps from here; unit tests build their own fakes instead.
 */
import { randomUUID } from 'node:crypto';
import type { PublishEntry } from '#events/put';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { londonDateOf } from '#shared/london-time';
import { events } from '#shared/publisher';
import { buildGetReport, buildListReports } from '../intake/reports-repository.ts';
import type { CaseCommandDeps } from './case-commands.ts';
import { caseViewOf, type CaseView, type TimelineEntry } from './case-model.ts';
import type { CaseQueryDeps } from './case-queries.ts';
import { buildAllCaseItems, buildGetCaseItem, buildListCaseItems, buildLoadCase, buildNextCaseNumber, buildPartnerCaseItems } from './case-repository.ts';
import type { TriageDeps } from './triage.ts';
import { buildTriageClaims } from './triage-repository.ts';

const table = setting('table');

/** Today's date in London: what "due" and "overdue" are measured against. */
export const today = () => londonDateOf(new Date());

export const publish = async (entry: PublishEntry): Promise<void> => void (await events().publish([entry]));
export const getCaseItem = buildGetCaseItem(documents, table);
export const getReport = buildGetReport(documents, table);
export const listReports = buildListReports(documents, table);

/** The case summary as seen today, without its timeline. */
const getCase = async (caseId: string) => caseViewOf(await getCaseItem(caseId), today());

/** The read side of the cases. */
export const queryDeps: CaseQueryDeps = {
  loadCase: buildLoadCase(documents, table),
  listCaseItems: buildListCaseItems(documents, table),
  allCaseItems: buildAllCaseItems(documents, table),
  partnerCaseItems: buildPartnerCaseItems(documents, table),
  today,
};

/** A case as seen today with its whole timeline (for checking an action against what went before). */
export async function caseWithTimeline(caseId: string): Promise<{ view?: CaseView; timeline: readonly TimelineEntry[] }> {
  const stored = await queryDeps.loadCase(caseId);
  const view = caseViewOf(stored.summary, today());
  return { ...(view ? { view } : {}), timeline: stored.timeline };
}

/** Closing and sharing a case. */
export const commandDeps: CaseCommandDeps = { getCase, publish, newId: randomUUID };

/**
 * Deciding on a report in the triage queue. The builders only close over the client and the
 * table, so they are marked pure: a function that takes no triage deps (OfficerHome) then
 * leaves this object out of its bundle, and with it `publish` and the bus client.
 */
export const triageDeps: TriageDeps = {
  getReport,
  getCase,
  claims: /* @__PURE__ */ buildTriageClaims(documents, table),
  nextCaseNumber: /* @__PURE__ */ buildNextCaseNumber(documents, table),
  publish,
  newId: randomUUID,
};
