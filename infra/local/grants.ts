import { environmentOf, grantingEverything, type ResourceNames } from '../function-settings.ts';
import { buckets, eventBus, secrets, tables, type SecretName, type TableName } from '../resources.ts';
import { localBucketName, localTableName } from './stores.ts';

/**
 * The values that stand in for each secret locally. There is no Secrets Manager here, so a
 * function granted a secret gets its values in the variables its reader takes instead of
 * the ARN (see functions/disc/secrets.ts).
 */
export interface LocalSecretValues {
  DISC_WEBHOOK_SECRET: string;
  DISC_SUBJECT_KEY: string;
  /** Empty locally: the local runtime sends through the outbox, not Notify. */
  NOTIFY_API_KEY: string;
}

const localSecretVariables: Record<SecretName, readonly (keyof LocalSecretValues)[]> = {
  disc: ['DISC_WEBHOOK_SECRET', 'DISC_SUBJECT_KEY'],
  notify: ['NOTIFY_API_KEY'],
};

/** The local names of the resources a function can be granted. */
export function localResourceNames(secretValues: LocalSecretValues, tableNames: Partial<Record<TableName, string>> = {}): ResourceNames {
  return {
    table: (name) => tableNames[name] ?? localTableName(tables[name]),
    bucket: (name) => localBucketName(buckets[name].id),
    bus: () => eventBus.localName,
    secret: (name) => Object.fromEntries(localSecretVariables[name].map((variable) => [variable, secretValues[variable]])),
  };
}

/**
 * Every variable a grant can give, locally or on AWS: a function not granted one of them must
 * not see it, whatever the process's environment holds (a shell may have TABLE_NAME set).
 */
export function resourceVariables(names: ResourceNames): Set<string> {
  return new Set([
    ...Object.keys(environmentOf(grantingEverything, names)),
    ...Object.values(tables).map((t) => t.envVar),
    ...Object.values(buckets).map((b) => b.envVar),
    ...Object.values(secrets).map((s) => s.envVar),
    eventBus.envVar,
  ]);
}
