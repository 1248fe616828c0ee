/**
 * The staff KPI dashboard (`GET /officer/kpis`): the period asked for, or the last complete
 * month, with every figure beside the previous period's. A period that cannot be read answers
 * 400 with the picker and an error summary that says what to fix. The KPI reader is injected,
 * so the page is tested with fixture reports.
 */
import { AppError, type ErrorDetail } from '#shared/errors';
import type { Principal } from '#shared/auth';
import type { HttpResult } from '#shared/http';
import { formErrors, noErrors, type FormErrors } from '../../web/forms.ts';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/kpis.js'; // the kpis/ templates this module renders
import { stockRecorders } from './capability.ts';
import { stockText, type HousingStock } from './figures.ts';
import type { KpiReport } from './model.ts';
import { dashboardModel, kpiTableHead, periodFields, pickerModel, tenancyQuarterHead } from './page-model.ts';
import { dateText, defaultPeriod, nameOf, periodFromQuery, type Period, type PeriodQuery } from './periods.ts';
import type { ReadKpiReading } from './read.ts';
import { dashboardService } from './service.ts';

export { dashboardService };

export interface DashboardDeps {
  /** The report with the counts of homes NM01 divided by (read.ts). */
  readonly readKpiReading: ReadKpiReading;
  readonly now?: () => Date;
}

/** The count of homes NM01 divided by in each period, as a summary list's rows ("3,872 homes as at 31 March 2024"). */
export function stockRows(
  report: KpiReport,
  stock: { current: HousingStock | undefined; previous: HousingStock | undefined },
  names: { current: string; previous: string },
): { key: { text: string }; value: { text: string } }[] {
  const text = (s: HousingStock | undefined, to: string) =>
    s ? stockText(s) : `None: no count of homes recorded on or before ${dateText(to)}`;
  return [
    { key: { text: `This period (${names.current})` }, value: { text: text(stock.current, report.to) } },
    { key: { text: `Previous period (${names.previous})` }, value: { text: text(stock.previous, report.previous.to) } },
  ];
}

export function buildDashboard(deps: DashboardDeps) {
  const now = deps.now ?? (() => new Date());
  const answer = (context: Record<string, unknown>, status?: number) =>
    page('kpis/dashboard.njk', { service: dashboardService, kpiTableHead, tenancyQuarterHead, ...context }, status ? { status } : {});
  const refused = (query: PeriodQuery, at: Date, errors: FormErrors) =>
    answer({ picker: pickerModel(undefined, query, at, defaultPeriod(at)), errors }, 400);

  return async (query: PeriodQuery, principal?: Principal): Promise<HttpResult> => {
    const at = now();
    const chosen = periodFromQuery(query, at);
    if (chosen.errors) return refused(query, at, formErrors(chosen.errors, periodFields, 'period'));
    const period: Period = chosen.period;
    let report: KpiReport;
    let housingStock: { current: HousingStock | undefined; previous: HousingStock | undefined };
    try {
      ({ report, housingStock } = await deps.readKpiReading({ from: period.from, to: period.to }));
    } catch (error) {
      // The reader's own limits (a range it will not read) are the person's to fix, on the form.
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 422)) throw error;
      const details: ErrorDetail[] = error.details?.length ? [...error.details] : [{ path: 'from', message: error.message }];
      return refused({ ...query, period: period.kind }, at, formErrors(details, periodFields, 'period'));
    }
    const previousName = nameOf(report.previous);
    return answer({
      period,
      // A committee year's figures are also drafted as the annual report's: link to that year's.
      annualHref: period.kind === 'committee-year' ? `/officer/kpis/annual?year=${period.to.slice(0, 4)}` : '/officer/kpis/annual',
      previousName,
      picker: pickerModel(period, query, at, period),
      errors: noErrors,
      ...dashboardModel(report, { current: period.name, previous: previousName }),
      stockRows: stockRows(report, housingStock, { current: period.name, previous: previousName }),
      // Tenancy Services and admin record the count; the others see which one was used.
      recordStockHref: principal?.roles.some((r) => stockRecorders.includes(r)) ? '/officer/kpis/housing-stock' : undefined,
    });
  };
}
