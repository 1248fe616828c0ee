import { documents, dynamodb } from '#shared/clients';
import { setting } from '#shared/config';
import { httpApi } from '#shared/http';
import { errorPageFor } from '../../web/error-page.ts';
import { kpiExportDownload } from './capability.ts';
import { buildDownload, PRESIGNED_GET_SECONDS } from './export-download.ts';
import { buildPresignGet } from '#shared/s3-presign';
import { buildReadExportRecord } from './export-store.ts';
import { dashboardService } from './service.ts';

const presign = buildPresignGet(dynamodb.config);
const download = buildDownload({ readRecord: buildReadExportRecord(documents, setting('table')), presign: (object) => presign(object.bucket, object.key, PRESIGNED_GET_SECONDS) });
const errorPage = errorPageFor({ service: dashboardService, links: [{ href: '/officer/kpis/exports', text: 'See the list of KPI exports' }] });

export const handler = httpApi(
  kpiExportDownload,
  {
    'GET /kpis/exports/{exportId}/{format}': ({ path }) => download(path.exportId ?? '', path.format ?? ''),
    'GET /officer/kpis/exports/{exportId}/{format}': ({ path }) => download(path.exportId ?? '', path.format ?? ''),
  },
  { errorPage },
);
