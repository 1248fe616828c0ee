import { describe, expect, it } from 'vitest';
import { wrap } from '../../functions/kpis/charts.ts';
import { kpiIds, kpiLabels, teamKpis } from '../../functions/kpis/model.ts';
import { annualReportKpis, changeText, dashboardModel, nm01Kpis, notAvailableText, pickerModel, valueText } from '../../functions/kpis/page-model.ts';
import { defaultPeriod, periodFromQuery } from '../../functions/kpis/periods.ts';
import { committeeYearReport } from '../support/kpi-reports.ts';

const names = { current: 'Committee year 2023/24', previous: 'Committee year 2022/23 (October 2022 to September 2023)' };
const texts = (rows: { text: string }[][]) => rows.map((r) => r.map((c) => c.text));

describe('unit: KPI figures as people read them', () => {
  it('writes counts with thousands separators, percentages to one decimal and NM01 to two', () => {
    expect(valueText('total_team_actions', 4364)).toBe('4,364');
    expect(valueText('patrol_hours', 310.5)).toBe('310.5');
    expect(valueText('pct_cases_referred_from_housing', 12.5)).toBe('12.5%');
    expect(valueText('pct_cases_referred_from_housing', 10)).toBe('10.0%');
    expect(valueText('nm01_asb_per_1000_homes', 3.4)).toBe('3.40');
    expect(valueText('nm01_hate_asb_per_1000_homes', 0)).toBe('0.00');
  });

  it('says the change in words, with its size', () => {
    expect(changeText('total_team_actions', 4364, 2606)).toBe('up 1,758');
    expect(changeText('cpw_issued', 40, 58)).toBe('down 18');
    expect(changeText('cpn_issued', 5, 5)).toBe('no change');
    expect(changeText('pct_cases_referred_from_housing', 12.5, 10)).toBe('up 2.5 percentage points');
    expect(changeText('nm01_asb_per_1000_homes', 3.3, 3.42)).toBe('down 0.12');
    expect(changeText('patrol_hours', 0.1 + 0.2, 0.3)).toBe('no change');
    expect(changeText('nm01_asb_per_1000_homes', null, 3.42)).toBe('Cannot compare');
  });

  it('says why a figure is not available', () => {
    expect(notAvailableText('pct_cases_referred_from_housing', { from: '2024-05-01', to: '2024-05-31' })).toBe('Not available: no cases were opened');
    expect(notAvailableText('nm01_asb_per_1000_homes', { from: '2024-05-01', to: '2024-05-31' })).toBe('Not available: no count of homes recorded by 31 May 2024');
  });
});

describe('unit: the KPI dashboard model', () => {
  const model = dashboardModel(committeeYearReport(), names);

  it("lists the team's twelve first, in their order, then the annual-report rows and NM01, each KPI once", () => {
    expect(model.teamRows.map((r) => r[0]?.text)).toEqual(teamKpis.map((id) => kpiLabels[id]));
    expect(model.annualRows.map((r) => r[0]?.text)).toEqual(annualReportKpis.map((id) => kpiLabels[id]));
    const shown = [...teamKpis, ...annualReportKpis, ...nm01Kpis];
    expect(new Set(shown).size).toBe(shown.length);
    expect([...shown].sort()).toEqual(kpiIds.filter((id) => id !== 'tenancy_cases').sort());
  });

  it('gives each KPI this period, the previous period and the change', () => {
    expect(texts(model.teamRows)[4]).toEqual(['Community Protection Warnings issued', '40', '58', 'down 18']);
    expect(texts(model.teamRows)[3]).toEqual(['Percentage of cases referred from Housing', '12.5%', '10.0%', 'up 2.5 percentage points']);
    expect(texts(model.annualRows).at(-1)).toEqual(['Total recorded team actions', '4,364', '2,606', 'up 1,758']);
    expect(texts(model.nm01Rows)[0]).toEqual(['NM01: ASB cases per 1,000 homes', '32.62', 'Not available: no count of homes recorded by 30 September 2023', 'Cannot compare']);
    expect(model.teamRows[4]?.[1]).toEqual({ text: '40', format: 'numeric' });
    expect(model.nm01Rows[0]?.[2]).not.toHaveProperty('format');
  });

  it("lays out the tenancy table as the annual report does: categories down, quarters across", () => {
    expect(texts(model.tenancyRows)).toEqual([
      ['A', '3', '4', '0', '3', '10'],
      ['B', '5', '3', '8', '8', '24'],
      ['C', '16', '9', '23', '24', '72'],
      ['All', '24', '16', '31', '35', '106'],
    ]);
    expect(texts(model.tenancyComparison)).toEqual([
      ['A', '10', '0', 'up 10'],
      ['B', '24', '0', 'up 24'],
      ['C', '72', '0', 'up 72'],
      ['All', '106', '0', 'up 106'],
    ]);
  });

  it('draws a chart per group of like figures, each with the same figures as table rows', () => {
    expect(model.charts.map((c) => c.id)).toEqual(['chart-cases', 'chart-warnings', 'chart-court', 'chart-reviews', 'chart-activity']);
    for (const chart of model.charts) {
      expect(chart.svg).toContain(`aria-labelledby="${chart.id}-title ${chart.id}-desc"`);
      for (const row of chart.rows) for (const line of wrap(row[0]?.text ?? '')) expect(chart.svg).toContain(`>${line}</text>`);
    }
    expect(model.tenancyChart).toContain('C: 24');
  });
});

describe('unit: the period picker', () => {
  const now = new Date('2024-10-15T10:00:00Z');

  it('selects the chosen period and starts every other input from its dates', () => {
    const chosen = periodFromQuery({ period: 'quarter', year: '2024-25', quarter: 'Q2' }, now).period;
    const picker = pickerModel(chosen, {}, now, chosen ?? defaultPeriod(now));
    expect(picker.period).toBe('quarter');
    expect(picker.quarters.find((q) => q.selected)?.value).toBe('Q2');
    expect(picker.quarterYears.find((y) => y.selected)?.value).toBe('2024-25');
    expect(picker.months.find((m) => m.selected)?.value).toBe('2024-07');
    expect(picker.committeeYears.find((y) => y.selected)?.value).toBe('2023/24');
    expect(picker.from).toEqual({ day: '1', month: '7', year: '2024' });
    expect(picker.to).toEqual({ day: '30', month: '9', year: '2024' });
    expect(picker.months[0]).toEqual({ value: '2024-10', text: 'October 2024 (so far)' });
    expect(picker.months).toHaveLength(36);
  });

  it('keeps an older valid choice in its list and shows back what was sent when it was refused', () => {
    const old = periodFromQuery({ period: 'financial-year', year: '2010-11' }, now).period;
    expect(pickerModel(old, {}, now, defaultPeriod(now)).financialYears.find((y) => y.selected)?.value).toBe('2010-11');
    const refused = pickerModel(undefined, { period: 'custom', 'from-day': '31', 'from-month': '2', 'from-year': '2024', 'to-day': '', 'to-month': '', 'to-year': '' }, now, defaultPeriod(now));
    expect(refused.period).toBe('custom');
    expect(refused.from).toEqual({ day: '31', month: '2', year: '2024' });
    expect(refused.to).toEqual({ day: '', month: '', year: '' });
    expect(pickerModel(undefined, { period: 'custom', from: '2024-05-01' }, now, defaultPeriod(now)).to).toEqual({ day: '30', month: '9', year: '2024' });
    expect(pickerModel(undefined, { period: 'financial-year', year: '2024-26' }, now, defaultPeriod(now)).financialYears.some((y) => y.selected)).toBe(false);
  });
});
