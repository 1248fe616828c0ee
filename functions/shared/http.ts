import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AppError, BadRequestError, ForbiddenError, NotFoundError, PayloadTooLargeError, TooManyRequestsError, UnsupportedMediaTypeError } from './errors.ts';
import { printable } from './text.ts';
import { authorise, principalFromClaims, principalOf, type Principal } from './auth.ts';
import { acceptableId, correlated } from './correlation.ts';
import { checkCsrf, withSession } from './csrf.ts';
import { logger, metrics, publishMetrics } from './powertools.ts';
import { pageSessionOf, principalOfSession, secureCookies, signInLocation, type Session } from './session.ts';
import { tracing } from './tracing.ts';
import { DEFAULT_ROUTE, routeKeyOf, type FunctionDeclaration, type RouteDeclaration, type RouteKeysOf } from './wiring.ts';

export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface HttpRequest {
  readonly event: APIGatewayProxyEventV2;
  readonly principal: Principal | undefined;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
}

export type RouteHandler = (request: HttpRequest) => Promise<HttpResult>;

/** What went wrong, for a page that tells a person: status, a sentence, and what to do. */
export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** For a 403: the roles that may use the page. */
  readonly needs?: readonly string[];
  /** The path the person asked for (to come back to after signing in). */
  readonly path: string;
  /** For a 429: how long to wait, sent as Retry-After. */
  readonly retryAfterSeconds?: number;
}

/** Renders a problem as an HTML page in the house style (web/error-page.ts). */
export type ErrorPage = (problem: Problem) => HttpResult;

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

/** A CSV file to download (a report, a return), never cached. */
export const csvDownload = (filename: string, body: string): HttpResult => ({
  statusCode: 200,
  headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
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
    // Keyed by field names the sender chose: no prototype, so `constructor` or `__proto__` is just a field.
    const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    for (const [k, v] of new URLSearchParams(text)) {
      const seen = Object.hasOwn(fields, k) ? fields[k] : undefined;
      fields[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
    }
    return { kind: 'form', value: { ...fields } };
  }
  throw new UnsupportedMediaTypeError('send the body as application/json or application/x-www-form-urlencoded');
}

/**
 * A person's browser gets pages; a script gets JSON. On a page route, a request that sends
 * JSON or asks only for JSON is a script. A path no route knows (the catch-all) answers a
 * page only to a browser, which always asks for text/html.
 */
export function wantsPage(route: RouteDeclaration | undefined, event: APIGatewayProxyEventV2): boolean {
  if (!route?.page) return false;
  const type = (header(event, 'content-type') ?? '').toLowerCase();
  const accept = (header(event, 'accept') ?? '').toLowerCase();
  if (type.startsWith('application/json')) return false;
  if (accept.includes('text/html')) return true;
  if (accept.includes('json')) return false;
  return route.path !== DEFAULT_ROUTE;
}

const INTERNAL_MESSAGE = 'something went wrong on our side; please try again later';

/**
 * The one mapping from an error to what the caller needs to know; the rest goes to the logs.
 * Messages often quote what the caller sent, so control characters in them are escaped
 * (text.ts): JSON leaves C1 controls raw, and a terminal would obey them.
 */
export function problemOf(error: unknown, path: string): Problem & { details?: AppError['details'] } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      message: printable(error.message),
      path,
      ...(error.details ? { details: error.details.map((d) => ({ path: printable(d.path), message: printable(d.message) })) } : {}),
      ...(error instanceof ForbiddenError && error.needs.length ? { needs: error.needs } : {}),
      ...(error instanceof TooManyRequestsError ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  logger.error('unhandled error', error as Error);
  return { status: 500, code: 'internal', message: INTERNAL_MESSAGE, path };
}

/** The one JSON error shape: `{ error: { code, message, details? } }`. */
export function jsonProblem(problem: Problem & { details?: AppError['details'] }): HttpResult {
  const { status, code, message, details } = problem;
  return json(status, { error: { code, message, ...(details ? { details } : {}) } });
}

/** Every 429 says when to come back, whichever form the answer takes. */
const withRetryAfter = (result: HttpResult, problem: Problem): HttpResult =>
  problem.retryAfterSeconds === undefined ? result : { ...result, headers: { ...result.headers, 'retry-after': String(Math.ceil(problem.retryAfterSeconds)) } };

/**
 * No id this service gives out is longer than this (entity ids 64, eventIds 128, tokens 43);
 * a path segment that is longer names nothing here, and could not be a DynamoDB key anyway
 * (shared/keys.ts). Measured in UTF-8 bytes, as DynamoDB measures keys.
 */
export const MAX_PATH_PARAMETER_BYTES = 256;

function checkPathParameters(event: APIGatewayProxyEventV2): void {
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value !== undefined && Buffer.byteLength(value) > MAX_PATH_PARAMETER_BYTES) {
      throw new NotFoundError(`there is nothing at this address: the ${name} in it is longer than any this service gives out`);
    }
  }
}

