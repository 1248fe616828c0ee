import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { AppError, BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';
import { authorise, type Principal } from './auth.ts';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from './powertools.ts';

export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface HttpRequest {
  readonly event: APIGatewayProxyEventV2;
  readonly principal: Principal | undefined;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
}

export type RouteHandler = (request: HttpRequest) => Promise<HttpResult>;

/** The EventBridge entry limit: nothing larger can become an event anyway. */
export const MAX_BODY_BYTES = 256 * 1024;

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
};

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

export const html = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'",
  },
  body,
});

export const redirect = (location: string): HttpResult => ({ statusCode: 303, headers: { location }, body: '' });

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export type BodyKind = 'json' | 'form';

/** The request body as JSON or form fields; anything else is refused with a reason. */
export function readBody(event: APIGatewayProxyEventV2): { kind: BodyKind; value: unknown } {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`the request body is larger than ${MAX_BODY_BYTES / 1024} KB`);
  }
  const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return { kind: 'json', value: JSON.parse(text) as unknown };
    } catch (error) {
      throw new BadRequestError(`the body is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const fields: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      const seen = fields[k];
      fields[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
    }
    return { kind: 'form', value: fields };
  }
  throw new UnsupportedMediaTypeError('send the body as application/json or application/x-www-form-urlencoded');
}

function errorResponse(error: unknown): HttpResult {
  if (error instanceof AppError) {
    return json(error.status, {
      error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
    });
  }
  logger.error('unhandled error', error as Error);
  return json(500, { error: { code: 'internal', message: 'something went wrong on our side; please try again later' } });
}

/**
 * An HTTP function: one handler per route key, the caller authorised from the topology's
 * rule for that route, named errors mapped to status codes, security headers on every answer.
 */
export function httpApi(routes: Record<string, RouteHandler>) {
  const dispatch = async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> => {
    const route = routes[event.routeKey];
    if (!route) return json(404, { error: { code: 'not_found', message: `no route ${event.routeKey}` } });
    try {
      const principal = authorise(event);
      return await route({
        event,
        principal,
        path: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
      });
    } catch (error) {
      return errorResponse(error);
    }
  };
  return middy(dispatch)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: (request) => {
        logger.appendKeys({ routeKey: request.event.routeKey });
      },
      after: (request) => {
        const response = request.response;
        if (response) response.headers = { ...securityHeaders, ...response.headers };
      },
    });
}
