import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { errorPageFor } from '../../web/error-page.ts';
import { fundingPages } from './capability.ts';
import { page } from '../../web/render.ts';
import { requireLedger } from './http-support.ts';
import { buildLedgerStore } from './ledger-repository.ts';
import { formatPounds } from './money.ts';
import { fundingOverview } from './overview.ts';
import { balanceRows, chartOf, dayOf, lineRows, projectRows } from './page-model.ts';
import { yearsOf } from './streams.ts';
import { buildReadLedgerView } from './views.ts';

const store = buildLedgerStore(documents, setting('table'));
const readLedgerView = buildReadLedgerView(store);
const service = { name: 'Funding', url: '/finance/funding' };
const pageHref = (stream: string, fy: string) => `/finance/funding/${stream}/${fy}`;

const errorPage = errorPageFor({ service, links: [{ href: '/finance/funding', text: 'See all funding streams and years' }] });

export const handler = httpApi(fundingPages, {
  'GET /finance/funding': async () => {
    const streams = await fundingOverview(store);
    return page('funding/index.njk', {
      service,
      streams: streams.map((s) => ({
        code: s.stream,
        name: s.name,
        description: s.description,
        years: s.financialYears.map((y) => ({
          financialYear: y.financialYear,
          href: pageHref(s.stream, y.financialYear),
          spent: formatPounds(y.spentPence),
          remaining: formatPounds(y.remainingPence),
          status: y.overspent ? 'Overspent' : y.closed ? 'Closed' : y.spentPence === 0 && y.remainingPence === 0 ? 'No lines' : 'Open',
        })),
      })),
    });
  },
  'GET /finance/funding/{stream}/{financialYear}': async ({ path }) => {
      const { stream, financialYear } = requireLedger(path);
      const view = await readLedgerView(stream, financialYear);
      return page('funding/ledger.njk', {
        service,
        view,
        remaining: formatPounds(view.remainingPence),
        overspentBy: formatPounds(-view.remainingPence),
        closedOn: view.closed ? dayOf(view.closed.closedAt) : undefined,
        closedRemaining: view.closed ? formatPounds(view.closed.remainingPence) : undefined,
        balanceRows: balanceRows(view),
        projectRows: projectRows(view),
        lineRows: lineRows(view),
        chart: chartOf(view),
        csvHref: `/funding/${stream.code}/${financialYear}?format=csv`,
        otherYears: yearsOf(stream)
          .filter((fy) => fy !== financialYear)
          .map((fy) => ({ text: `${stream.code} ${fy}`, href: pageHref(stream.code, fy) })),
      });
  },
}, { errorPage });