export interface HttpApiOptions {
  /** Required when the declaration has page routes: pages never answer raw JSON. */
  readonly errorPage?: ErrorPage;
  /**
   * Page routes are not checked at the gateway (an authorizer can only answer JSON): the
   * stack verifies the bearer token itself and answers a page when it is missing or wrong.
   * Defaults to the issuer in the environment (token.ts).
   */
  readonly verifyToken?: (token: string) => Promise<Record<string, unknown> | undefined>;
}

const verifyFromEnvironment = async (token: string) => (await import('./token.ts')).verifyBearer(token);

interface Caller {
  readonly principal: Principal | undefined;
  /** When a signed-in browser's session cookie is what identified the caller. */
  readonly session?: Session;
}

/**
 * Who is calling, every identity's claims checked in one place (auth.ts `checkTokenClaims`:
 * exp required, lifetime capped, roles a known array): the gateway's verified token on API
 * routes; on a staff page, a bearer token the stack verifies itself or, from a browser, the
 * session cookie (shared/session.ts), whose claims pass the same check.
 */
async function callerOf(route: RouteDeclaration, event: APIGatewayProxyEventV2, options: HttpApiOptions): Promise<Caller> {
  if (route.auth === 'public') {
    // A public route needs no caller: a token that breaks the rules makes it anonymous, not refused.
    try {
      return { principal: principalOf(event) };
    } catch {
      return { principal: undefined };
    }
  }
  const fromGateway = principalOf(event);
  if (fromGateway || !route.page) return { principal: fromGateway };
  const bearer = /^Bearer\s+(.+)$/i.exec(header(event, 'authorization') ?? '')?.[1];
  if (bearer) return { principal: principalFromClaims(await (options.verifyToken ?? verifyFromEnvironment)(bearer)) };
  const session = await pageSessionOf(event);
  return session ? { principal: principalOfSession(session), session } : { principal: undefined };
}

/** A caller's own `x-correlation-id` when it is plain, else the gateway's request id. */
function correlationOfRequest(event: APIGatewayProxyEventV2, context: Context) {
  const given = header(event, 'x-correlation-id');
  return { correlationId: acceptableId(given) ? given : (event.requestContext?.requestId ?? context.awsRequestId) };
}

/**
 * An HTTP function: the routes of its declaration, each caller authorised by that route's own
 * rule, every error mapped once (JSON for APIs, a page for people), security headers and
 * metrics on every answer. The handlers' keys are checked against the declaration.
 */
export function httpApi<D extends FunctionDeclaration>(
  declaration: D,
  routes: { readonly [K in RouteKeysOf<D>]: RouteHandler },
  options: HttpApiOptions = {},
) {
  const declared = new Map((declaration.routes ?? []).map((r) => [routeKeyOf(r), r]));
  if ([...declared.values()].some((r) => r.page) && !options.errorPage) {
    throw new Error(`${declaration.name} declares pages but gives no errorPage: pages never answer raw JSON`);
  }
  const handlers = routes as Readonly<Record<string, RouteHandler>>;
  const dispatch = async (event: APIGatewayProxyEventV2, _context: Context): Promise<HttpResult> => {
    const route = declared.get(event.routeKey);
    try {
      const handle = handlers[event.routeKey];
      if (!route || !handle) throw new NotFoundError(`there is nothing at ${event.rawPath ?? event.routeKey}`);
      const caller = await callerOf(route, event, options);
      const principal = authorise(route.auth, caller.principal);
      // A form sent with the session cookie must prove it came from one of our own pages.
      if (caller.session) await checkCsrf(event, caller.session, secureCookies(event));
      checkPathParameters(event);
      return await withSession(caller.session, () => handle({ event, principal, path: event.pathParameters ?? {}, query: event.queryStringParameters ?? {} }));
    } catch (error) {
      const problem = problemOf(error, event.rawPath ?? '/');
      // A browser that must sign in is sent to sign in, and brought back to the page it asked for.
      const signIn = problem.status === 401 && wantsPage(route, event) ? signInLocation(event) : undefined;
      if (signIn) return redirect(signIn);
      return withRetryAfter(options.errorPage && wantsPage(route, event) ? options.errorPage(problem) : jsonProblem(problem), problem);
    }
  };
  const handler = middy(correlated(correlationOfRequest, dispatch))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(tracing())
    .use(publishMetrics())
    .use({
      before: (request) => {
        logger.appendKeys({ routeKey: request.event.routeKey });
      },
      after: (request) => {
        const response = request.response;
        if (!response) return;
        response.headers = { ...securityHeaders, ...response.headers };
        const status = response.statusCode ?? 200;
        metrics.addMetric(status >= 500 ? 'Http5xx' : status >= 400 ? 'Http4xx' : 'Http2xx', MetricUnit.Count, 1);
      },
    });
  return Object.assign(handler, { wiring: { name: declaration.name, routes: Object.keys(handlers) } });
}
