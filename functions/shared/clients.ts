/**
 * SDK clients, created once per module load. Endpoints come from the standard
 * AWS_ENDPOINT_URL_* variables, so the same code talks to AWS or to the local stand-ins.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { traced } from './tracing.ts';

// `@__PURE__`: esbuild may drop a client no code of the function uses, and with it the SDK
// package (S3 alone is ~150 KB of bundle and ~0.15× the reference init; docs/benchmarks.md).
// Dropping an unused client also drops its `traced` registration, which only matters if used.
export const dynamodb = /* @__PURE__ */ traced(/* @__PURE__ */ new DynamoDBClient({}));
export const documents = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});
export const eventBridge = /* @__PURE__ */ traced(/* @__PURE__ */ new EventBridgeClient({}));
/** Path-style addressing works on AWS and on s3rver; checksums only when S3 requires them. */
export const s3 = /* @__PURE__ */ traced(/* @__PURE__ */ new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' }));
