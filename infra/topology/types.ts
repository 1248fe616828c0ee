/** The shape of a topology entry: what a function is, what triggers it, what it may touch. */
import type { EventPattern } from '#events/contract';
import { patternFor } from '#events/contract';
import { functionSettings } from '../function-settings.ts';
import type { KeyPrefix } from '#shared/keys';
import { accessOf, prefixesOf, type Access, type BucketName, type FunctionDeclaration, type HttpMethod, type RouteAuth, type SecretName, type TableDeclaration, type TableName } from '#shared/wiring';

/** An event a function may put on the bus. */
export interface EmittedEvent {
  readonly source: string;
  readonly detailType: string;
}

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
  /** The key families it may touch, per table; a table granted without them is granted whole. */
  readonly keyPrefixes?: Partial<Record<TableName, readonly KeyPrefix[]>>;
  readonly buckets?: Partial<Record<BucketName, Access>>;
  /** Secrets it reads (Secrets Manager on AWS, through the Parameters and Secrets extension). */
  readonly secrets?: readonly SecretName[];
  /** May put events on the bus. */
  readonly putsEvents?: boolean;
  /** The events it may put (source and detail-type); undefined with putsEvents: any. */
  readonly emits?: readonly EmittedEvent[];
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

/** A function's declaration (beside its handler) as a topology entry with its triggers. */
export function specOf(capability: string, fn: FunctionDeclaration): FunctionSpec {
  const { routes = [], subscription, schedules = [], tables, emits, ...rest } = fn;
  const declared = Object.entries(tables ?? {}) as [TableName, TableDeclaration | undefined][];
  const grants = declared.filter((entry): entry is [TableName, TableDeclaration] => entry[1] !== undefined);
  const keyPrefixes = Object.fromEntries(grants.flatMap(([name, d]) => (prefixesOf(d) ? [[name, prefixesOf(d)]] : [])));
  const triggers: Trigger[] = [
    ...routes.map((r): Trigger => ({ kind: 'http', method: r.method, path: r.path, auth: r.auth, ...(r.page ? { page: true } : {}) })),
    ...(subscription
      ? [{ kind: 'events', ruleName: subscription.rule, pattern: 'contracts' in subscription ? patternFor(subscription.contracts) : subscription.pattern } as const]
      : []),
    ...schedules.map((s): Trigger => ({ kind: 'schedule', name: s.name, cron: s.cron })),
  ];
  return {
    ...functionSettings,
    ...rest,
    capability,
    triggers,
    ...(tables ? { tables: Object.fromEntries(grants.map(([name, d]) => [name, accessOf(d)])) } : {}),
    ...(Object.keys(keyPrefixes).length > 0 ? { keyPrefixes } : {}),
    ...(emits ? { putsEvents: true, emits: emits.map((c) => ({ source: c.source, detailType: c.detailType })) } : {}),
  };
}
