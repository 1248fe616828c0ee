/** What every page says about who runs it. The council's name comes from configuration. */
export const site = {
  councilName: process.env.SC_COUNCIL_NAME ?? 'Anytown District Council',
  councilUrl: process.env.SC_COUNCIL_URL ?? '/',
  /** The council's telephone number for the public (a setting; the default is a drama number). */
  councilPhone: process.env.SC_COUNCIL_PHONE ?? '01632 960 000',
  /** The public service; staff pages pass their own `service` in the page context. */
  service: { name: 'Report anti-social behaviour', url: '/' },
  footerLinks: [
    { href: '/status', text: 'Check the progress of a report' },
    { href: '/privacy', text: 'Privacy notice' },
    { href: '/accessibility', text: 'Accessibility statement' },
  ],
} as const;
