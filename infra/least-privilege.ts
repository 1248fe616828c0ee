/**
 * The least-privilege rules both the CDK roles (infra/cdk/capability.ts) and the local
 * runtime (infra/local/least-privilege.ts) apply: docs/security.md "Least privilege".
 */
import { councilId } from '#shared/config';
import type { KeyPrefix } from '#shared/keys';
import type { FunctionSpec } from './topology.ts';

/** What a function anyone can call (a public route, DISC, Open311) may never do to a table. */
export const deniedToPublicFunctions = ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;

/** Answers requests that need no staff token: the public, DISC's webhook, Open311 clients. */
export const isPublicFunction = (spec: FunctionSpec): boolean => spec.triggers.some((t) => t.kind === 'http' && t.auth === 'public');

/**
 * The partition keys a key family covers, as `dynamodb:LeadingKeys` patterns: the family's own
 * key (`default#CASE-REVIEWS`) and everything under it (`default#CASE#…`), never a longer
 * family that shares its start (`CASE` does not reach `CASE-REVIEW#…` or `CASES#…`).
 */
export const leadingKeyPatterns = (prefixes: readonly KeyPrefix[]): string[] =>
  [...new Set(prefixes)].sort().flatMap((prefix) => [`${councilId}#${prefix}`, `${councilId}#${prefix}#*`]);
