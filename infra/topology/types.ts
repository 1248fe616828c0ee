/** The shape of a topology entry: what a function is, what triggers it, what it may touch. */
import type { EventPattern } from '#events/contract';
import { patternFor } from '#events/contract';
import { functionSettings } from '../function-settings.ts';
import type { Access, BucketName, FunctionDeclaration, HttpMethod, RouteAuth, SecretName, TableName } from '#shared/wiring';

export { roles } from '#shared/wiring';
export type { Access, HttpMethod, Role } from '#shared/wiring';

export type Trigger =
  /** Delivered by an EventBridge rule with Lambda async semantics (two retries, then a DLQ). */
  | { readonly kind: 'events'; readonly ruleName: string; readonly pattern: EventPattern }
  /** An HTTP API route. `auth: 'public'` needs no token; otherwise a JWT whose roles include one listed. */
  | { readonly kind: 'http'; readonly method: HttpMethod; readonly path: string; readonly auth: RouteAuth; readonly page?: boolean }
  /** EventBridge Scheduler cron expression, evaluated in Europe/London. */
  | { readonly kind: 'schedule'; readonly name: string; readonly cron: string };


export interface FunctionSpec {
  /** Logical name: CDK construct id and local function name. */
  readonly name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** The capability (folder) it belongs to. */
  readonly capability: string;
  readonly triggers: readonly Trigger[];
  readonly tables?: Partial<Record<TableName, Access>>;
  readonly buckets?: Partial<Record<BucketName, Access>>;
  /** Secrets it reads (Secrets Manager on AWS, through the Parameters and Secrets extension). */
  readonly secrets?: readonly SecretName[];
  /** May put events on the bus. */
  readonly putsEvents?: boolean;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

/** A function's declaration (beside its handler) as a topology entry with its triggers. */
export function specOf(capability: string, fn: FunctionDeclaration): FunctionSpec {
  const { routes = [], subscription, schedules = [], ...rest } = fn;
  const triggers: Trigger[] = [
    ...routes.map((r): Trigger => ({ kind: 'http', method: r.method, path: r.path, auth: r.auth, ...(r.page ? { page: true } : {}) })),
    ...(subscription
      ? [{ kind: 'events', ruleName: subscription.rule, pattern: 'contracts' in subscription ? patternFor(subscription.contracts) : subscription.pattern } as const]
      : []),
    ...schedules.map((s): Trigger => ({ kind: 'schedule', name: s.name, cron: s.cron })),
  ];
  return { ...functionSettings, ...rest, capability, triggers };
}
