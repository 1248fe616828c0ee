/** The shape of a topology entry: what a function is, what triggers it, what it may touch. */
import type { EventContract, EventPattern } from '#events/contract';
import { patternFor } from '#events/contract';
import type { BucketName, SecretName, TableName } from '../resources.ts';

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
  /** Secrets it reads (Secrets Manager on AWS, through the Parameters and Secrets extension). */
  readonly secrets?: readonly SecretName[];
  /** May put events on the bus. */
  readonly putsEvents?: boolean;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}

export function onEvents(ruleName: string, contracts: readonly EventContract[]): Trigger {
  return { kind: 'events', ruleName, pattern: patternFor(contracts) };
}

