/** What every page says about who runs it. The council's name comes from configuration. */
export const site = {
  councilName: process.env.SC_COUNCIL_NAME ?? 'Anytown District Council',
  councilUrl: process.env.SC_COUNCIL_URL ?? '/',
  /** The public service; staff pages pass their own `service` in the page context. */
  service: { name: 'Report anti-social behaviour', url: '/' },
  footerLinks: [{ href: '/accessibility', text: 'Accessibility statement' }],
} as const;
