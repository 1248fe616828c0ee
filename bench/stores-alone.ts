/**
 * dynalite and s3rver alone, started on SC_STATE_DIR as the local stack starts them
 * (infra/local/stores.ts: dynalite with its tables, then s3rver with its buckets behind the
 * upload-checking proxy), and asked one question each. Prints "stores ready" once both have
 * answered, then stops them. bench/startup.ts times this beside `npm start`'s entry.
 */
import '../infra/local/quiet-sdk-warning.ts';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { startDynamo, startS3 } from '../infra/local/stores.ts';

const stateDir = process.env.SC_STATE_DIR;
if (!stateDir) throw new Error('SC_STATE_DIR is not set: give a fresh directory');
const region = 'eu-west-2';
/** s3rver's own key pair, the one the local stack uses (LOCAL_CREDENTIALS in infra/local/stack.ts). */
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const dynamo = await startDynamo(stateDir, 0, region);
const s3 = await startS3(stateDir, 0, region, credentials);
const ddb = new DynamoDBClient({ endpoint: dynamo.url, region, credentials });
const s3Client = new S3Client({ endpoint: s3.url, region, credentials, forcePathStyle: true });
const [{ TableNames = [] }, { Buckets = [] }] = await Promise.all([ddb.send(new ListTablesCommand({})), s3Client.send(new ListBucketsCommand({}))]);
console.log(`stores ready: ${TableNames.length} tables, ${Buckets.length} buckets`);
ddb.destroy();
s3Client.destroy();
await s3.close();
await dynamo.close();
