import type { Principal } from '#shared/auth';
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { errorPageFor } from '../../web/error-page.ts';
import { fundingPages } from './capability.ts';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/funding.js'; // the funding/ templates this module renders
import { requireLedger } from './http-support.ts';
import { buildLedgerStore } from './ledger-repository.ts';
import { formatPounds } from './money.ts';
import { fundingOverview } from './overview.ts';
import { balanceRows, chartOf, dayOf, lineRows, projectRows } from './page-model.ts';
import { buildProfileStore } from './profile-store.ts';
import { yearStateText } from './quarters.ts';
import { buildStreamRegistry } from './stream-registry.ts';
import { yearsOf } from './streams.ts';
import { outturnRows, quarterTableRows, recordedBanner, stateSentence, stateTag } from './year-page-model.ts';
import { buildReadYearReport } from './year-report.ts';

const store = buildLedgerStore(documents, setting('table'));
const registry = buildStreamRegistry(documents, setting('table'));
const readYearReport = buildReadYearReport({ ledgers: store, profiles: buildProfileStore(documents, setting('table')) });
const service = { name: 'Funding', url: '/finance/funding' };
const pageHref = (stream: string, fy: string) => `/finance/funding/${stream}/${fy}`;

const errorPage = errorPageFor({ service, links: [{ href: '/finance/funding', text: 'See all funding streams and years' }] });

/** Finance and admin record money; officers read. The forms' routes check this again on their own. */
const mayRecord = (principal: Principal | undefined) => principal?.roles.some((r) => r === 'finance' || r === 'admin') === true;

export const handler = httpApi(fundingPages, {
  'GET /finance/funding': async ({ principal, query }) => {
    const streams = await fundingOverview(store, await registry.list());
    return page('funding/index.njk', {
      service,
      mayRecord: mayRecord(principal),
      opened: query.opened,
      streams: streams.map((s) => {
        const years = s.financialYears.map((y) => ({
          financialYear: y.financialYear,
          href: pageHref(s.stream, y.financialYear),
          spent: formatPounds(y.spentPence),
          committed: formatPounds(y.committedPence),
          remaining: formatPounds(y.remainingPence),
          state: stateTag(y.state, y.overspent),
          empty: y.lineCount === 0,
        }));
        return {
          code: s.stream,
          name: s.name,
          description: s.description,
          // Years with nothing recorded are left out of the table; finance can still open one to record its first line.
          years: years.filter((y) => !y.empty).reverse(),
          emptyYears: years.filter((y) => y.empty).reverse(),
        };
      }),
    });
  },
  'GET /finance/funding/{stream}/{financialYear}': async ({ path, query, principal }) => {
    const now = new Date();
    const { stream, financialYear } = await requireLedger(registry, path, now);
    const view = await readYearReport(stream, financialYear, now);
    const closedOn = view.closed ? dayOf(view.closed.closedAt) : undefined;
    const here = pageHref(stream.code, financialYear);
    const recording = mayRecord(principal);
    return page('funding/ledger.njk', {
      service,
      view,
      remaining: formatPounds(view.remainingPence),
      overspentBy: formatPounds(-view.remainingPence),
      state: stateTag(view.state, view.overspent),
      stateText: yearStateText[view.state],
      stateSentence: stateSentence(view, closedOn),
      closedOn,
      closedRemaining: view.closed ? formatPounds(view.closed.remainingPence) : undefined,
      recorded: recordedBanner(view, query.recorded),
      profileSet: query.profile === 'set',
      balanceRows: balanceRows(view),
      outturnRows: outturnRows(view),
      quarterRows: quarterTableRows(view),
      hasProfile: view.profile !== undefined,
      projectRows: projectRows(view),
      lineRows: lineRows(view),
      // For each line, in the same order: the reversal form of a spend that can still be reversed.
      lineActions: view.lines.map((l) => (recording && l.type === 'spend' && !l.reversedBy ? { href: `${here}/spends/${encodeURIComponent(l.eventId)}/reversal`, what: `${l.project}, ${formatPounds(l.amountPence)}` } : undefined)),
      chart: chartOf(view),
      csvHref: `/funding/${stream.code}/${financialYear}?format=csv`,
      ledgerCsvHref: `/funding/${stream.code}/${financialYear}?format=ledger-csv`,
      record: recording
        ? { spend: `${here}/record/spend`, commitment: `${here}/record/commitment`, allocation: `${here}/record/allocation`, profile: `${here}/profile` }
        : undefined,
      otherYears: yearsOf(stream, now)
        .filter((fy) => fy !== financialYear)
        .reverse()
        .map((fy) => ({ text: `${stream.code} ${fy}`, href: pageHref(stream.code, fy) })),
    });
  },
}, { errorPage });
