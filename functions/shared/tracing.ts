import type middy from '@middy/core';
import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Powertools Tracer, loaded only where X-Ray is on (Lambda with active tracing sets
 * AWS_XRAY_DAEMON_ADDRESS) and on the first invocation, not at module load: locally, and in
 * every test, the tracer and the X-Ray SDK are never evaluated, and on AWS they cost the
 * first invocation, not every init of a function that may never be called.
 */
export const tracingEnabled = (): boolean => Boolean(process.env.AWS_XRAY_DAEMON_ADDRESS) && process.env.POWERTOOLS_TRACE_ENABLED !== 'false';

type Client = Parameters<Tracer['captureAWSv3Client']>[0];

const clients = new Set<Client>();
let tracer: Tracer | undefined;
let loading: Promise<Tracer> | undefined;

/** An SDK client whose calls become X-Ray subsegments (and carry the trace to EventBridge targets). */
export function traced<T extends Client>(client: T): T {
  clients.add(client);
  if (tracer) tracer.captureAWSv3Client(client);
  return client;
}

async function load(): Promise<Tracer> {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  const loaded = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'safer-communities' });
  for (const client of clients) loaded.captureAWSv3Client(client);
  tracer = loaded;
  return loaded;
}

type Request = middy.Request<unknown, unknown, Error, import('aws-lambda').Context>;
type MiddlewareObj = middy.MiddlewareObj<unknown, unknown, Error, import('aws-lambda').Context>;

/**
 * A subsegment per invocation, annotated with the cold start, the service and the correlation
 * id (so X-Ray can find every trace of one report), closed on success or error. Does nothing
 * where tracing is off, and costs nothing there either: each phase answers at once, with no
 * promise of its own (three async steps per phase were paid on every invocation for nothing).
 */
export function tracing(): MiddlewareObj {
  let inner: MiddlewareObj | undefined;
  const of = async (): Promise<MiddlewareObj> => {
    if (!inner) {
      const t = tracer ?? (await (loading ??= load()));
      const { captureLambdaHandler } = await import('@aws-lambda-powertools/tracer/middleware');
      inner = captureLambdaHandler(t, { captureResponse: false }) as MiddlewareObj;
    }
    return inner;
  };
  const phase =
    (name: 'before' | 'after' | 'onError') =>
    (request: Request): Promise<void> | undefined => {
      if (!tracingEnabled()) return undefined;
      return of().then(async (m) => {
        await m[name]?.(request);
      });
    };
  return { before: phase('before'), after: phase('after'), onError: phase('onError') };
}

/** Marks the invocation's trace with the correlation id, so X-Ray finds every trace of one report. */
export function annotate(correlationId: string): void {
  tracer?.putAnnotation('correlationId', correlationId);
}
