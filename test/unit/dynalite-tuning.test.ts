import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memoisedParse, plainParsers } from '../../infra/local/dynalite-tuning.ts';

/**
 * The memoised parse must give what dynalite's own parse gives, request by request: the same
 * tree (prototypes included, with this request's values in it), the same error, the same names
 * and values left in the "unused" sets. Each case is parsed three times in a row by one memo (a
 * miss, then hits), each time with other values of the same types, and once more with a value of
 * another type, and compared with a plain parse of the same request.
 */
type Values = Record<string, Record<string, unknown>>;
interface Case {
  parser: keyof typeof plainParsers;
  expression: string;
  names?: Record<string, string>;
  values?: (n: number) => Values;
}

const isReserved = (name: string) => ['NAME', 'STATUS', 'DATA', 'SIZE'].includes(name.toUpperCase());
const compare = (comp: string, x: Record<string, string>, y: Record<string, string>) => comp === 'GT' && Object.values(x)[0]! > Object.values(y)[0]!;

/** A request's parse context as validations/index.js builds it. */
function contextOf(c: Case, values: Values | undefined) {
  return {
    attrNames: c.names,
    attrVals: values,
    unusedAttrNames: Object.fromEntries(Object.keys(c.names ?? {}).map((k) => [k, true])),
    unusedAttrVals: Object.fromEntries(Object.keys(values ?? {}).map((k) => [k, true])),
    isReserved,
    compare,
  };
}

/** What a parse gives: its result, or the message it threw, and the unused sets after it. */
function outcome(parse: (input: string, options: object) => unknown, c: Case, values: Values | undefined) {
  const context = contextOf(c, values);
  let result: unknown;
  try {
    result = parse(c.expression, { context });
  } catch (error) {
    result = `threw ${(error as Error).name}: ${(error as Error).message}`;
  }
  return { result, unusedNames: context.unusedAttrNames, unusedValues: context.unusedAttrVals };
}

const cases: Case[] = [
  // The event claim (event-claim.ts).
  {
    parser: 'update',
    expression: 'SET #digest = if_not_exists(#digest, :digest), #time = if_not_exists(#time, :time), #expiration = if_not_exists(#expiration, :expiration)',
    names: { '#digest': 'digest', '#time': 'time', '#expiration': 'expiration' },
    values: (n) => ({ ':digest': { S: `d${n}` }, ':time': { S: `2024-05-14T08:3${n}:00Z` }, ':expiration': { N: String(1700000000 + n) } }),
  },
  { parser: 'condition', expression: 'attribute_not_exists(#digest) OR #digest = :digest', names: { '#digest': 'digest' }, values: (n) => ({ ':digest': { S: `d${n}` } }) },
  // A spam-limit counter, nested paths and maps, lists, arithmetic, REMOVE and DELETE.
  { parser: 'update', expression: 'ADD #count :one SET expiresAt = :expires', names: { '#count': 'count' }, values: (n) => ({ ':one': { N: '1' }, ':expires': { N: String(n) } }) },
  { parser: 'update', expression: 'SET #map.#key = :value, #n = #n + :one ADD #bytes :bytes REMOVE gsi1pk, gsi1sk', names: { '#map': 'm', '#key': 'k1', '#n': 'n', '#bytes': 'bytes' }, values: (n) => ({ ':value': { M: { a: { S: `x${n}` }, b: { L: [{ N: String(n) }] } } }, ':one': { N: '1' }, ':bytes': { N: String(n * 10) } }) },
  { parser: 'update', expression: 'SET a[2].b = list_append(a[2].b, :more) DELETE tags :gone', values: (n) => ({ ':more': { L: [{ S: `m${n}` }] }, ':gone': { SS: [`t${n}`] } }) },
  // Conditions: the counters', nested AND/OR/NOT, size, contains, IN, a value used twice.
  { parser: 'condition', expression: 'NOT contains(#ids, :id) AND (attribute_not_exists(#ids) OR size(#ids) < :max) AND (attribute_not_exists(#sealed) OR #sealed = :zero)', names: { '#ids': 'ids', '#sealed': 'sealed' }, values: (n) => ({ ':id': { S: `e${n}` }, ':max': { N: '900' }, ':zero': { N: '0' } }) },
  { parser: 'condition', expression: 'attribute_not_exists(pk) OR recordedAt < :at OR (recordedAt = :at AND eventId <= :id)', values: (n) => ({ ':at': { S: `2024-0${n + 1}-01` }, ':id': { S: `e${n}` } }) },
  { parser: 'condition', expression: 'kind IN (:a, :b) AND begins_with(sk, :prefix)', values: (n) => ({ ':a': { S: `a${n}` }, ':b': { S: 'b' }, ':prefix': { S: `P${n}` } }) },
  // Key conditions; BETWEEN is never cached (it compares its bounds), checked all the same.
  { parser: 'condition', expression: 'pk = :pk AND sk <= :sk', values: (n) => ({ ':pk': { S: `P${n}` }, ':sk': { S: `S${n}` } }) },
  { parser: 'condition', expression: 'pk = :pk AND sk BETWEEN :from AND :to', values: (n) => ({ ':pk': { S: 'P' }, ':from': { S: n === 1 ? 'z' : 'a' }, ':to': { S: 'm' } }) },
  { parser: 'condition', expression: 'attribute_type(a, :t)', values: (n) => ({ ':t': { S: n === 1 ? 'XX' : 'S' } }) },
  // Projections (names only).
  { parser: 'projection', expression: 'pk, sk, #s, a.b[1]', names: { '#s': 'status' } },
  // Invalid: an unused value, an undefined name, a reserved word, ADD of a string, a syntax error, an unknown function.
  { parser: 'update', expression: 'SET a = :a', values: (n) => ({ ':a': { S: `a${n}` }, ':unused': { S: 'u' } }) },
  { parser: 'condition', expression: '#missing = :a', names: { '#other': 'o' }, values: (n) => ({ ':a': { N: String(n) } }) },
  { parser: 'update', expression: 'SET status = :a', values: (n) => ({ ':a': { S: `a${n}` } }) },
  { parser: 'update', expression: 'ADD a :s', values: (n) => ({ ':s': { S: `s${n}` } }) },
  { parser: 'condition', expression: 'a = = :a', values: (n) => ({ ':a': { S: `a${n}` } }) },
  { parser: 'condition', expression: 'nonsense(a)', values: () => ({}) },
  { parser: 'update', expression: 'SET a = :a', values: () => ({}) },
];

