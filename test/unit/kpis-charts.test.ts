import { describe, expect, it } from 'vitest';
import { comparisonChartSvg, escapeXml, tenancyChartSvg, wrap, type ComparisonItem } from '../../functions/kpis/charts.ts';
import { reportedTenancy } from '../support/kpi-reports.ts';

const hostile = `<script>alert("x")</script> & 'co'`;
const chart = (items: readonly ComparisonItem[] = [{ label: 'Community Protection Warnings issued', current: 40, previous: 58, currentText: '40', previousText: '58' }]) =>
  comparisonChartSvg({ id: 'chart-warnings', title: 'Warnings', description: 'Solid this period, hatched the previous.', currentName: 'May 2024', previousName: 'April 2024', items });
const bars = (svg: string) => [...svg.matchAll(/<rect x="1" y="[\d.]+" width="([\d.]+)" height="18"/g)].map((m) => Number(m[1]));

describe('unit: KPI charts', () => {
  it('is an image named by its title and description, with no inline style or script', () => {
    const svg = chart();
    expect(svg).toMatch(/^<svg class="sc-chart" role="img" aria-labelledby="chart-warnings-title chart-warnings-desc" viewBox="0 0 400 [\d.]+"/);
    expect(svg).toContain('<title id="chart-warnings-title">Warnings</title>');
    expect(svg).toContain('<desc id="chart-warnings-desc">Solid this period, hatched the previous.</desc>');
    expect(svg).not.toMatch(/style=|<script|on\w+=/);
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('writes every figure and which period it is beside its bar, so no meaning rests on colour', () => {
    const svg = chart();
    expect(svg).toContain('>40 this period</text>');
    expect(svg).toContain('>58 previous</text>');
    expect(svg).toContain('>This period: May 2024</text>');
    expect(svg).toContain('>Previous period: April 2024</text>');
    expect(svg).toContain('fill="url(#chart-warnings-hatch)"');
  });

  it('scales bars to the largest figure, draws none for zero or a missing figure', () => {
    const widths = bars(chart([
      { label: 'a', current: 40, previous: 20, currentText: '40', previousText: '20' },
      { label: 'b', current: 0, previous: null, currentText: '0', previousText: 'Not available' },
    ]));
    expect(widths).toHaveLength(2);
    expect(widths[1]).toBeCloseTo((widths[0] ?? 0) / 2, 0);
    expect(chart([{ label: 'b', current: 0, previous: null, currentText: '0', previousText: 'Not available' }])).toContain('>Not available previous</text>');
  });

  it('escapes every piece of text and keeps element ids safe', () => {
    const svg = comparisonChartSvg({ id: 'x" onload="alert(1)', title: hostile, description: hostile, currentName: hostile, previousName: hostile, items: [{ label: hostile, current: 1, previous: 2, currentText: hostile, previousText: '2' }] });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('onload="');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('wraps a long label onto lines rather than past the edge', () => {
    expect(wrap('Case Review requests where the threshold was not met', 30)).toEqual(['Case Review requests where the', 'threshold was not met']);
    expect(wrap('short')).toEqual(['short']);
  });

  it('draws the tenancy table as three labelled bars a quarter', () => {
    const svg = tenancyChartSvg({ id: 'chart-tenancy', title: 'Tenancy', description: 'A, B and C by quarter.', table: reportedTenancy() });
    for (const label of ['Q1 (April to June)', 'Q4 (January to March)', 'A: 3', 'B: 5', 'C: 16', 'A: 0', 'C: 24']) expect(svg).toContain(`>${label}</text>`);
    expect(bars(svg)).toHaveLength(11); // twelve bars less A in Q3, which is 0
    expect(svg).toContain('role="img"');
  });
});
