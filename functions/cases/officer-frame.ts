/**
 * The frame of the officer pages: the service's name and navigation, a page in it, and the
 * error page. Kept apart from the case page (officer-page.ts), so a function that only needs
 * the frame (OfficerHome) or only the error page (OfficerPhotos) carries nothing else.
 */
import { errorPageFor } from '../../web/error-page.ts';
import { page } from '../../web/render.ts';

const service = { name: 'Safer Communities cases', url: '/officer' };
export type Section = 'home' | 'triage' | 'cases';
const nav = (active: Section | undefined) => [
  { href: '/officer', text: 'Home', active: active === 'home' },
  { href: '/officer/triage', text: 'Triage queue', active: active === 'triage' },
  { href: '/officer/cases', text: 'Cases', active: active === 'cases' },
  { href: '/officer/case-reviews', text: 'Case reviews' },
  { href: '/officer/kpis', text: 'KPIs' },
];

export const staffPage = (template: string, active: Section, context: Record<string, unknown>, options: { status?: number | undefined; imageSources?: readonly string[] } = {}) =>
  page(template, { service, navigation: nav(active), ...context }, { ...(options.status ? { status: options.status } : {}), ...(options.imageSources?.length ? { imageSources: options.imageSources } : {}) });

export const officerErrorPage = errorPageFor({
  service,
  navigation: nav(undefined),
  links: [
    { href: '/officer', text: 'Go to your home page' },
    { href: '/officer/cases', text: 'Go to the cases' },
    { href: '/officer/triage', text: 'Go to the triage queue' },
  ],
});
