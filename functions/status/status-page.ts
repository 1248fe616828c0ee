import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { statusPage } from './capability.ts';
import { buildStatusStore } from './repository.ts';
import { buildStatusRoutes } from './status-routes.ts';
import { statusErrorPage } from './views.ts';

export const handler = httpApi(statusPage, buildStatusRoutes(buildStatusStore(documents, setting('table'))), { errorPage: statusErrorPage });
