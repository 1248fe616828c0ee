import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentOf, grantingEverything, memoryMbOf } from '../function-settings.ts';
import { buckets, eventBus, tables } from '../resources.ts';
import { topology, type FunctionSpec } from '../topology.ts';
import { createVerifier, localSecret, LOCAL_JWKS_PATH, publicKeys } from './auth.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from './settings.ts';
import { LocalEventBus } from './eventbridge/bus.ts';
import { startEventBridgeServer } from './eventbridge/server.ts';
import type { DeadLetter } from './eventbridge/journal.ts';
import { scopeVariables } from './function-env.ts';
import { enforceLeastPrivilege } from './least-privilege.ts';
import { startGateway } from './gateway.ts';
import { createLocalProvider, type LocalProvider } from './oidc-provider.ts';
import { localResourceNames, resourceVariables } from './grants.ts';
import type { LocalFaults } from './faults.ts';
import type { OpenIterators } from './dynalite-iterators.ts';
import { putEntryBytes, TTL_SWEEPER_AGENT, type Meter } from './meter.ts';
import { createInvoker, type Invoke } from './invoker.ts';
import { startScheduler } from './scheduler.ts';
import { startTtlSweeper } from './ttl.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalSettings } from './settings.ts';
import { localBucketName, localTableName, startDynamo, startS3, type DynamoAnswer } from './stores.ts';
import { wiringOf } from './wiring.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface Endpoints {
  gateway: string;
  dynamodb: string;
  s3: string;
  eventbridge: string;
  eventBusName: string;
  tables: Record<keyof typeof tables, string>;
  buckets: Record<keyof typeof buckets, string>;
  region: string;
  /** A key pair every local stand-in accepts (the local S3 knows only this one). */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface LocalStackOptions {
  settings: LocalSettings;
  /** The functions to run; the topology unless a test changes an entry (a grant, a timeout). */
  functions?: readonly FunctionSpec[];
  /** Wraps each function's invoke: tests use it to inject faults. */
  wrapInvoke?: (spec: FunctionSpec, invoke: Invoke) => Invoke;
  onDeadLetter?: (letter: DeadLetter) => void;
  log?: (line: string) => void;
  /** Fault injection (faults.ts): none unless given; only the soak gives it. */
  faults?: LocalFaults;
  /** Metering (meter.ts): none unless given; only `npm run cost` gives it. */
  meter?: Meter;
}

export interface LocalStack {
  endpoints: Endpoints;
  bus: LocalEventBus;
  invokers: ReadonlyMap<string, Invoke>;
  /** The stores' servers, to stop and start under a running stack (the soak's faults). */
  stores: {
    dynamo: { kill: () => Promise<void>; revive: () => Promise<void>; openIterators: () => Promise<OpenIterators> };
    s3: { stop: () => Promise<void>; start: () => Promise<void> };
  };
  stop: () => Promise<void>;
}

/** `$SC_STATE_DIR/tables.json`: the tables a rebuild swapped in, by logical name. */
function readSwappedTables(stateDir: string): Partial<Record<keyof typeof tables, string>> {
  const file = join(stateDir, 'tables.json');
  if (!existsSync(file)) return {};
  const names = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(tables).flatMap((k) => (typeof names[k] === 'string' ? [[k, names[k]]] : [])));
}

const closeServer = (server: Server) =>
  new Promise<void>((done) => {
    server.closeAllConnections();
    server.close(() => done());
  });

