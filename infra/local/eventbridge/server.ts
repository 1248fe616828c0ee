import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalEventBus, PutEntry } from './bus.ts';
import { InvalidEventPatternError, testEventPattern } from './pattern.ts';

/** EventBridge's limit on one PutEvents request. */
export const MAX_PUT_BYTES = 256 * 1024;

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface RawEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Time?: unknown;
  Resources?: unknown;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** Size as EventBridge counts it: the UTF-8 bytes of each field, 14 for a Time. */
function entrySize(e: RawEntry): number {
  const bytes = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  const resources = Array.isArray(e.Resources) ? e.Resources.reduce<number>((n, r) => n + bytes(r), 0) : 0;
  return (e.Time === undefined ? 0 : 14) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + resources;
}

function checkEntry(bus: LocalEventBus, e: RawEntry): PutEntry | { ErrorCode: string; ErrorMessage: string } {
  const missing = (['Source', 'DetailType', 'Detail'] as const).filter((k) => typeof e[k] !== 'string' || e[k] === '');
  if (missing.length > 0) {
    return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter(s) ${missing.join(', ')} must be given as non-empty strings.` };
  }
  if (!bus.isThisBus(typeof e.EventBusName === 'string' ? e.EventBusName : undefined)) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${String(e.EventBusName)} does not exist.` };
  }
  const source = e.Source as string;
  if (source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: `Not authorized for the source ${source}.` };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail as string);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed: it must be a JSON object.' };
  }
  const time = e.Time === undefined ? undefined : new Date(typeof e.Time === 'number' ? e.Time * 1000 : String(e.Time));
  return {
    Source: source,
    DetailType: e.DetailType as string,
    Detail: detail as Record<string, unknown>,
    ...(time && !Number.isNaN(time.getTime()) ? { Time: time } : {}),
    ...(Array.isArray(e.Resources) ? { Resources: e.Resources.filter((r): r is string => typeof r === 'string') } : {}),
  };
}

async function putEvents(bus: LocalEventBus, body: { Entries?: unknown }) {
  const entries = body.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
    throw new ApiError('ValidationException', 'Entries must be a list of 1 to 10 entries.');
  }
  const total = (entries as RawEntry[]).reduce((n, e) => n + entrySize(e), 0);
  if (total > MAX_PUT_BYTES) {
    throw new ApiError('ValidationException', `Total size of the entries in the request is over the limit (${total} > ${MAX_PUT_BYTES} bytes).`);
  }
  const checked = (entries as RawEntry[]).map((e) => checkEntry(bus, e));
  const good = checked.filter((c): c is PutEntry => 'Source' in c);
  const ids = await bus.put(good);
  let next = 0;
  const results: EntryResult[] = checked.map((c) => ('Source' in c ? { EventId: ids[next++] ?? '' } : c));
  return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
}

function testPattern(body: { EventPattern?: unknown; Event?: unknown }) {
  if (typeof body.EventPattern !== 'string' || typeof body.Event !== 'string') {
    throw new ApiError('ValidationException', 'EventPattern and Event are both required strings.');
  }
  try {
    return { Result: testEventPattern(body.EventPattern, body.Event) };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new ApiError('InvalidEventPatternException', error.message);
    throw new ApiError('ValidationException', (error as Error).message);
  }
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError('ValidationException', 'Request is too large.', 413);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new ApiError('SerializationException', 'The request body is not valid JSON.');
  }
}

/**
 * EventBridge over the AWS JSON 1.1 protocol, for the unmodified SDK client. Besides
 * PutEvents and TestEventPattern, two local operations list and redrive dead letters.
 */
export function startEventBridgeServer(bus: LocalEventBus, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID() });
      res.end(JSON.stringify(payload));
    };
    void (async () => {
      try {
        if (req.method !== 'POST') throw new ApiError('UnknownOperationException', 'Use POST with an X-Amz-Target header.');
        const target = String(req.headers['x-amz-target'] ?? '');
        const body = (await readJson(req, 4 * MAX_PUT_BYTES)) as Record<string, unknown>;
        switch (target) {
          case 'AWSEvents.PutEvents':
            return reply(200, await putEvents(bus, body));
          case 'AWSEvents.TestEventPattern':
            return reply(200, testPattern(body));
          case 'SaferCommunitiesLocal.ListDeadLetters':
            return reply(200, { DeadLetters: bus.deadLetters() });
          case 'SaferCommunitiesLocal.Redrive':
            return reply(200, { Redriven: await bus.redrive() });
          default:
            throw new ApiError('UnknownOperationException', `The local EventBridge does not support ${target || 'that operation'}.`);
        }
      } catch (error) {
        if (error instanceof ApiError) return reply(error.status, { __type: error.type, message: error.message });
        return reply(500, { __type: 'InternalException', message: (error as Error).message });
      }
    })();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${bound}` });
    });
  });
}
