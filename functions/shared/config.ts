import * as z from 'zod';

/**
 * Resource names come from the environment: CDK sets them from the topology, and the local
 * runtime sets the same variables. Read lazily so a function only needs what it uses.
 */
export const environmentNames = {
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

export function setting(key: keyof typeof environmentNames): string {
  const name = environmentNames[key];
  const value = process.env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set: is the resource granted to this function?`);
  return value;
}

/**
 * The address people reach the service at (SC_PUBLIC_URL, e.g. https://report.council.gov.uk):
 * where a browser is sent back to, never taken from a request's Host header. CDK sets it from
 * context (publicUrl) or the API's own address; the local runtime sets its gateway's. Read per
 * call, so a change needs no restart of a warm function.
 */
export function publicUrl(): string {
  const value = process.env.SC_PUBLIC_URL;
  if (!value || !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(value)) {
    throw new ConfigurationError(`SC_PUBLIC_URL must be the service's public address, like https://report.council.gov.uk; got ${JSON.stringify(value ?? null)}`);
  }
  return value.replace(/\/+$/, '');
}

export const councilId = z.string().min(1).parse(process.env.SC_COUNCIL_ID ?? 'default');
