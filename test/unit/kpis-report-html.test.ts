import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../functions/kpis/charts.ts';
import { kpiLabels } from '../../functions/kpis/model.ts';
import { renderKpiReportHtml } from '../../functions/kpis/report-html.ts';
import { committeeYearReport } from '../support/kpi-reports.ts';

const meta = { title: 'Safer Communities KPIs', periodName: 'Committee year 2023/24 (October 2023 to September 2024)', previousName: 'Committee year 2022/23 (October 2022 to September 2023)', createdAt: '2024-10-01T06:15:00Z' };

describe('unit: the KPI report as one HTML file', () => {
  const html = renderKpiReportHtml(committeeYearReport(), meta);

  it('is a whole document that names the periods and when it was made (UK time)', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en-GB">')).toBe(true);
    expect(html).toContain('<title>Safer Communities KPIs</title>');
    expect(html).toContain('<p class="lead">Committee year 2023/24 (October 2023 to September 2024), compared with Committee year 2022/23 (October 2022 to September 2023): the period of the same length just before it.</p>');
    expect(html).toContain('<p>Dates: 1 October 2023 to 30 September 2024; the previous period 1 October 2022 to 30 September 2023.</p>');
    expect(html).toContain('Created 1 October 2024 at 07:15.');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('contains every KPI label and its figures', () => {
    for (const [id, label] of Object.entries(kpiLabels)) {
      expect(html).toContain(escapeXml(label));
      expect(html, id).toMatch(new RegExp(`[>(]${id}[<)]`));
    }
    for (const figure of ['>4,364<', '>2,606<', '>up 1,758<', '>12.5%<', '>32.62<', '>0.92<', '>40<', '>down 18<', '>106<', 'Not available: no count of homes recorded by 30 September 2023']) {
      expect(html).toContain(figure);
    }
    expect(html.match(/<svg /g)).toHaveLength(6);
  });

  it('refers to nothing outside itself and runs no script', () => {
    expect(html).not.toMatch(/\b(src|href|srcset|action|xlink:href)\s*=/i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('prints a section a page, with no navigation', () => {
    expect(html).toContain('@media print');
    expect(html).toContain('section + section { break-before: page; }');
    expect(html.match(/<section>/g)).toHaveLength(3);
    expect(html).not.toMatch(/<nav|<form|<button/);
  });

  it('escapes the text it is given', () => {
    const hostile = renderKpiReportHtml(committeeYearReport(), { ...meta, title: '<script>alert(1)</script> & "co"', periodName: '<img src=x onerror=alert(1)>' });
    expect(hostile).not.toContain('<script>alert(1)');
    expect(hostile).not.toContain('<img src=x');
    expect(hostile).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;</title>');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
