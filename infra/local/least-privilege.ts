import type { MiddlewareStack } from '@smithy/types';
import { dynamodb, eventBridge } from '#shared/clients';
import { keyPrefixOf } from '#shared/keys';
import type { FunctionSpec } from '../topology.ts';
import { deniedToPublicFunctions, isPublicFunction } from '../least-privilege.ts';
import { currentFunctionName } from './function-env.ts';

/**
 * The least-privilege rules of the AWS roles (docs/security.md "Least privilege"), enforced on
 * the local stand-ins, so a function whose declaration lacks a key family or an emitted event
 * fails here as it would on AWS. Checked in the SDK clients every function shares, against the
 * function running (function-env.ts); code outside any function (tests, the demo) is not held.
 */
export class AccessDeniedError extends Error {
  override readonly name = 'AccessDeniedException';
}

type Item = Record<string, unknown> | undefined;
type Input = Record<string, any>;

/** A key attribute's value, plain (document client) or marshalled ({ S: … }). */
const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : value && typeof value === 'object' && typeof (value as { S?: unknown }).S === 'string' ? (value as { S: string }).S : undefined;

/** The partition key values a Query names: `pk = :v` or `gsi1pk = :v`, names resolved. */
function queryLeadingKeys(input: Input): string[] {
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  const values: Record<string, unknown> = input.ExpressionAttributeValues ?? {};
  const out: string[] = [];
  for (const [, name, placeholder] of String(input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const attribute = names[name as string] ?? name;
    if (attribute === 'pk' || attribute === 'gsi1pk') out.push(String(stringOf(values[placeholder as string])));
  }
  return out;
}

/** The leading keys of a request on the table, as IAM sees them (none for a Scan). */
export function leadingKeysOf(command: string, input: Input, table: string): string[] | undefined {
  const pk = (item: Item) => String(stringOf(item?.pk));
  switch (command) {
    case 'GetItemCommand':
    case 'DeleteItemCommand':
    case 'UpdateItemCommand':
      return input.TableName === table ? [pk(input.Key)] : undefined;
    case 'PutItemCommand':
      return input.TableName === table ? [pk(input.Item)] : undefined;
    case 'QueryCommand':
      return input.TableName === table ? queryLeadingKeys(input) : undefined;
    case 'ScanCommand':
      return input.TableName === table ? [] : undefined;
    case 'BatchGetItemCommand':
      return input.RequestItems?.[table] ? (input.RequestItems[table].Keys as Item[]).map(pk) : undefined;
    case 'BatchWriteItemCommand':
      return input.RequestItems?.[table]
        ? (input.RequestItems[table] as Input[]).map((r) => pk(r.PutRequest?.Item ?? r.DeleteRequest?.Key))
        : undefined;
    case 'TransactWriteItemsCommand':
    case 'TransactGetItemsCommand': {
      const parts = (input.TransactItems as Input[]).map((t) => t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck ?? t.Get);
      const mine = parts.filter((p) => p?.TableName === table);
      return mine.length > 0 ? mine.map((p) => pk(p.Item ?? p.Key)) : undefined;
    }
    default:
      return undefined;
  }
}

const publicDenied: Record<string, string> = {
  ScanCommand: 'dynamodb:Scan',
  DeleteItemCommand: 'dynamodb:DeleteItem',
  BatchWriteItemCommand: 'dynamodb:BatchWriteItem',
};

/** Why the running function may not make this request, or undefined when it may. */
export function tableRefusal(spec: FunctionSpec, command: string, input: Input, table: string): string | undefined {
  const leading = leadingKeysOf(command, input, table);
  if (leading === undefined) return undefined;
  const action = publicDenied[command];
  if (action && isPublicFunction(spec) && (deniedToPublicFunctions as readonly string[]).includes(action)) {
    return `${spec.name} is a public function and may not ${action} the main table`;
  }
  const declared = spec.keyPrefixes?.main;
  if (!declared) return undefined;
  if (leading.length === 0) return `${spec.name} may not ${command.replace(/Command$/, '')} the main table: the request has no leading key`;
  for (const key of leading) {
    const prefix = keyPrefixOf(key);
    if (!prefix || !declared.includes(prefix)) {
      return `${spec.name} may not touch ${key}: its key family (${prefix ?? 'none'}) is not among those declared in its capability.ts (${declared.join(', ')})`;
    }
  }
  return undefined;
}

/** Why the running function may not put these entries, or undefined when it may. */
export function eventRefusal(spec: FunctionSpec, entries: readonly { Source?: string; DetailType?: string }[]): string | undefined {
  if (!spec.emits) return undefined;
  for (const entry of entries) {
    if (!spec.emits.some((e) => e.source === entry.Source && e.detailType === entry.DetailType)) {
      return `${spec.name} may not put ${entry.Source} ${entry.DetailType}: it is not among the events its capability.ts emits`;
    }
  }
  return undefined;
}

const specs = new Map<string, FunctionSpec>();
let mainTable = '';
let installed = false;

function guard(stack: MiddlewareStack<any, any>, refusal: (spec: FunctionSpec, command: string, input: Input) => string | undefined): void {
  stack.add(
    (next, context) => async (args) => {
      const name = currentFunctionName();
      const spec = name === undefined ? undefined : specs.get(name);
      const why = spec && refusal(spec, String(context.commandName), args.input as Input);
      if (why) throw new AccessDeniedError(why);
      return next(args);
    },
    { step: 'initialize', name: 'localLeastPrivilege', priority: 'high' },
  );
}

/** Holds the functions to their declared key families and events from now on (idempotent). */
export function enforceLeastPrivilege(functions: readonly FunctionSpec[], table: string): void {
  for (const spec of functions) specs.set(spec.name, spec);
  mainTable = table;
  if (installed) return;
  installed = true;
  guard(dynamodb.middlewareStack, (spec, command, input) => tableRefusal(spec, command, input, mainTable));
  guard(eventBridge.middlewareStack, (spec, command, input) => (command === 'PutEventsCommand' ? eventRefusal(spec, input.Entries ?? []) : undefined));
}
