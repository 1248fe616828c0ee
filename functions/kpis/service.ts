/** The KPI pages' service (its name and home in the header), for the pages and their error pages. */
export const dashboardService = { name: 'Safer Communities KPIs', url: '/officer/kpis' };