describe('unit: dynalite-tuning memoises expression parses without changing them', () => {
  for (const c of cases) {
    it(`${c.parser}: ${c.expression}`, () => {
      const memo = memoisedParse(plainParsers[c.parser]);
      const trees: unknown[] = [];
      // Three requests with values of the same types (a miss, then hits), then one whose values change type.
      const requests = [0, 1, 2].map((n) => c.values?.(n));
      const retyped = c.values?.(3);
      if (retyped) for (const key of Object.keys(retyped)) if (retyped[key]?.S !== undefined) retyped[key] = { N: '7' };
      for (const values of [...requests, retyped]) {
        const plain = outcome(plainParsers[c.parser], c, values);
        const memoised = outcome(memo, c, values);
        expect(isDeepStrictEqual(memoised, plain), JSON.stringify({ memoised, plain })).toBe(true);
        trees.push(memoised.result);
        // The request's values are in its tree as the very objects it sent, as in a plain parse.
        if (values && typeof memoised.result === 'object') {
          const found = JSON.stringify(memoised.result);
          for (const [name, value] of Object.entries(values)) if (!(name in memoised.unusedValues)) expect(found).toContain(JSON.stringify(value));
        }
      }
      // No request's tree is another's: changing one leaves the next parse as it was.
      if (typeof trees[1] === 'object' && trees[1] !== null) {
        expect(trees[2]).not.toBe(trees[1]);
        (trees[1] as Record<string, unknown>).changed = true;
        const again = outcome(memo, c, requests[1]);
        expect(isDeepStrictEqual(again, outcome(plainParsers[c.parser], c, requests[1]))).toBe(true);
      }
    });
  }

  it('parses each valid expression once for requests that differ only in values, and never BETWEEN, attribute_type or an invalid one', () => {
    const statsOf = (c: Case) => {
      const memo = memoisedParse(plainParsers[c.parser]);
      for (const n of [0, 1, 2, 3]) outcome(memo, c, c.values?.(n));
      return memo.stats;
    };
    expect(statsOf(cases[0]!)).toEqual({ hits: 3, misses: 1, uncached: 0 });
    expect(statsOf(cases.find((c) => c.expression.includes('BETWEEN'))!)).toEqual({ hits: 0, misses: 0, uncached: 4 });
    expect(statsOf(cases.find((c) => c.expression.includes('attribute_type'))!)).toEqual({ hits: 0, misses: 0, uncached: 4 });
    expect(statsOf(cases.find((c) => c.expression === 'a = = :a')!)).toEqual({ hits: 0, misses: 4, uncached: 0 });
  });

  it('parses again when a name means another attribute', () => {
    const memo = memoisedParse(plainParsers.condition);
    const c = (target: string): Case => ({ parser: 'condition', expression: '#a = :v', names: { '#a': target }, values: () => ({ ':v': { S: 'x' } }) });
    const first = outcome(memo, c('one'), { ':v': { S: 'x' } });
    const second = outcome(memo, c('two'), { ':v': { S: 'x' } });
    expect(JSON.stringify(first.result)).toContain('"one"');
    expect(JSON.stringify(second.result)).toContain('"two"');
    expect(memo.stats).toEqual({ hits: 0, misses: 2, uncached: 0 });
  });
});
