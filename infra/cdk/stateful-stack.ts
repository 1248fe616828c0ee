import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
  StorageClass,
  type IBucket,
  type LifecycleRule,
} from 'aws-cdk-lib/aws-s3';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  buckets,
  eventBus,
  secrets,
  tables,
  type BucketDef,
  type BucketName,
  type SecretDef,
  type SecretName,
  type TableDef,
  type TableName,
} from '#infra/resources';
import { acknowledge } from './nag.ts';

/** How long the bus archive keeps every event for replay (the S3 archive keeps them for years). */
const busArchiveRetention = Duration.days(365);
/** Overwritten or deleted objects stay recoverable this long. */
const noncurrentVersionRetention = Duration.days(30);
/** S3 server access logs hold requester details: kept a year for investigations, then gone. */
const accessLogRetention = Duration.days(365);

/** What the stateless side uses, whichever stack it lives in. */
export interface SharedResources {
  readonly bus: IEventBus;
  readonly tables: Readonly<Record<TableName, ITable>>;
  readonly buckets: Readonly<Record<BucketName, IBucket>>;
  readonly secrets: Readonly<Record<SecretName, ISecret>>;
}

/** CloudFormation export names of the physical names the stateless stack imports. */
export interface SharedResourceExports {
  readonly busName: string;
  readonly tableNames: Readonly<Record<TableName, string>>;
  readonly bucketNames: Readonly<Record<BucketName, string>>;
  readonly secretArns: Readonly<Record<SecretName, string>>;
}

const tableNames = Object.keys(tables) as TableName[];
const bucketNames = Object.keys(buckets) as BucketName[];
const secretNames = Object.keys(secrets) as SecretName[];

/**
 * Everything that holds data: the bus and its archive, the tables and the buckets. Deployed
 * apart from the functions so those can be replaced freely; every resource is retained.
 *
 * Names are exported explicitly, for every resource whether or not a function uses it today:
 * CDK's automatic cross-stack exports come and go with their consumers, and CloudFormation
 * refuses to delete an export still imported, so a topology change could block a deploy.
 */
export interface StatefulStackProps extends StackProps {
  /** The DISC secret made by hand (production); otherwise one is generated with a placeholder. */
  readonly discSecretArn?: string | undefined;
}

export class StatefulStack extends Stack {
  readonly bus: EventBus;
  readonly tables: Readonly<Record<TableName, Table>>;
  readonly buckets: Readonly<Record<BucketName, Bucket>>;
  readonly secrets: Readonly<Record<SecretName, ISecret>>;
  readonly exports: SharedResourceExports;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);

    this.bus = new EventBus(this, eventBus.id, { description: 'Safer Communities domain events (events/ catalog)' });
    this.bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const busArchive = this.bus.archive('Archive', {
      description: 'Every event on the bus, for replay',
      eventPattern: { account: [this.account] },
      retention: busArchiveRetention,
    });
    busArchive.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.tables = Object.fromEntries(tableNames.map((name) => [name, this.table(tables[name])])) as Record<TableName, Table>;

    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'retention', expiration: accessLogRetention }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.buckets = Object.fromEntries(bucketNames.map((name) => [name, this.bucket(buckets[name], accessLogs)])) as Record<
      BucketName,
      Bucket
    >;

    const madeByHand: Partial<Record<SecretName, string>> = props.discSecretArn ? { disc: props.discSecretArn } : {};
    this.secrets = Object.fromEntries(
      secretNames.map((name) => {
        const arn = madeByHand[name];
        return [name, arn ? Secret.fromSecretCompleteArn(this, secrets[name].id, arn) : this.secret(secrets[name])];
      }),
    ) as Record<SecretName, ISecret>;

    this.exports = {
      secretArns: Object.fromEntries(
        secretNames.map((name) => [name, this.output(`${secrets[name].id}Arn`, this.secrets[name].secretArn, `${name} secret ARN`)]),
      ) as Record<SecretName, string>,
      busName: this.exportName(eventBus.id, this.bus.eventBusName, 'Event bus name'),
      tableNames: Object.fromEntries(
        tableNames.map((name) => [name, this.exportName(tables[name].id, this.tables[name].tableName, `${name} table name`)]),
      ) as Record<TableName, string>,
      bucketNames: Object.fromEntries(
        bucketNames.map((name) => [name, this.exportName(buckets[name].id, this.buckets[name].bucketName, `${name} bucket name`)]),
      ) as Record<BucketName, string>,
    };
  }

  private table(def: TableDef): Table {
    const table = new Table(this, def.id, {
      partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
      ...(def.sortKey ? { sortKey: { name: def.sortKey, type: AttributeType.STRING } } : {}),
      ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of def.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }

  private bucket(def: BucketDef, accessLogs: Bucket): Bucket {
    const retention: LifecycleRule = {
      id: 'retention',
      ...(def.expireAfterDays ? { expiration: Duration.days(def.expireAfterDays) } : {}),
      ...(def.infrequentAccessAfterDays
        ? { transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(def.infrequentAccessAfterDays) }] }
        : {}),
      noncurrentVersionExpiration: noncurrentVersionRetention,
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    };
    return new Bucket(this, def.id, {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // Governance mode: nobody deletes or overwrites a locked version, unless an administrator
      // holding s3:BypassGovernanceRetention does so on purpose (an erasure request).
      ...(def.lockDays ? { objectLockEnabled: true, objectLockDefaultRetention: ObjectLockRetention.governance(Duration.days(def.lockDays)) } : {}),
      lifecycleRules: [
        retention,
        ...(def.prefixExpirations ?? []).map(
          ({ prefix, days }): LifecycleRule => ({ id: `expire-${prefix.replace(/\W+/g, '-')}`, prefix, expiration: Duration.days(days) }),
        ),
      ],
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: `${def.id}/`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** An output (so `cdk deploy` prints the name) that other stacks import by a stable name. */
  private exportName(id: string, value: string, description: string): string {
    return this.output(`${id}Name`, value, description);
  }

  private output(outputId: string, value: string, description: string): string {
    const exportName = `${this.stackName}:${outputId}`;
    new CfnOutput(this, outputId, { value, description, exportName });
    return exportName;
  }

  private secret(def: SecretDef): Secret {
    const secret = new Secret(this, def.id, {
      description: def.description,
      generateSecretString: {
        secretStringTemplate: JSON.stringify(def.template),
        generateStringKey: def.generatedKey,
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(secret, 'AwsSolutions-SMG4', def.rotation);
    return secret;
  }
}

/** The shared resources as seen from another stack, through the stateful stack's exports. */
export function importSharedResources(scope: Construct, exports: SharedResourceExports): SharedResources {
  return {
    bus: EventBus.fromEventBusName(scope, eventBus.id, Fn.importValue(exports.busName)),
    tables: Object.fromEntries(
      tableNames.map((name) => {
        const def: TableDef = tables[name];
        const table = Table.fromTableAttributes(scope, def.id, {
          tableName: Fn.importValue(exports.tableNames[name]),
          globalIndexes: def.globalIndexes.map((index) => index.name),
        });
        return [name, table];
      }),
    ) as Record<TableName, ITable>,
    buckets: Object.fromEntries(
      bucketNames.map((name) => [name, Bucket.fromBucketName(scope, buckets[name].id, Fn.importValue(exports.bucketNames[name]))]),
    ) as Record<BucketName, IBucket>,
    secrets: Object.fromEntries(
      secretNames.map((name) => [name, Secret.fromSecretCompleteArn(scope, secrets[name].id, Fn.importValue(exports.secretArns[name]))]),
    ) as Record<SecretName, ISecret>,
  };
}
