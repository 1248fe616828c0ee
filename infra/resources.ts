import { environmentNames } from '#shared/config';
import { retention as dataRetention } from '#shared/retention';
import { archiveLayout } from '../functions/archive/layout.ts';
import type { BucketName as BucketNameOf, SecretName as SecretNameOf, TableName as TableNameOf } from '#shared/wiring';

/**
 * The stateful resources, described once. CDK builds them from these definitions and the
 * local runtime creates the same tables and buckets in dynalite and s3rver.
 */

export interface TableDef {
  /** Logical id in CDK; also the local table name. */
  readonly id: string;
  /** Environment variable that tells a function the table's name. */
  readonly envVar: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly ttlAttribute?: string;
  readonly globalIndexes: readonly { name: string; partitionKey: string; sortKey: string }[];
}

export interface BucketDef {
  readonly id: string;
  readonly envVar: string;
  /** Objects expire after this many days (retention per data class). */
  readonly expireAfterDays?: number;
  /** Move to infrequent access after this many days. */
  readonly infrequentAccessAfterDays?: number;
  /** Shorter retention under a prefix (e.g. uploads never accepted into a report). */
  readonly prefixExpirations?: readonly { prefix: string; days: number }[];
  /**
   * Object Lock in governance mode: each version is protected against deletion this many days
   * (at most the shortest retention in the bucket, so lifecycle can still remove it on time).
   */
  readonly lockDays?: number;
}

export const tables = {
  main: {
    id: 'MainTable',
    envVar: environmentNames.table,
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    globalIndexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  idempotency: {
    id: 'IdempotencyTable',
    envVar: environmentNames.idempotencyTable,
    partitionKey: 'id',
    ttlAttribute: 'expiration',
    globalIndexes: [],
  },
} as const satisfies Record<TableNameOf, TableDef>;

export const buckets = {
  /**
   * Every event, grouped by day: the source for replay and rebuild. Kept 7 years, except the
   * free text from the public, kept apart under public-text/ for as long as the raw intake.
   */
  archive: {
    id: 'ArchiveBucket',
    envVar: environmentNames.archiveBucket,
    infrequentAccessAfterDays: 90,
    expireAfterDays: dataRetention.archiveDays,
    prefixExpirations: [{ prefix: archiveLayout.publicText, days: dataRetention.publicTextDays }],
    lockDays: dataRetention.publicTextDays,
  },
  /** Raw intake payloads and attachments from the public. Kept 2 years. */
  intake: {
    id: 'IntakeBucket',
    envVar: environmentNames.intakeBucket,
    expireAfterDays: dataRetention.intakeDays,
    // Photos land under uploads/ and are copied into the report once checked; leftovers go.
    prefixExpirations: [{ prefix: 'uploads/', days: dataRetention.unacceptedUploadDays }],
  },
  /** KPI exports. Kept 3 years. */
  exports: { id: 'ExportsBucket', envVar: environmentNames.exportsBucket, expireAfterDays: dataRetention.exportsDays },
} as const satisfies Record<BucketNameOf, BucketDef>;

export interface SecretDef {
  readonly id: string;
  /** Environment variable that tells a function the secret's ARN. */
  readonly envVar: string;
  readonly description: string;
  /** A JSON template: keys set by hand after the first deploy; `generatedKey` is made by AWS. */
  readonly template: Record<string, string>;
  readonly generatedKey: string;
  /** Why it is not rotated automatically (cdk-nag AwsSolutions-SMG4). */
  readonly rotation: string;
}

export const secrets = {
  /** DISC's shared webhook secret (set by hand, agreed with DISC) and our key for subject refs. */
  disc: {
    id: 'DiscSecret',
    envVar: 'DISC_SECRET_ARN',
    description: 'DISC webhook: webhookSecret (shared with DISC, set by hand), previousWebhookSecret (during rotation), subjectKey',
    template: { webhookSecret: 'replace-with-the-secret-agreed-with-DISC' },
    generatedKey: 'subjectKey',
    rotation:
      'The webhook secret is shared with an outside party (DISC) and rotated by hand with them; the handler accepts the previous secret during a rotation',
  },
  /** The GOV.UK Notify API key (functions/notifications): set by hand from Notify's API keys page. */
  notify: {
    id: 'NotifySecret',
    envVar: 'NOTIFY_SECRET_ARN',
    description: 'GOV.UK Notify: apiKey (set by hand from the Notify service, a live or team key)',
    template: { apiKey: 'replace-with-the-GOV.UK-Notify-API-key' },
    // Secrets Manager needs a generated field; nothing reads this one.
    generatedKey: 'unused',
    rotation: 'The API key is issued by GOV.UK Notify and replaced by hand there (a new key, then this secret, then the old key revoked); the reader caches it for 5 minutes',
  },
} as const satisfies Record<SecretNameOf, SecretDef>;

export type TableName = keyof typeof tables;
export type SecretName = keyof typeof secrets;
export type BucketName = keyof typeof buckets;

export const eventBus = { id: 'EventBus', envVar: environmentNames.eventBus, localName: 'safer-communities' } as const;

/** Retention of each data class, in days: one list, in functions/shared/retention.ts. */
export const retention = dataRetention;
