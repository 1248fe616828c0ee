import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { dashboardHandler } from './dashboard.ts';
import { buildReadKpis } from './read.ts';

export const handler = dashboardHandler({ readKpis: buildReadKpis(documents, setting('table')) });
