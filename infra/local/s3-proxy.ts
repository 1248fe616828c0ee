import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorXml, refusalOf, type PostUpload, type S3Refusal } from './s3-post-policy.ts';

/**
 * The local S3 endpoint: s3rver behind a small proxy that checks browser POST uploads as S3
 * does (s3rver stores them whatever the policy and signature say) and passes every other
 * request through untouched.
 */

export interface S3ProxyOptions {
  /** s3rver's own address. */
  upstream: { host: string; port: number };
  port: number;
  region: string;
  /** The key pairs the local S3 knows. */
  credentials: readonly { accessKeyId: string; secretAccessKey: string }[];
  /** Sees every request (the meter, meter.ts). */
  onRequest?: (method: string, url: string) => void;
}

/**
 * The most a POST upload may carry here. S3 takes up to 5 GB; the form is held in memory
 * to be checked before anything is stored, and the project's uploads are 10 MB at most.
 */
const MAX_POST_BYTES = 64 * 1024 * 1024;

/** Headers that describe one connection, not the message: never forwarded. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']);

const forwardable = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name)));

/** POST /{bucket} with a multipart body: a browser upload (POST Object), not an API call. */
function postObjectBucket(req: IncomingMessage): string | undefined {
  if (req.method !== 'POST' || !/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) return undefined;
  const path = new URL(req.url ?? '/', 'http://local').pathname;
  const match = /^\/([^/]+)\/?$/.exec(path);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

function answer(res: ServerResponse, refusal: S3Refusal): void {
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const body = errorXml(refusal, requestId);
  res.writeHead(refusal.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': requestId });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_POST_BYTES) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The form as S3 reads it: fields up to the file (later ones are ignored), and the file's
 * size. Parsed by the platform's own multipart parser (the fetch API's), then written out
 * again for s3rver, so what is stored is exactly what was checked.
 */
async function readForm(body: Buffer, contentType: string): Promise<{ upload: PostUpload; forward: Request } | undefined> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const fields: [string, string][] = [];
  const kept = new FormData();
  let fileBytes: number | undefined;
  for (const [name, value] of form.entries()) {
    kept.append(name, value);
    if (name.toLowerCase() === 'file') {
      fileBytes = typeof value === 'string' ? Buffer.byteLength(value) : value.size;
      break;
    }
    fields.push([name, typeof value === 'string' ? value : value.name]);
  }
  return { upload: { fields, fileBytes }, forward: new Request('http://local/', { method: 'POST', body: kept }) };
}

export async function startS3Proxy(options: S3ProxyOptions): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  // A connection per request: a kept-alive one can be closed by s3rver just as it is reused,
  // which would fail a request now and then for no reason of its own.
  const agent = new Agent({ keepAlive: false });
  const secrets = new Map(options.credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));

  const forward = (req: IncomingMessage, res: ServerResponse, body?: { bytes: Buffer; contentType: string }) => {
    const headers = forwardable(req.headers);
    if (body) Object.assign(headers, { 'content-type': body.contentType, 'content-length': String(body.bytes.length) });
    const upstream = httpRequest({ ...options.upstream, method: req.method, path: req.url, headers, agent }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, forwardable(upstreamRes.headers));
      upstreamRes.pipe(res);
    });
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy(error);
      else answer(res, { status: 503, code: 'ServiceUnavailable', message: `The local S3 did not answer: ${error.message}` });
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (body) upstream.end(body.bytes);
    else req.pipe(upstream);
  };

  const checkUpload = async (req: IncomingMessage, res: ServerResponse, bucket: string) => {
    const body = await readBody(req);
    if (body === 'too-large') {
      res.setHeader('connection', 'close');
      answer(res, { status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size', details: { MaxSizeAllowed: String(MAX_POST_BYTES) } });
      return;
    }
    const form = await readForm(body, req.headers['content-type'] ?? '');
    if (!form) {
      answer(res, { status: 400, code: 'MalformedPOSTRequest', message: 'The body of your POST request is not well-formed multipart/form-data.' });
      return;
    }
    const refusal = refusalOf(form.upload, { bucket, region: options.region, secretOf: (id) => secrets.get(id), now: new Date() });
    if (refusal) {
      answer(res, refusal);
      return;
    }
    const bytes = Buffer.from(await form.forward.arrayBuffer());
    forward(req, res, { bytes, contentType: form.forward.headers.get('content-type') ?? '' });
  };

  const server = createServer((req, res) => {
    options.onRequest?.(req.method ?? 'GET', req.url ?? '/');
    const bucket = postObjectBucket(req);
    if (bucket === undefined) {
      forward(req, res);
      return;
    }
    checkUpload(req, res, bucket).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else answer(res, { status: 500, code: 'InternalError', message: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    // Requests under way are answered (10 s at most) before the connections are dropped: cut off,
    // s3rver would go on writing the object after the caller had gone.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          agent.destroy();
          resolve();
        });
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      }),
  };
}
