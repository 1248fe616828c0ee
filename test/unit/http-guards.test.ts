import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { TooManyRequestsError } from '#shared/errors';
import { httpApi, json } from '#shared/http';
import { keys } from '#shared/keys';
import { declareFunction } from '#shared/wiring';

const declaration = declareFunction({
  name: 'GuardProbe',
  entry: 'test/unit/http-guards.test.ts',
  description: 'a route to probe the shared HTTP stack with',
  routes: [{ method: 'GET', path: '/things/{thingId}', auth: 'public' }],
});
const context = { functionName: 'GuardProbe', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const event = (thingId: string): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'GET /things/{thingId}',
    rawPath: `/things/${thingId}`,
    rawQueryString: '',
    headers: {},
    pathParameters: { thingId },
    requestContext: { http: { method: 'GET', path: '/', sourceIp: '203.0.113.9' }, routeKey: 'GET /things/{thingId}', domainName: 'x' },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

describe('unit: the shared HTTP stack guards', () => {
  it('answers 404 to an id longer than any this service gives out, without calling the handler or echoing it', async () => {
    let called = 0;
    const handler = httpApi(declaration, { 'GET /things/{thingId}': async () => (called++, json(200, {})) });
    const res = (await handler(event('x'.repeat(3000)), context)) as APIGatewayProxyStructuredResultV2;
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('x'.repeat(300));
    expect(called).toBe(0);
    expect(((await handler(event('x'.repeat(64)), context)) as APIGatewayProxyStructuredResultV2).statusCode).toBe(200);
  });

  it('answers every 429 with Retry-After', async () => {
    const handler = httpApi(declaration, {
      'GET /things/{thingId}': async () => {
        throw new TooManyRequestsError('slow down', 90);
      },
    });
    const res = (await handler(event('a'), context)) as APIGatewayProxyStructuredResultV2;
    expect(res.statusCode).toBe(429);
    expect(res.headers?.['retry-after']).toBe('90');
  });

  it('refuses to build a DynamoDB key longer than DynamoDB takes, with a 4xx', () => {
    expect(() => keys.report('r'.repeat(3000))).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => keys.caseEvent('c', '2024-01-01T00:00:00.000Z', 'e'.repeat(1100))).toThrow(expect.objectContaining({ status: 400 }));
    expect(keys.report('r-1').pk).toBe('default#REPORT#r-1');
  });
});
