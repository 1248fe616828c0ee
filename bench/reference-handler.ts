/**
 * The Powertools reference handler for bench/bundles.ts: what every Powertools function loads
 * before doing anything of its own. A Logger, one DynamoDB document client and one zod schema
 * parsed at init. Our functions' init is reported as a multiple of this one's.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';

const logger = new Logger({ serviceName: 'reference' });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
const config = z.object({ TABLE_NAME: z.string().min(1), AWS_REGION: z.string().min(1) }).parse(process.env);

export const handler = async (event: { readonly id?: string }) => {
  logger.info('reading', { id: event.id });
  const { Item } = await documents.send(new GetCommand({ TableName: config.TABLE_NAME, Key: { pk: event.id ?? 'none', sk: 'X' } }));
  return { statusCode: Item ? 200 : 404 };
};
