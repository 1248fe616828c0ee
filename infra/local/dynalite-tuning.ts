/**
 * dynalite parses every UpdateExpression, ConditionExpression, KeyConditionExpression,
 * FilterExpression and ProjectionExpression with a PEG parser on every request: 8 % of the
 * local pipeline's CPU (docs/benchmarks.md, "The pipeline after the claim"), for expressions
 * that are the same few strings every time. This module memoises those parses. Imported once,
 * for its effect, by stores.ts (where dynalite is created); local only: nothing on AWS uses it.
 *
 * A parse is not a function of the expression string alone: dynalite resolves the request's
 * ExpressionAttributeNames and ExpressionAttributeValues while it parses, puts the values
 * themselves in the tree it returns, checks operand types against them, and notes which names
 * and values the expression used (a request with an unused one is refused). So:
 * - the cache key is the parser, the expression, the request's names (all of them, as given)
 *   and the type of each of its values (S, N, M, …): everything the parse reads, except the
 *   contents of the values;
 * - the cached tree is a template: each value the parse put in it is replaced by a slot naming
 *   it, and every request gets a fresh copy with its own values in the slots (nothing of one
 *   request's tree is shared with another's, so dynalite may change the tree it gets);
 * - the names and values an expression used are recorded on its first parse and removed from
 *   the request's "unused" sets on every later one, as the parser would;
 * - expressions whose parse reads the contents of a value are never cached: BETWEEN (compares
 *   its bounds) and attribute_type (checks the type named). Nor is a parse that failed: an
 *   invalid request is parsed (and refused) as before.
 *
 * `test/unit/dynalite-tuning.test.ts` compares memoised and plain parses (trees, errors, the
 * unused sets) over the expressions the functions send and over invalid ones.
 */
import { createRequire } from 'node:module';

type Context = {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, Record<string, unknown>>;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
  [other: string]: unknown;
};
type Parse = (input: string, options?: { context?: Context }) => unknown;
interface ParserModule {
  parse: Parse;
}

/** Where a value of the request goes in a cached tree. */
class ValueSlot {
  constructor(readonly name: string) {}
}

interface Template {
  tree: unknown;
  usedNames: readonly string[];
  usedValues: readonly string[];
}

/** The value's type as the parsers see it (their getImmediateType). */
const TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'] as const;
const typeOf = (value: Record<string, unknown> | undefined) => (value && typeof value === 'object' ? (TYPES.find((t) => value[t] != null) ?? '?') : typeof value);

/** Parses that read a value's contents, not just its type. */
const READS_VALUES = /between|attribute_type/i;

/** Entries kept per parser before the cache starts again (an expression built per request would otherwise grow it). */
export const MAX_ENTRIES = 2000;

/**
 * A copy of `node` with its own objects and arrays (aliasing within it and prototypes kept), each
 * object that `swap` answers for replaced by its answer.
 */
function copyTree(node: unknown, swap: (node: object) => unknown, seen = new Map<object, unknown>()): unknown {
  if (node === null || typeof node !== 'object') return node;
  const swapped = swap(node);
  if (swapped !== undefined) return swapped;
  const done = seen.get(node);
  if (done !== undefined) return done;
  if (Array.isArray(node)) {
    const copy: unknown[] = [];
    seen.set(node, copy);
    for (const item of node) copy.push(copyTree(item, swap, seen));
    return copy;
  }
  const copy = Object.create(Object.getPrototypeOf(node)) as Record<string, unknown>;
  seen.set(node, copy);
  for (const key of Object.keys(node)) copy[key] = copyTree((node as Record<string, unknown>)[key], swap, seen);
  return copy;
}

export interface MemoStats {
  hits: number;
  misses: number;
  uncached: number;
}

/** A parse function that memoises `parse` as described above. */
export function memoisedParse(parse: Parse): Parse & { stats: MemoStats } {
  const templates = new Map<string, Template>();
  const stats: MemoStats = { hits: 0, misses: 0, uncached: 0 };
  const memo = (input: string, options?: { context?: Context }) => {
    const context = options?.context;
    if (!context || typeof input !== 'string' || READS_VALUES.test(input)) {
      stats.uncached += 1;
      return parse(input, options);
    }
    const names = context.attrNames ?? {};
    const values = context.attrVals ?? {};
    let key = input;
    for (const name of Object.keys(names)) key += `\u0000${name}=${names[name]}`;
    key += '\u0001';
    for (const name of Object.keys(values)) key += `\u0000${name}:${typeOf(values[name])}`;
    const template = templates.get(key);
    if (template) {
      stats.hits += 1;
      for (const name of template.usedNames) if (context.unusedAttrNames) delete context.unusedAttrNames[name];
      for (const name of template.usedValues) if (context.unusedAttrVals) delete context.unusedAttrVals[name];
      return copyTree(template.tree, (node) => (node instanceof ValueSlot ? values[node.name] : undefined));
    }
    stats.misses += 1;
    // Parsed with "unused" sets of its own holding every name and value, so what it used is
    // what it removed; the request's own sets then lose the same.
    const unusedNames: Record<string, boolean> = Object.fromEntries(Object.keys(names).map((n) => [n, true]));
    const unusedValues: Record<string, boolean> = Object.fromEntries(Object.keys(values).map((n) => [n, true]));
    const usedOf = (all: object, unused: object) => Object.keys(all).filter((n) => !(n in unused));
    let result: unknown;
    try {
      result = parse(input, { ...options, context: { ...context, unusedAttrNames: unusedNames, unusedAttrVals: unusedValues } });
    } finally {
      for (const name of usedOf(names, unusedNames)) if (context.unusedAttrNames) delete context.unusedAttrNames[name];
      for (const name of usedOf(values, unusedValues)) if (context.unusedAttrVals) delete context.unusedAttrVals[name];
    }
    // A string is dynalite's way of saying the expression is invalid: parsed again next time.
    if (result === null || typeof result !== 'object') return result;
    const usedValues = usedOf(values, unusedValues);
    const slots = new Map<object, ValueSlot>(usedValues.map((name) => [values[name] as object, new ValueSlot(name)]));
    if (templates.size >= MAX_ENTRIES) templates.clear();
    templates.set(key, { tree: copyTree(result, (node) => slots.get(node)), usedNames: usedOf(names, unusedNames), usedValues });
    return result;
  };
  return Object.assign(memo, { stats });
}

const require = createRequire(import.meta.url);
/** dynalite's own parser modules: validations/index.js calls `parser.parse` on these very objects. */
export const dynaliteParsers = {
  update: require('dynalite/db/updateParser.js') as ParserModule,
  condition: require('dynalite/db/conditionParser.js') as ParserModule,
  projection: require('dynalite/db/projectionParser.js') as ParserModule,
};

/** The parsers as dynalite shipped them, for comparison (tests, benches). */
export const plainParsers = {
  update: dynaliteParsers.update.parse,
  condition: dynaliteParsers.condition.parse,
  projection: dynaliteParsers.projection.parse,
};

/** Memoises dynalite's parses in this process, once. Returns the memoised functions (their stats). */
export function tuneDynalite() {
  for (const module of Object.values(dynaliteParsers)) {
    if (!('stats' in module.parse)) module.parse = memoisedParse(module.parse);
  }
  return dynaliteParsers;
}

tuneDynalite();
