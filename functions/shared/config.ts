import { z } from 'zod';

/**
 * Resource names come from the environment: CDK sets them from the topology, and the local
 * runtime sets the same variables. Read lazily so a function only needs what it uses.
 */
const names = {
  table: 'TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  eventBus: 'EVENT_BUS_NAME',
  archiveBucket: 'ARCHIVE_BUCKET',
  intakeBucket: 'INTAKE_BUCKET',
  exportsBucket: 'EXPORTS_BUCKET',
} as const;

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export function setting(key: keyof typeof names): string {
  const value = process.env[names[key]];
  if (!value) throw new ConfigurationError(`environment variable ${names[key]} is not set`);
  return value;
}

export const councilId = z.string().min(1).parse(process.env.SC_COUNCIL_ID ?? 'default');
