/**
 * How a function declares its wiring, once, beside its handler: its routes (with roles), the
 * contracts it consumes, its schedules and the resources it may touch. The handler passes its
 * declaration to its middy stack (http.ts, consumer.ts, job.ts), and infra/ assembles the
 * topology from the same declarations, so a route or a subscription exists in one place only.
 *
 * Nothing here imports infra/: dependencies point infra → functions → events.
 */
import type { EventContract, EventPattern } from '#events/contract';
import type { KeyPrefix } from './keys.ts';

export const roles = ['public', 'officer', 'tenancy', 'finance', 'partner', 'admin'] as const;
export type Role = (typeof roles)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';

/** Who may call a route: anyone, or a verified caller holding one of the roles. */
export type RouteAuth = 'public' | readonly Role[];

export interface RouteDeclaration {
  readonly method: HttpMethod;
  readonly path: string;
  readonly auth: RouteAuth;
  /** A page for people: errors answer as HTML pages, never raw JSON. */
  readonly page?: boolean;
}

/** API Gateway's catch-all route: whatever no other route matches (`ANY $default`). */
export const DEFAULT_ROUTE = '$default';

/** `GET /cases/{caseId}`: API Gateway's route key (the catch-all's is just `$default`). */
export type RouteKey<R extends RouteDeclaration = RouteDeclaration> = R extends RouteDeclaration
  ? R['path'] extends typeof DEFAULT_ROUTE
    ? typeof DEFAULT_ROUTE
    : `${R['method']} ${R['path']}`
  : never;
export const routeKeyOf = (route: RouteDeclaration): string => (route.path === DEFAULT_ROUTE ? DEFAULT_ROUTE : `${route.method} ${route.path}`);

/** The logical resources a function may be granted (built in infra/resources.ts). */
export type TableName = 'main' | 'idempotency';
export type BucketName = 'archive' | 'intake' | 'exports';
export type SecretName = 'disc' | 'notify';
export type Access = 'read' | 'write' | 'readwrite';

/**
 * A table grant with the key families (functions/shared/keys.ts) the function touches: on AWS
 * its role reaches only partitions (and gsi1 partitions) starting with them. A bare Access
 * grants the whole table, as before, and the synth warns.
 */
export interface TableGrant {
  readonly access: Access;
  readonly prefixes: readonly KeyPrefix[];
}
export type TableDeclaration = Access | TableGrant;

/** The access of a table declaration, either shape. */
export const accessOf = (declaration: TableDeclaration): Access => (typeof declaration === 'string' ? declaration : declaration.access);
/** The key families of a table declaration, or undefined when it names none (the whole table). */
export const prefixesOf = (declaration: TableDeclaration): readonly KeyPrefix[] | undefined =>
  typeof declaration === 'string' ? undefined : declaration.prefixes;

export type Subscription =
  /** The contracts a consumer parses; its rule's pattern is made from them. */
  | { readonly rule: string; readonly contracts: readonly EventContract[] }
  /** A raw pattern, for a consumer that takes events whole (the archive). */
  | { readonly rule: string; readonly pattern: EventPattern };

export interface ScheduleDeclaration {
  readonly name: string;
  /** EventBridge Scheduler cron expression, evaluated in Europe/London. */
  readonly cron: string;
}

export interface FunctionDeclaration {
  /** Logical name: CDK construct id and local function name. */
  readonly name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly routes?: readonly RouteDeclaration[];
  readonly subscription?: Subscription;
  readonly schedules?: readonly ScheduleDeclaration[];
  readonly tables?: Partial<Record<TableName, TableDeclaration>>;
  readonly buckets?: Partial<Record<BucketName, Access>>;
  /** Secrets it reads (Secrets Manager on AWS, through the Parameters and Secrets extension). */
  readonly secrets?: readonly SecretName[];
  /** The contracts it puts on the bus: on AWS its role may put only these sources and detail-types. */
  readonly emits?: readonly EventContract[];
  /** May put events on the bus, any of them (the synth warns): declare `emits` instead. */
  readonly putsEvents?: boolean;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}

/** Keeps the literal types of routes and contracts, so handlers are checked against them. */
export const declareFunction = <const D extends FunctionDeclaration>(declaration: D): D => declaration;

export interface Capability {
  /** The folder under functions/ (or web/) that holds it. */
  readonly name: string;
  readonly functions: readonly FunctionDeclaration[];
}

export const declareCapability = (name: string, functions: readonly FunctionDeclaration[]): Capability => ({ name, functions });

/** The route keys a declaration serves, as a union type: a handler must answer exactly these. */
export type RouteKeysOf<D extends FunctionDeclaration> = D['routes'] extends readonly (infer R extends RouteDeclaration)[] ? RouteKey<R> : never;

/** The contracts a declaration consumes, as a union type. */
export type ContractsOf<D extends FunctionDeclaration> = D['subscription'] extends { contracts: readonly (infer C extends EventContract)[] } ? C : never;
