/**
 * SDK clients, created once per module load. Endpoints come from the standard
 * AWS_ENDPOINT_URL_* variables, so the same code talks to AWS or to the local stand-ins.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { traced } from './tracing.ts';

export const dynamodb = traced(new DynamoDBClient({}));
export const documents = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});
export const eventBridge = traced(new EventBridgeClient({}));
/** Path-style addressing works on AWS and on s3rver; checksums only when S3 requires them. */
export const s3 = traced(new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' }));
