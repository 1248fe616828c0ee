/**
 * The one list of functions. The CDK stack (infra/cdk) and the local runtime (infra/local)
 * are both generated from it: adding a function is an entry here plus its handler.
 */
import type { EventContract, EventPattern } from '#events/contract';
import { patternFor } from '#events/contract';
import { ReportReceived } from '#events/intake';
import { EVENT_SOURCE_PREFIX } from '#events/envelope';
import type { BucketName, TableName } from './resources.ts';

export const roles = ['public', 'officer', 'tenancy', 'finance', 'partner', 'admin'] as const;
export type Role = (typeof roles)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Trigger =
  /** Delivered by an EventBridge rule with Lambda async semantics (two retries, then a DLQ). */
  | { readonly kind: 'events'; readonly ruleName: string; readonly pattern: EventPattern }
  /** An HTTP API route. `auth: 'public'` needs no token; otherwise a JWT whose roles include one listed. */
  | { readonly kind: 'http'; readonly method: HttpMethod; readonly path: string; readonly auth: 'public' | readonly Role[] }
  /** EventBridge Scheduler cron expression, evaluated in Europe/London. */
  | { readonly kind: 'schedule'; readonly name: string; readonly cron: string };

export type Access = 'read' | 'write' | 'readwrite';

export interface FunctionSpec {
  /** Logical name: CDK construct id and local function name. */
  readonly name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly triggers: readonly Trigger[];
  readonly tables?: Partial<Record<TableName, Access>>;
  readonly buckets?: Partial<Record<BucketName, Access>>;
  /** May put events on the bus. */
  readonly putsEvents?: boolean;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}

export function onEvents(ruleName: string, contracts: readonly EventContract[]): Trigger {
  return { kind: 'events', ruleName, pattern: patternFor(contracts) };
}

export const topology: readonly FunctionSpec[] = [
  {
    name: 'ReportIntake',
    entry: 'functions/intake/receive-report.ts',
    description: 'Public report form: validates a report and puts ReportReceived',
    triggers: [{ kind: 'http', method: 'POST', path: '/reports', auth: 'public' }],
    tables: { main: 'write' },
    putsEvents: true,
  },
  {
    name: 'ReportProjector',
    entry: 'functions/intake/project-report.ts',
    description: 'Stores each received report in the read model (idempotent on eventId)',
    triggers: [onEvents('ReportReceivedToProjector', [ReportReceived])],
    tables: { main: 'readwrite', idempotency: 'readwrite' },
  },
  {
    name: 'ReportsApi',
    entry: 'functions/intake/reports-api.ts',
    description: 'Officer reads: the triage queue and one report',
    triggers: [
      { kind: 'http', method: 'GET', path: '/reports', auth: ['officer', 'tenancy', 'admin'] },
      { kind: 'http', method: 'GET', path: '/reports/{reportId}', auth: ['officer', 'tenancy', 'admin'] },
    ],
    tables: { main: 'read' },
  },
  {
    name: 'EventArchiver',
    entry: 'functions/archive/archive-event.ts',
    description: 'Writes every event on the bus to the archive bucket, partitioned by date',
    triggers: [{ kind: 'events', ruleName: 'AllEventsToArchive', pattern: { source: [{ prefix: EVENT_SOURCE_PREFIX }] } }],
    buckets: { archive: 'write' },
  },
  {
    name: 'Health',
    entry: 'functions/health/health.ts',
    description: 'Liveness: answers 200 once the stack is up',
    triggers: [{ kind: 'http', method: 'GET', path: '/health', auth: 'public' }],
  },
];