/**
 * Starts everything `npm start` runs, in this process: dynalite, s3rver, the EventBridge
 * stand-in with a rule per topology event trigger, the HTTP gateway and the scheduler.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { settings } = options;
  const log = options.log ?? (() => undefined);
  mkdirSync(settings.stateDir, { recursive: true });

  const { faults, meter } = options;
  const dynamo = await startDynamo(settings.stateDir, settings.dynamodbPort, settings.region, {
    ...(faults ? { intercept: faults.interceptDynamo } : {}),
    ...(meter ? { wrapAnswer: (answer: DynamoAnswer) => meter.dynamoFront(answer) } : {}),
  });
  const s3 = await startS3(settings.stateDir, settings.s3Port, settings.region, LOCAL_CREDENTIALS, meter ? (method, url) => meter.s3Request(method, url) : undefined);

  // Tables swapped in by `npm run rebuild -- --swap` (scripts/rebuild.ts), if any.
  const swapped = readSwappedTables(settings.stateDir);
  const tableNames = { ...Object.fromEntries(Object.entries(tables).map(([k, def]) => [k, localTableName(def)])), ...swapped } as Endpoints['tables'];
  const bucketNames = Object.fromEntries(Object.entries(buckets).map(([k, def]) => [k, localBucketName(def.id)])) as Endpoints['buckets'];

  // The process (the stack, tests, demo data) holds every variable; a function sees only its
  // grants, the same variables CDK sets on AWS (function-env.ts, function-settings.ts).
  const names = localResourceNames({
    // DISC's shared webhook secret and our own key for subject refs (Secrets Manager on AWS).
    DISC_WEBHOOK_SECRET: process.env.DISC_WEBHOOK_SECRET ?? localSecret(settings.stateDir, 'disc-webhook'),
    DISC_SUBJECT_KEY: process.env.DISC_SUBJECT_KEY ?? localSecret(settings.stateDir, 'disc-subject-key'),
    NOTIFY_API_KEY: process.env.NOTIFY_API_KEY ?? '',
  }, swapped);
  const shared: Record<string, string> = {
    AWS_REGION: settings.region,
    // s3rver knows only its own access key; dynalite and the local bus accept any.
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    // Functions share one process here, so Metrics' per-invocation warnings are noise: show errors.
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    // Messages to people land in the outbox folder (contract.md), not GOV.UK Notify.
    NOTIFICATIONS_TRANSPORT: process.env.NOTIFICATIONS_TRANSPORT ?? 'outbox',
    NOTIFICATIONS_OUTBOX_DIR: join(settings.stateDir, 'outbox'),
  };
  Object.assign(process.env, shared, environmentOf(grantingEverything, names));
  scopeVariables(resourceVariables(names));

  const functions = options.functions ?? topology;
  enforceLeastPrivilege(functions, localTableName(tables.main));
  const wiring = wiringOf(functions);
  const metered = (spec: FunctionSpec, invoke: Invoke): Invoke =>
    meter
      ? async (event) => {
          const started = performance.now();
          try {
            return await invoke(event);
          } finally {
            meter.invocation(spec.name, memoryMbOf(spec), performance.now() - started);
          }
        }
      : invoke;
  const wrap =
    faults || options.wrapInvoke || meter
      ? (spec: FunctionSpec, invoke: Invoke) => {
          const faulty = faults ? faults.wrapInvoke(spec, invoke) : invoke;
          return metered(spec, options.wrapInvoke ? options.wrapInvoke(spec, faulty) : faulty);
        }
      : undefined;
  const invokers = new Map(
    functions.map((fn) => [
      fn.name,
      createInvoker(fn, { root: repoRoot, region: settings.region, environment: environmentOf(fn, names), ...(wrap ? { wrap } : {}) }),
    ]),
  );
  const invokerOf = (fn: FunctionSpec) => invokers.get(fn.name) as Invoke;

  const bus = new LocalEventBus({
    name: eventBus.localName,
    region: settings.region,
    journalDir: join(settings.stateDir, 'eventbridge'),
    retryBaseMs: settings.retryBaseMs,
    paused: settings.pauseDelivery,
    rules: wiring.rules.map((r) => ({ name: r.name, pattern: r.pattern, invoke: invokerOf(r.fn) })),
    onDeadLetter: (letter) => {
      log(`dead letter: ${letter.event['detail-type']} ${letter.event.id} for ${letter.target}: ${letter.error}`);
      options.onDeadLetter?.(letter);
    },
  });
  if (meter) {
    const put = bus.put.bind(bus);
    bus.put = (entries) => {
      meter.putEvents(entries.map(putEntryBytes));
      return put(entries);
    };
  }
  const eventbridge = await startEventBridgeServer(bus, settings.eventbridgePort);
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = eventbridge.url;

  let provider: LocalProvider | undefined;
  const gateway = await startGateway({
    port: settings.gatewayPort,
    verify: await createVerifier(settings.stateDir),
    routes: wiring.routes.map((r) => ({ method: r.method, path: r.path, auth: r.auth, ...(r.page ? { page: true } : {}), invoke: invokerOf(r.fn) })),
    jwks: { path: LOCAL_JWKS_PATH, body: await publicKeys(settings.stateDir) },
    extra: (req, res, url) => provider?.handle(req, res, url) ?? Promise.resolve(false),
    onError: (error) => log(`function error: ${(error as Error).stack ?? String(error)}`),
  });
  // The JWKS is the identity provider's on AWS, not a request to the API.
  if (meter) gateway.server.on('request', (req: IncomingMessage) => req.url !== LOCAL_JWKS_PATH && meter.httpRequest(Number(req.headers['content-length'] ?? 0)));
  // Staff sign in through the local OpenID provider, by the real authorization-code flow.
  const port = new URL(gateway.url).port;
  provider = createLocalProvider({
    stateDir: settings.stateDir,
    origin: gateway.url,
    clientSecret: localSecret(settings.stateDir, 'oidc-client'),
    redirectUris: [`${gateway.url}/sign-in/callback`, `http://localhost:${port}/sign-in/callback`],
    postLogoutRedirectUris: [`${gateway.url}/signed-out`, `http://localhost:${port}/signed-out`],
  });
  Object.assign(process.env, {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    SC_SESSION_KEY: process.env.SC_SESSION_KEY ?? localSecret(settings.stateDir, 'session-key'),
    SC_SIGN_IN_PATH: '/sign-in',
  });
  // Pages verify tokens themselves, against the issuer's keys, as they do on AWS.
  Object.assign(process.env, { AUTH_ISSUER: LOCAL_ISSUER, AUTH_AUDIENCE: LOCAL_AUDIENCE, AUTH_JWKS_URL: `${gateway.url}${LOCAL_JWKS_PATH}` });
  // The public address browsers are sent back to (S3's redirect after a photo upload): the gateway's, as CDK sets the API's.
  process.env.SC_PUBLIC_URL = gateway.url;
  // Links in messages to the public (functions/status/status-link.ts) when SC_PUBLIC_URL is not set.
  process.env.SC_GATEWAY_URL = gateway.url;
  // Named by its user agent, so a meter leaves its reads and deletes out (TTL deletes are free on AWS).
  const ttlClient = new DynamoDBClient({ endpoint: dynamo.url, region: settings.region, credentials: LOCAL_CREDENTIALS, customUserAgent: TTL_SWEEPER_AGENT });
  const ttl = startTtlSweeper(ttlClient, 5 * 60_000, (error) => log(`TTL sweep failed: ${(error as Error).message}`));
  const scheduler = startScheduler(
    wiring.schedules.map((s) => ({ name: s.name, cron: s.cron, invoke: invokerOf(s.fn) })),
    (name, error) => log(`schedule ${name} failed: ${(error as Error).message}`),
  );

  const endpoints: Endpoints = {
    gateway: gateway.url,
    dynamodb: dynamo.url,
    s3: s3.url,
    eventbridge: eventbridge.url,
    eventBusName: eventBus.localName,
    tables: tableNames,
    buckets: bucketNames,
    region: settings.region,
    credentials: { ...LOCAL_CREDENTIALS },
  };
  writeFileSync(join(settings.stateDir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);

  let stopped = false;
  return {
    endpoints,
    bus,
    invokers,
    stores: { dynamo: { kill: dynamo.kill, revive: dynamo.revive, openIterators: dynamo.openIterators }, s3: { stop: s3.stop, start: s3.start } },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // In the order that lets work under way finish against stores still open: nothing new
      // starts (schedules, sweeps, HTTP), the bus finishes the deliveries it is running, and only
      // then do its endpoint and the stores stop. A store stopped under a delivery (or removed by
      // a test as it ends) was an uncaught ENOENT inside s3rver now and then.
      await scheduler.stop();
      await ttl.stop();
      ttlClient.destroy();
      await closeServer(gateway.server);
      await bus.close();
      await closeServer(eventbridge.server);
      await s3.close();
      await dynamo.close();
    },
  };
}
