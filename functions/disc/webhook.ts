import { ReportReceived } from '#events/intake';
import { documents } from '#shared/clients';
import { councilId, setting } from '#shared/config';
import { header, httpApi, json } from '#shared/http';
import { logger } from '#shared/powertools';
import { events } from '#shared/publisher';
import type { DiscReport } from './map-incident.ts';
import { receiveIncident } from './receive-incident.ts';
import { buildRememberMessage } from './replay-store.ts';
import { createSecretsSource } from './secrets.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.ts';
import { discWebhook } from './capability.ts';

const deps = {
  secrets: createSecretsSource(),
  remember: buildRememberMessage(documents, setting('table')),
  publish: (detail: DiscReport) => events().publishOne(ReportReceived, detail),
  councilId,
  onRefused: (reason: string) => logger.warn('DISC webhook refused', { reason }),
};

export const handler = httpApi(discWebhook, {
  'POST /integrations/disc/incidents': async ({ event }) => {
    const raw = event.body ?? '';
    const accepted = await receiveIncident(
      {
        timestamp: header(event, TIMESTAMP_HEADER),
        signature: header(event, SIGNATURE_HEADER),
        contentType: header(event, 'content-type'),
        rawBody: Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8'),
      },
      deps,
    );
    logger.info('DISC incident accepted', { reportId: accepted.reportId, incidentType: accepted.incidentType, subjects: accepted.subjects });
    return json(202, { reportId: accepted.reportId, reference: accepted.reference });
  },
});
