/**
 * What a function gets from its topology entry on either backend: its sizing and the
 * environment variables that name the resources it was granted. CDK (infra/cdk) and the
 * local runtime (infra/local) both read these, so a function sees the same variables in
 * both places. Kept free of aws-cdk-lib: the local runtime imports it and must start fast.
 */
import { buckets, eventBus, secrets, tables, type BucketName, type SecretName, type TableName } from './resources.ts';
import type { Access, FunctionSpec } from './topology/types.ts';

export const functionSettings = {
  /** Lambda's timeout when an entry sets none. */
  timeoutSeconds: 10,
  memoryMb: 512,
} as const;

export const timeoutSecondsOf = (spec: Pick<FunctionSpec, 'timeoutSeconds'>): number => spec.timeoutSeconds ?? functionSettings.timeoutSeconds;
export const memoryMbOf = (spec: Pick<FunctionSpec, 'memoryMb'>): number => spec.memoryMb ?? functionSettings.memoryMb;

/** How one backend names the resources a function can be granted. */
export interface ResourceNames {
  table(name: TableName): string;
  bucket(name: BucketName): string;
  bus(): string;
  /** The variables that hand a function a secret: its ARN on AWS, the values themselves locally. */
  secret(name: SecretName): Record<string, string>;
}

const granted = <K extends string>(grants: Partial<Record<K, Access>> | undefined): K[] =>
  (Object.entries(grants ?? {}) as [K, Access | undefined][]).filter(([, access]) => access !== undefined).map(([name]) => name);

/** The resource variables a function gets: only what its entry grants, nothing else. */
export function environmentOf(spec: FunctionSpec, names: ResourceNames): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of granted(spec.tables)) env[tables[name].envVar] = names.table(name);
  for (const name of granted(spec.buckets)) env[buckets[name].envVar] = names.bucket(name);
  if (spec.putsEvents) env[eventBus.envVar] = names.bus();
  for (const name of spec.secrets ?? []) Object.assign(env, names.secret(name));
  return env;
}

/** A spec granted everything there is: the variables it gets are every one a grant can give. */
export const grantingEverything: FunctionSpec = {
  name: 'AllGrants',
  entry: '',
  capability: 'none',
  ...functionSettings,
  description: 'every resource, for listing their variables',
  triggers: [],
  tables: Object.fromEntries(Object.keys(tables).map((name) => [name, 'readwrite'])),
  buckets: Object.fromEntries(Object.keys(buckets).map((name) => [name, 'readwrite'])),
  secrets: Object.keys(secrets) as SecretName[],
  putsEvents: true,
};
