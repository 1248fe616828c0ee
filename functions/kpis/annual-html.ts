/**
 * The annual report's figures as one HTML document (web/templates/annual-report/report.njk): its
 * CSS inline and its charts inline SVG, so the copy in the exports bucket opens and prints
 * anywhere. The staff page serves the same document with its navigation, its `<style>`
 * allowed by the hash below rather than by loosening the pages' CSP.
 */
import { createHash } from 'node:crypto';
import { render } from '../../web/render.ts';
import '../../web/generated/templates/annual-report.js'; // its own group: the exports carry no page templates
import { annualReportModel, readAnnualReport, type AnnualReportDeps, type AnnualReportModel } from './annual-report.ts';
import type { Period } from './periods.ts';

const styles = render('annual-report/style.njk');

/** The CSP source that lets exactly this document's stylesheet apply. */
export const annualStyleHash = `'sha256-${createHash('sha256').update(styles).digest('base64')}'`;

/** What the staff page adds around the report (left out of the exported copy). */
export interface StaffNav {
  readonly dashboardHref: string;
  readonly exportsHref: string;
  readonly years: readonly { value: string; text: string; selected?: boolean }[];
  readonly error?: string;
}

export function renderAnnualReport(report: AnnualReportModel | undefined, staff?: StaffNav): string {
  return render('annual-report/report.njk', { styles, report, staff });
}

/** The exported document of a committee year: read, laid out and rendered, with no staff navigation. */
export async function annualReportHtml(year: Period, deps: AnnualReportDeps): Promise<string> {
  return renderAnnualReport(annualReportModel(await readAnnualReport(year, deps)));
}
