import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { buildApiKeys } from '../../../functions/open311/api-keys.ts';
import { signatureHeaders } from '../../../functions/disc/signature.ts';
import type { Endpoints } from '../stack.ts';
import type { DemoContext } from './types.ts';

/**
 * Reports through the two partner channels: an Open311 client (its key made as the admin CLI
 * makes one) posting a request, and a signed DISC incident, both through the HTTP gateway.
 */
export async function seedChannels({ gateway, stateDir, log }: DemoContext) {
  const endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8')) as Endpoints;
  const client = new DynamoDBClient({
    endpoint: endpoints.dynamodb,
    region: endpoints.region,
    credentials: endpoints.credentials,
  });
  let apiKey: string;
  try {
    apiKey = await buildApiKeys(DynamoDBDocumentClient.from(client), endpoints.tables.main).create('demo-app');
  } finally {
    client.destroy();
  }
  const open311 = await fetch(`${gateway}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      api_key: apiKey,
      service_code: 'enviro.abandoned-vehicle',
      lat: '52.7735',
      long: '-0.8963',
      address_string: 'Layby on Scalford Road, opposite the cemetery gates',
      description: 'Silver hatchback with no plates, flat tyres and a smashed window, here for three weeks.',
      'attribute[hate_motivated]': 'no',
    }).toString(),
  });
  if (open311.status !== 201) throw new Error(`demo Open311 request was refused: ${open311.status} ${await open311.text()}`);
  log(`demo data: 1 Open311 request (client demo-app, api_key ${apiKey})`);

  const secret = process.env.DISC_WEBHOOK_SECRET;
  if (!secret) {
    log('demo data: no DISC incident (DISC_WEBHOOK_SECRET is not set)');
    return;
  }
  const body = JSON.stringify({
    schemaVersion: 1,
    incidentId: 'DEMO-0001',
    incidentType: 'theft',
    occurredAt: new Date(Date.now() - 3 * 3600 * 1000).toISOString(),
    premises: { name: 'Corner Mini-Market', address: '12 High Street', postcode: 'LE13 1AE' },
    description: 'Man took four bottles of spirits from the display by the door and ran towards the bus station.',
    subjects: [{ discSubjectId: 'DISC-P-1042' }],
  });
  const disc = await fetch(`${gateway}/integrations/disc/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body) },
    body,
  });
  if (disc.status !== 202) throw new Error(`demo DISC incident was refused: ${disc.status} ${await disc.text()}`);
  log('demo data: 1 signed DISC incident');
}
