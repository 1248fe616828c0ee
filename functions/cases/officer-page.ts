/**
 * The frame of the officer pages (service name, navigation, error page) and the case page
 * itself, for the officer pages and for enforcement's action form, which shows the case page
 * again with what to correct.
 */
import { waitUntil } from '#shared/wait-until';
import type { HttpRequest } from '#shared/http';
import { dateText } from '#shared/london-time';
import { errorPageFor } from '../../web/error-page.ts';
import { noErrors } from '../../web/forms.ts';
import { page } from '../../web/render.ts';
import { getCase } from './case-queries.ts';
import { queryDeps, today } from './deps.ts';
import { categoryText, choices, firstContactTag, timelineRows, whenText, type FormFields } from './page-model.ts';

const service = { name: 'Safer Communities cases', url: '/officer/cases' };
const nav = (active: 'triage' | 'cases' | undefined) => [
  { href: '/officer/triage', text: 'Triage queue', active: active === 'triage' },
  { href: '/officer/cases', text: 'Cases', active: active === 'cases' },
  { href: '/officer/case-reviews', text: 'Case reviews' },
];

export const staffPage = (template: string, active: 'triage' | 'cases', context: Record<string, unknown>, status?: number) =>
  page(template, { service, navigation: nav(active), ...context }, status ? { status } : {});

export const officerErrorPage = errorPageFor({
  service,
  navigation: nav(undefined),
  links: [
    { href: '/officer/cases', text: 'Go to the cases' },
    { href: '/officer/triage', text: 'Go to the triage queue' },
  ],
});

/** The event is projected asynchronously: wait so the next page already shows it (shared/wait-until.ts). */
export const projected = waitUntil;

/** The case, its timeline and the action form (with the values and errors of a form sent back). */
export async function casePage(request: HttpRequest, values: FormFields, errors = noErrors, status?: number) {
  const caseId = request.path.caseId ?? '';
  const view = await getCase(caseId, request.principal, queryDeps);
  return staffPage(
    'cases/case.njk',
    'cases',
    {
      view,
      categoryLabel: categoryText(view.category),
      opened: whenText(view.openedAt),
      closed: view.closedAt ? whenText(view.closedAt) : undefined,
      contact: firstContactTag(view),
      timelineRows: timelineRows(view.timeline),
      recorded: request.query.recorded !== undefined,
      choices,
      values,
      errors,
      today: dateText(today()),
    },
    status,
  );
}
