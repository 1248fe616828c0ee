import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { DEFAULT_ROUTE } from '#shared/wiring';
import type { HttpMethod, Role } from '../topology.ts';
import type { Invoke } from './invoker.ts';

export interface GatewayRoute {
  method: HttpMethod;
  path: string;
  auth: 'public' | readonly Role[];
  /** Pages check their callers themselves (as on AWS, where they have no authorizer). */
  page?: boolean;
  invoke: Invoke;
}

/** API Gateway's own limit on a request payload. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const textTypes = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript)|[^;]*\+json|[^;]*\+xml)/i;

interface CompiledRoute extends GatewayRoute {
  regex: RegExp;
  params: string[];
  literalLength: number;
}

function compile(route: GatewayRoute): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        params.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        params.push(param[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${source}$`), params, literalLength: route.path.replace(/\{[^}]+\}/g, '').length };
}

/** API Gateway's JWT authorizer flattens claims to strings; arrays read "[a b]". */
function flattenClaims(payload: JWTPayload): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [
      k,
      Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string | number | boolean),
    ]),
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function headerValues(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k === 'cookie') continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

/**
 * The local HTTP API: matches routes as API Gateway does (most specific first), verifies
 * bearer tokens for protected routes as the JWT authorizer does, and invokes the function
 * with an API Gateway v2 (payload format 2.0) event.
 */
export function startGateway(options: {
  port: number;
  routes: readonly GatewayRoute[];
  verify: (token: string) => Promise<JWTPayload | undefined>;
  /** The issuer's public keys, served as the identity provider serves them on AWS. */
  jwks?: { path: string; body: unknown };
  /** Another server on the same address (the local OpenID provider): true when it answered. */
  extra?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  onError?: (error: unknown) => void;
}): Promise<{ server: Server; url: string }> {
  const catchAll = options.routes.find((r) => r.path === DEFAULT_ROUTE);
  const routes = options.routes
    .filter((r) => r !== catchAll)
    .map(compile)
    .sort((a, b) => b.literalLength - a.literalLength || a.params.length - b.params.length);
  const server = createServer((req, res) => {
    const send = (status: number, headers: Record<string, string>, body: string | Buffer) => {
      res.writeHead(status, headers);
      res.end(body);
    };
    const message = (status: number, text: string) =>
      send(status, { 'content-type': 'application/json' }, JSON.stringify({ message: text }));
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      if (options.jwks && method === 'GET' && url.pathname === options.jwks.path) {
        return send(200, { 'content-type': 'application/json' }, JSON.stringify(options.jwks.body));
      }
      if (options.extra && (await options.extra(req, res, url))) return;
      let match: { route: CompiledRoute; values: string[] } | undefined;
      for (const route of routes) {
        if (route.method !== method && route.method !== 'ANY') continue;
        const m = route.regex.exec(url.pathname);
        if (m) {
          match = { route, values: m.slice(1) };
          break;
        }
      }
      if (!match && catchAll) match = { route: { ...compile(catchAll), method: 'ANY' }, values: [] };
      if (!match) return message(404, 'Not Found');
      const { route, values } = match;

      let claims: Record<string, string | number | boolean> | undefined;
      // Like API Gateway: routes with an authorizer verify the token; routes without one pass
      // it through untouched (pages verify it themselves).
      if (!route.page && (route.auth !== 'public' || req.headers.authorization)) {
        const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const payload = bearer ? await options.verify(bearer) : undefined;
        if (!payload && route.auth !== 'public') return message(401, 'Unauthorized');
        if (payload) claims = flattenClaims(payload);
      }

      const body = await readBody(req);
      if (body === 'too-large') return message(413, 'Request Entity Too Large');
      const headers = headerValues(req);
      const isText = body.length === 0 || textTypes.test(headers['content-type'] ?? '');
      // Parameter names are the caller's: no prototype, so `?constructor=x` is just a parameter.
      const query: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const [k, v] of url.searchParams) query[k] = Object.hasOwn(query, k) ? `${query[k]},${v}` : v;
      const decode = (v: string) => {
        try {
          return decodeURIComponent(v);
        } catch {
          return v;
        }
      };
      const now = new Date();
      const routeKey = route.path === DEFAULT_ROUTE ? DEFAULT_ROUTE : `${route.method} ${route.path}`;
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
        headers,
        ...(Object.keys(query).length ? { queryStringParameters: { ...query } } : {}),
        ...(route.params.length ? { pathParameters: Object.fromEntries(route.params.map((p, i) => [p, decode(values[i] ?? '')])) } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
          requestId: randomUUID(),
          routeKey,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
        } as APIGatewayProxyEventV2['requestContext'],
        ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
        isBase64Encoded: body.length > 0 && !isText,
      };

      try {
        const result = (await route.invoke(event)) as APIGatewayProxyStructuredResultV2 | string | undefined;
        if (result === undefined || typeof result !== 'object' || !('statusCode' in result)) {
          return send(200, { 'content-type': 'application/json' }, JSON.stringify(result ?? null));
        }
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(result.headers ?? {})) out[k] = String(v);
        if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
        const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
        return send(result.statusCode ?? 200, out, payload);
      } catch (error) {
        options.onError?.(error);
        return message(500, 'Internal Server Error');
      }
    })();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}
