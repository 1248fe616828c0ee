import { resolve } from 'node:path';

/** The local stack's settings, from the environment variables in contract.md. */
export interface LocalSettings {
  stateDir: string;
  gatewayPort: number;
  dynamodbPort: number;
  s3Port: number;
  eventbridgePort: number;
  region: string;
  /** Base delay between delivery retries (Lambda waits minutes; locally we wait less). */
  retryBaseMs: number;
  /** SC_PAUSE_DELIVERY=1: the bus journals events but delivers none (maintenance, crash tests). */
  pauseDelivery: boolean;
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0 picks a free one), not "${raw}"`);
  return n;
}

export function settingsFromEnv(overrides: Partial<LocalSettings> = {}): LocalSettings {
  return {
    stateDir: resolve(process.env.SC_STATE_DIR ?? '.local'),
    gatewayPort: port('SC_GATEWAY_PORT', 3000),
    dynamodbPort: port('SC_DYNAMODB_PORT', 8000),
    s3Port: port('SC_S3_PORT', 4568),
    eventbridgePort: port('SC_EVENTBRIDGE_PORT', 4010),
    region: process.env.AWS_REGION ?? 'eu-west-2',
    retryBaseMs: Number(process.env.SC_RETRY_BASE_MS ?? 500),
    pauseDelivery: process.env.SC_PAUSE_DELIVERY === '1',
    ...overrides,
  };
}

export const LOCAL_ISSUER = 'https://safer-communities.local/auth';
export const LOCAL_AUDIENCE = 'safer-communities';
