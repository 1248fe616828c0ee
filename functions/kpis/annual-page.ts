/**
 * The staff page of the annual report's figures (`GET /officer/kpis/annual?year=2025`: the
 * committee year October 2024 to September 2025). A year that cannot be read answers 400 with
 * the year picker and what to change.
 */
import type { HttpResult } from '#shared/http';
import { documentPage } from '../../web/render.ts';
import { annualStyleHash, renderAnnualReport } from './annual-html.ts';
import { annualReportModel, committeeYearChoices, committeeYearFrom, readAnnualReport, type AnnualReportDeps } from './annual-report.ts';
import { sentence } from '../../web/forms.ts';
import type { PeriodQuery } from './periods.ts';

export const exportsPageHref = '/officer/kpis/exports';

const html = (body: string, status = 200): HttpResult => documentPage(body, { status, styleHashes: [annualStyleHash] });

export function buildAnnualPage(deps: AnnualReportDeps) {
  return async (query: PeriodQuery): Promise<HttpResult> => {
    const now = deps.now();
    const choice = committeeYearFrom(query.year, now);
    if (choice.errors) {
      const error = sentence(choice.errors[0]?.message ?? '');
      return html(renderAnnualReport(undefined, { dashboardHref: '/officer/kpis', exportsHref: exportsPageHref, years: committeeYearChoices(now), error }), 400);
    }
    const { year } = choice;
    const model = annualReportModel(await readAnnualReport(year, deps));
    return html(
      renderAnnualReport(model, {
        dashboardHref: `/officer/kpis?period=committee-year&year=${encodeURIComponent(year.year ?? '')}`,
        exportsHref: exportsPageHref,
        years: committeeYearChoices(now, year),
      }),
    );
  };
}
