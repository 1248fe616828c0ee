/**
 * Bar charts as SVG text, drawn on the server: no script, no inline styles (the pages' CSP
 * refuses them), and the same markup in the dashboard and the HTML report. Every chart is an
 * image with a title and a description for screen readers (its figures are in a table beside
 * it), every bar carries its figure and what it is in words, so nothing depends on colour, and
 * the fills are solid or hatched with a dark outline so a black-and-white print still reads.
 * All text is escaped here: the page passes the result through `| safe`.
 */
import type { TenancyTable } from './model.ts';

/** Text for XML and HTML: `& < > " '` as entities. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface ComparisonItem {
  readonly label: string;
  readonly current: number | null;
  readonly previous: number | null;
  /** The figures as the page writes them ("1,758", "12.5"). */
  readonly currentText: string;
  readonly previousText: string;
}

export interface ComparisonChart {
  /** Unique on the page; the chart's element ids start with it. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly currentName: string;
  readonly previousName: string;
  readonly items: readonly ComparisonItem[];
}

/** Narrow, so that on a phone (about 345px) the text is still read at about 14px. */
const WIDTH = 400;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const INK = '#0b0c0c';
const BLUE = '#1d70b8';
const DARK_BLUE = '#003078';
const LABEL_SIZE = 16;
const VALUE_SIZE = 15;
const BAR = 18;
/** Room to the right of the longest bar for its figure and words ("4,364 this period"). */
const VALUE_ROOM = 150;
/** Characters per line of a label before it wraps (a bold 16px system font is about 9px a character). */
const WRAP = 42;

const safeId = (id: string) => id.toLowerCase().replace(/[^a-z0-9-]/g, '-');
const round = (n: number) => Math.round(n * 10) / 10;

/** Splits text into lines of at most `width` characters at spaces (a longer word keeps its line). */
export function wrap(text: string, width = WRAP): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

const text = (x: number, y: number, content: string, size = LABEL_SIZE, extra = '') =>
  `<text x="${round(x)}" y="${round(y)}" font-size="${size}" fill="${INK}"${extra}>${escapeXml(content)}</text>`;

/** Text lines one under another from `y` (the first line's baseline); returns the next free y. */
function lines(x: number, y: number, content: string, size = LABEL_SIZE, weight = ''): { svg: string; next: number } {
  const wrapped = wrap(content);
  const svg = wrapped.map((line, i) => text(x, y + i * (size + 4), line, size, weight)).join('');
  return { svg, next: y + (wrapped.length - 1) * (size + 4) };
}

const hatch = (id: string) =>
  `<pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
  `<rect width="6" height="6" fill="#ffffff"></rect><line x1="0" y1="0" x2="0" y2="6" stroke="${INK}" stroke-width="2.5"></line></pattern>`;

const bar = (x: number, y: number, width: number, fill: string) =>
  `<rect x="${round(x)}" y="${round(y)}" width="${round(width)}" height="${BAR}" fill="${fill}" stroke="${INK}" stroke-width="1"></rect>`;

const svgOpen = (id: string, height: number, title: string, description: string) =>
  `<svg class="sc-chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${round(height)}" width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" font-family="${escapeXml(FONT)}">` +
  `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`;

const scaleFor = (values: readonly (number | null)[]) => {
  const max = Math.max(1, ...values.map((v) => (v === null ? 0 : Math.max(0, v))));
  const plot = WIDTH - 2 - VALUE_ROOM;
  return (v: number) => (Math.max(0, v) / max) * plot;
};

/**
 * This period beside the previous one, KPI by KPI: each KPI's label, then a solid bar for this
 * period and a hatched one for the previous, each followed by its figure and which it is.
 */
export function comparisonChartSvg(chart: ComparisonChart): string {
  const id = safeId(chart.id);
  const x = scaleFor(chart.items.flatMap((i) => [i.current, i.previous]));
  const parts: string[] = [`<defs>${hatch(id)}</defs>`];
  // Legend: a swatch and the period's name on a line each (names can be long).
  let y = 20;
  for (const [fill, name] of [[BLUE, `This period: ${chart.currentName}`], [`url(#${id}-hatch)`, `Previous period: ${chart.previousName}`]] as const) {
    parts.push(`<rect x="1" y="${y - 13}" width="16" height="16" fill="${fill}" stroke="${INK}" stroke-width="1"></rect>`);
    const legend = lines(24, y, name, VALUE_SIZE);
    parts.push(legend.svg);
    y = legend.next + 24;
  }
  y += 12;
  for (const item of chart.items) {
    const label = lines(1, y, item.label, LABEL_SIZE, ' font-weight="bold"');
    parts.push(label.svg);
    y = label.next + 8;
    for (const [value, valueText, fill, which] of [
      [item.current, item.currentText, BLUE, 'this period'],
      [item.previous, item.previousText, `url(#${id}-hatch)`, 'previous'],
    ] as const) {
      const width = value === null ? 0 : Math.max(x(value), value > 0 ? 2 : 0);
      if (width > 0) parts.push(bar(1, y, width, fill));
      parts.push(text(1 + width + 6, y + BAR - 4, `${valueText} ${which}`, VALUE_SIZE));
      y += BAR + 4;
    }
    y += 26;
  }
  return `${svgOpen(id, y - 10, chart.title, chart.description)}${parts.join('')}</svg>`;
}

const quarterMonths = { Q1: 'April to June', Q2: 'July to September', Q3: 'October to December', Q4: 'January to March' } as const;
const categoryFill = (id: string) => ({ A: DARK_BLUE, B: `url(#${id}-hatch)`, C: '#ffffff' }) as const;

/**
 * Tenancy Services cases by financial-year quarter of opening, three bars a quarter (A, B, C),
 * each labelled with its category letter and count.
 */
export function tenancyChartSvg(chart: { id: string; title: string; description: string; table: TenancyTable }): string {
  const id = safeId(chart.id);
  const categories = ['A', 'B', 'C'] as const;
  const qs = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
  const x = scaleFor(categories.flatMap((c) => qs.map((q) => chart.table[c][q])));
  const fills = categoryFill(id);
  const parts: string[] = [`<defs>${hatch(id)}</defs>`];
  let y = 20;
  for (const q of qs) {
    parts.push(text(1, y, `${q} (${quarterMonths[q]})`, LABEL_SIZE, ' font-weight="bold"'));
    y += 8;
    for (const c of categories) {
      const value = chart.table[c][q];
      const width = Math.max(x(value), value > 0 ? 2 : 0);
      if (width > 0) parts.push(bar(1, y, width, fills[c]));
      parts.push(text(1 + width + 6, y + BAR - 4, `${c}: ${value.toLocaleString('en-GB')}`, VALUE_SIZE));
      y += BAR + 4;
    }
    y += 30;
  }
  return `${svgOpen(id, y - 14, chart.title, chart.description)}${parts.join('')}</svg>`;
}
