import type { Principal } from '#shared/auth';
import { caseReviewSettings } from '#shared/case-review-settings';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { dateText } from '#shared/london-time';
import { dueItems as reviewsDue } from '../case-reviews/model.ts';
import { readAllReviews } from '../case-reviews/read.ts';
import { buildCaseReviewStore } from '../case-reviews/repository.ts';
import { canSeeCase, caseViewOf } from '../cases/case-model.ts';
import { casesDue, listCases } from '../cases/case-queries.ts';
import { getCaseItem, getReport, queryDeps, today } from '../cases/deps.ts';
import { officerErrorPage, staffPage } from '../cases/officer-frame.ts';
import '../../web/generated/templates/officer.js'; // the officer/ templates this module renders
import { arrivalOf, caseRows, whenText } from '../cases/page-model.ts';
import { buildSubjectActions } from '../enforcement/subject-index.ts';
import { buildReadKpis } from '../kpis/read.ts';
import { categoryText } from '../../web/vocabulary.ts';
import { officerHome } from './capability.ts';
import { dueToday, kpiTiles, overdueRows, reminderRows, reviewRows, yearToDate } from './home-model.ts';
import { buildSearchIndex, queryTerms } from './search.ts';

const table = setting('table');
const reviews = buildCaseReviewStore(documents, table);
const readKpis = buildReadKpis(documents, table);
const searchIndex = buildSearchIndex(documents, table);
const subjectActions = buildSubjectActions(documents, table);

const has = (p: Principal | undefined, ...roles: string[]) => roles.some((r) => (p?.roles as readonly string[] | undefined)?.includes(r));

/** The longest search the box takes. */
const MAX_QUERY = 100;

async function search(q: string, principal: Principal | undefined) {
  const { caseId, terms } = queryTerms(q.slice(0, MAX_QUERY));
  const [byCase, found, actions] = await Promise.all([
    caseId ? getCaseItem(caseId) : undefined,
    searchIndex.find(terms),
    subjectActions(q.trim()),
  ]);
  const reports = (await Promise.all(found.slice(0, 50).map((f) => getReport(f.reportId)))).filter((r) => r !== undefined);
  const caseIds = new Set([...(byCase ? [String(byCase.caseId)] : []), ...actions.flatMap((a) => (typeof a.caseId === 'string' ? [a.caseId] : [])), ...reports.flatMap((r) => (r.caseId ? [r.caseId] : []))]);
  const views = (await Promise.all([...caseIds].slice(0, 50).map(async (id) => caseViewOf(await getCaseItem(id), today())))).filter((v) => v !== undefined);
  return {
    cases: caseRows(views.filter((v) => canSeeCase(principal, v))),
    reports: reports.map((r) => ({
      href: `/officer/triage/${encodeURIComponent(r.reportId)}`,
      reference: r.reference ?? r.reportId,
      category: categoryText(r.category),
      arrived: whenText(arrivalOf(r)),
      where: [r.location.text, r.location.postcode].filter(Boolean).join(', '),
      status: r.status === 'untriaged' ? 'Waiting for triage' : r.status === 'referred' ? `Referred to ${r.referredTo ?? 'another service'}` : `Case ${r.caseId ?? ''}`,
    })),
  };
}

export const handler = httpApi(
  officerHome,
  {
    'GET /officer': async ({ principal }) => {
      const day = today();
      const me = principal?.subject;
      const range = yearToDate(day);
      const [mine, overdue, due, reviewItems, kpis] = await Promise.all([
        me ? listCases(principal, { status: 'open', assignedTo: me }, { limit: 50 }, queryDeps) : { items: [] },
        listCases(principal, { status: 'open', overdue: true }, { limit: 50 }, queryDeps),
        casesDue(principal, day, queryDeps),
        has(principal, 'officer', 'admin') ? readAllReviews(reviews, caseReviewSettings()).then((views) => reviewsDue(views, day)) : undefined,
        has(principal, 'officer', 'admin', 'finance') ? readKpis(range) : undefined,
      ]);
      const myIds = new Set(mine.items.map((c) => c.caseId));
      return staffPage('officer/home.njk', 'home', {
        today: dateText(day),
        mine: caseRows(mine.items),
        reminders: reminderRows(dueToday(due.items, day).filter((i) => myIds.has(i.caseId)), day),
        otherReminders: dueToday(due.items, day).filter((i) => !myIds.has(i.caseId)).length,
        overdue: overdueRows(overdue.items),
        reviews: reviewItems ? reviewRows(reviewItems, day) : undefined,
        tiles: kpis ? kpiTiles(kpis, range) : undefined,
        range,
      });
    },
    'GET /officer/search': async ({ principal, query }) => {
      const q = (query.q ?? '').trim();
      const error = q ? undefined : { text: 'Enter a case or report reference, a subject reference or a postcode' };
      const results = q ? await search(q, principal) : undefined;
      return staffPage(
        'officer/search.njk',
        'home',
        { q, results, errors: error ? { summary: [{ text: error.text, href: '#q' }], fields: { q: error } } : { summary: [], fields: {} } },
        error ? { status: 400 } : {},
      );
    },
  },
  { errorPage: officerErrorPage },
);
