/**
 * The event-pattern language of the local EventBridge stand-in.
 *
 * It mirrors aws/event-ruler, the engine behind EventBridge, rather than a plain recursive walk of
 * the pattern, because several of the service's observable behaviours only fall out of the way
 * Ruler works:
 *
 * - A pattern is compiled into alternatives (one per combination of `$or` branches), each a map
 *   from a dot-joined field path to the values allowed there. So `{"a.b": [1]}` and
 *   `{"a": {"b": [1]}}` mean the same thing, and a path written twice keeps the last write.
 * - An event is flattened into leaves (scalars) keyed by the same dot-joined paths. Objects and
 *   empty arrays are never leaves, which is why `exists` only sees leaf fields.
 * - Matching is array-consistent: two fields only match together if they do not come from
 *   different elements of the same array in the event.
 *
 * Validation messages are Ruler's, as EventBridge reports them after
 * "Event pattern is not valid. Reason: ".
 */

export class InvalidEventPatternError extends Error {
  override name = 'InvalidEventPatternException';
  readonly reason: string;

  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.reason = reason;
  }
}

/** The rejection TestEventPattern gives for an event it cannot test against. */
export class InvalidEventError extends Error {
  override name = 'ValidationException';

  constructor() {
    super('Parameter Event is not valid.');
  }
}

/** A limit rather than a malformed pattern, so the legacy-compiler retry must not swallow it. */
class PatternTooComplexError extends InvalidEventPatternError {}

type JsonPrimitive = string | number | boolean | null;
type JsonRecord = Record<string, unknown>;
type ValueTest = (value: JsonPrimitive) => boolean;

interface FieldCondition {
  readonly path: string;
  /** Whether one leaf satisfies any of the field's value alternatives. */
  readonly test: ValueTest;
  /** The field's alternatives include `{"exists": false}`. */
  readonly allowsAbsence: boolean;
}

type Alternative = ReadonlyMap<string, FieldCondition>;

export interface CompiledPattern {
  matches(event: unknown): boolean;
  /** The same answer for an event flattened once (flattenEvent) to test against many patterns. */
  matchesFlattened(event: FlattenedEvent): boolean;
}

/** An event's leaves by path, as every pattern reads them. */
export interface FlattenedEvent {
  readonly leaves: LeafIndex;
}

// The fields TestEventPattern insists on. The API reference also lists `resources`, but the
// service accepts events without it.
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

// Bounds `$or` expansion, which multiplies. EventBridge also refuses patterns over 1000 rule
// combinations (per other emulators; not confirmed against the service).
const MAX_ALTERNATIVES = 1000;

// Names Ruler refuses as field names inside a `$or` branch, so that adding an operator later
// cannot change what an existing pattern means.
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard',
  'numeric', 'cidr', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case',
  'date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range',
  'ip-address-in-range', 'ip-address-not-in-range',
]);

const ANY_LEAF: ValueTest = () => true;

function fail(reason: string): never {
  throw new InvalidEventPatternError(reason);
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is JsonPrimitive {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function joinPath(parent: string | undefined, key: string): string {
  return parent === undefined ? key : `${parent}.${key}`;
}

/** The name of a single-key operand object, with Ruler's complaints for zero or several keys. */
function soleKey(operand: JsonRecord, whenEmpty: string): string {
  const keys = Object.keys(operand);
  const [key] = keys;
  if (key === undefined) fail(whenEmpty);
  if (keys.length > 1) fail('Only one key allowed in match expression');
  return key;
}

/** How Ruler's streaming parser names an offending token: its text, or just its opening bracket. */
function tokenText(value: unknown): string {
  if (Array.isArray(value)) return '[';
  if (isRecord(value)) return '{';
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// String operators
// ---------------------------------------------------------------------------------------------

// Upper then lower so that characters whose case forms differ in length (ß, ſ) still fold together.
function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

function hasAffix(kind: 'prefix' | 'suffix', value: string, affix: string): boolean {
  return kind === 'prefix' ? value.startsWith(affix) : value.endsWith(affix);
}

function compileAffix(kind: 'prefix' | 'suffix', operand: unknown): ValueTest {
  if (isRecord(operand)) {
    const capitalised = kind === 'prefix' ? 'Prefix' : 'Suffix';
    const inner = soleKey(operand, `${capitalised} expression name not found`);
    if (inner !== 'equals-ignore-case') fail(`Unsupported ${kind} pattern: ${inner}`);
    const text = operand[inner];
    if (typeof text !== 'string') fail('equals-ignore-case match pattern must be a string');
    const folded = foldCase(text);
    return (value) => typeof value === 'string' && hasAffix(kind, foldCase(value), folded);
  }
  if (typeof operand !== 'string') fail(`${kind} match pattern must be a string`);
  // An empty affix is legal and matches any string (but no number, boolean or null).
  return (value) => typeof value === 'string' && hasAffix(kind, value, operand);
}

function compileEqualsIgnoreCase(operand: unknown): ValueTest {
  if (typeof operand !== 'string') fail('equals-ignore-case match pattern must be a string');
  const folded = foldCase(operand);
  return (value) => typeof value === 'string' && foldCase(value) === folded;
}

function compileExactly(operand: unknown): ValueTest {
  if (typeof operand !== 'string') fail('exact match pattern must be a string');
  return (value) => value === operand;
}

// ---------------------------------------------------------------------------------------------
// Wildcards
// ---------------------------------------------------------------------------------------------

/** Ruler reports wildcard faults as a UTF-8 byte offset into the operand wrapped in quotes. */
function wildcardPosition(text: string, index: number): number {
  return new TextEncoder().encode(text.slice(0, index)).length + 1;
}

/** The literal runs between unescaped `*`s, so a pattern with n wildcards has n + 1 segments. */
function parseWildcard(text: string): string[] {
  const segments: string[] = [];
  let literal = '';
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    const next = text.charAt(index + 1);
    if (char === '\\') {
      // A trailing backslash would escape the closing quote Ruler adds, so it is invalid too.
      if (next !== '*' && next !== '\\') fail(`Invalid escape character at pos ${wildcardPosition(text, index)}`);
      literal += next;
      index++;
    } else if (char === '*') {
      if (next === '*') fail(`Consecutive wildcard characters at pos ${wildcardPosition(text, index)}`);
      segments.push(literal);
      literal = '';
    } else {
      literal += char;
    }
  }
  segments.push(literal);
  return segments;
}

function wildcardMatches(segments: readonly string[], value: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  if (!value.startsWith(first)) return false;
  // Taking each middle segment at its earliest position leaves the most room for the rest.
  let cursor = first.length;
  for (const segment of segments.slice(1, -1)) {
    const found = value.indexOf(segment, cursor);
    if (found < 0) return false;
    cursor = found + segment.length;
  }
  return value.length - last.length >= cursor && value.endsWith(last);
}

function compileWildcard(operand: unknown): ValueTest {
  if (typeof operand !== 'string') fail('wildcard match pattern must be a string');
  const segments = parseWildcard(operand);
  return (value) => typeof value === 'string' && wildcardMatches(segments, value);
}

// ---------------------------------------------------------------------------------------------
// IP addresses
// ---------------------------------------------------------------------------------------------

interface IpAddress {
  readonly width: 32 | 128;
  readonly value: bigint;
}

// Ruler only treats text of these shapes as an address; anything else is "nonstandard".
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV4_MAPPED_PREFIX = 0xffffn << 32n;

function parseIpv4(text: string): IpAddress | undefined {
  let value = 0n;
  for (const octet of text.split('.')) {
    // Java reads each octet as decimal, leading zeros and all.
    const number = Number(octet);
    if (number > 255) return undefined;
    value = (value << 8n) | BigInt(number);
  }
  return { width: 32, value };
}

function parseIpv6Groups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  if (groups.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => parseInt(group, 16));
}

function parseIpv6(text: string): IpAddress | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseIpv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const explicit = head.length + tail.length;
  if (halves.length === 2 ? explicit > 7 : explicit !== 8) return undefined;
  const groups = [...head, ...Array<number>(8 - explicit).fill(0), ...tail];
  const value = groups.reduce((sum, group) => (sum << 16n) | BigInt(group), 0n);
  // Java hands back an IPv4 address for an IPv4-mapped IPv6 literal, and Ruler goes along with it.
  if (value >> 32n === 0xffffn) return { width: 32, value: value - IPV4_MAPPED_PREFIX };
  return { width: 128, value };
}

function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

function parseIp(text: string): IpAddress | undefined {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
}

function sameIp(left: IpAddress, right: IpAddress): boolean {
  return left.width === right.width && left.value === right.value;
}

interface IpRange {
  readonly width: 32 | 128;
  readonly low: bigint;
  readonly high: bigint;
}

function parseMaskBits(text: string): number {
  const bits = /^[+-]?[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  // Java's Integer.parseInt refuses anything outside 32 bits as "not an integer".
  if (!Number.isInteger(bits) || bits < -(2 ** 31) || bits >= 2 ** 31) {
    fail('Malformed CIDR, mask bits must be an integer');
  }
  if (bits < 0) fail('Malformed CIDR, mask bits must not be negative');
  return bits;
}

function parseCidr(text: string): IpRange {
  const parts = text.split('/');
  // Java's split drops trailing empty strings, so "10.0.0.0/" has no mask field at all.
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const [address, mask] = parts;
  if (parts.length !== 2 || address === undefined || mask === undefined) fail("Malformed CIDR, one '/' required");
  const bits = parseMaskBits(mask);
  if (!looksLikeIp(address)) fail(`Nonstandard IP address: ${address}`);
  const ip = parseIp(address) ?? fail(`Invalid IP address: ${address}`);
  if (ip.width === 32 && bits > 31) fail('IPv4 mask bits must be < 32');
  if (ip.width === 128 && bits > 127) fail('IPv6 mask bits must be < 128');
  // Host bits in the operand are ignored: 10.0.0.7/24 covers 10.0.0.0 to 10.0.0.255.
  const hostMask = (1n << BigInt(ip.width - bits)) - 1n;
  const low = ip.value & ~hostMask;
  return { width: ip.width, low, high: low | hostMask };
}

function compileCidr(operand: unknown): ValueTest {
  // The operator named in this message is AWS's own copy-and-paste slip, kept verbatim.
  if (typeof operand !== 'string') fail('prefix match pattern must be a string');
  const range = parseCidr(operand);
  return (value) => {
    if (typeof value !== 'string') return false;
    const ip = parseIp(value);
    return ip !== undefined && ip.width === range.width && ip.value >= range.low && ip.value <= range.high;
  };
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

const COMPARISONS = {
  '=': (value: number, bound: number) => value === bound,
  '<': (value: number, bound: number) => value < bound,
  '<=': (value: number, bound: number) => value <= bound,
  '>': (value: number, bound: number) => value > bound,
  '>=': (value: number, bound: number) => value >= bound,
} as const;

type Comparison = keyof typeof COMPARISONS;

function isComparison(token: string): token is Comparison {
  return Object.hasOwn(COMPARISONS, token);
}

function numericBound(operator: Comparison, operand: unknown): number {
  if (typeof operand !== 'number') fail(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  return operand;
}

function comparisonTest(operator: Comparison, bound: number): (value: number) => boolean {
  const compare = COMPARISONS[operator];
  return (value) => compare(value, bound);
}

/**
 * `numeric` is a small grammar rather than a list of pairs: one comparison, or a lower bound
 * (`>`/`>=`) followed by an upper bound (`<`/`<=`).
 */
function compileNumeric(operand: unknown): ValueTest {
  if (!Array.isArray(operand)) fail('Value of numeric must be an array.');
  const tokens: unknown[] = operand;
  if (tokens.length === 0) fail('Invalid member in numeric match: ]');
  const [operator, bound, upperOperator, upperBound] = tokens;
  if (typeof operator !== 'string') fail(`Invalid member in numeric match: ${tokenText(operator)}`);
  if (!isComparison(operator)) fail(`Unrecognized numeric range operator: ${operator}`);
  const bottom = numericBound(operator, bound);
  const lower = comparisonTest(operator, bottom);
  if (tokens.length === 2) return (value) => typeof value === 'number' && lower(value);

  if (operator !== '>' && operator !== '>=') fail('Too many elements in numeric expression');
  if (typeof upperOperator !== 'string') fail(`Bad value in numeric range: ${tokenText(upperOperator)}`);
  if (upperOperator !== '<' && upperOperator !== '<=') fail(`Bad numeric range operator: ${upperOperator}`);
  const top = numericBound(upperOperator, upperBound);
  if (tokens.length > 4) fail('Too many terms in numeric range expression');
  if (!(bottom < top)) fail('Bottom must be less than top');
  const upper = comparisonTest(upperOperator, top);
  return (value) => typeof value === 'number' && lower(value) && upper(value);
}

// ---------------------------------------------------------------------------------------------
// anything-but
// ---------------------------------------------------------------------------------------------

const NOT_STRING_OR_NUMBER = 'Value of anything-but must be an array or single string/number value.';

function compileExcludedList(values: readonly unknown[]): ValueTest {
  for (const value of values) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      fail('Inside anything but list, start|null|boolean is not supported.');
    }
  }
  const hasNumber = values.some((value) => typeof value === 'number');
  const hasString = values.some((value) => typeof value === 'string');
  if (hasNumber === hasString) {
    fail('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  const excluded = new Set(values);
  return (value) => excluded.has(value);
}

function affixExclusion(kind: 'prefix' | 'suffix', candidate: string | number): ValueTest {
  if (typeof candidate !== 'string') fail('prefix/suffix match pattern must be a string');
  if (candidate === '') fail('Null prefix/suffix not allowed');
  return (value) => typeof value === 'string' && hasAffix(kind, value, candidate);
}

function equalsIgnoreCaseExclusion(candidate: string | number): ValueTest {
  if (typeof candidate !== 'string') {
    fail('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
  }
  return compileEqualsIgnoreCase(candidate);
}

/** The operators anything-but can negate, each taking one value or a list of them. */
const NESTED_EXCLUSIONS = new Map<string, (candidate: string | number) => ValueTest>([
  ['prefix', (candidate) => affixExclusion('prefix', candidate)],
  ['suffix', (candidate) => affixExclusion('suffix', candidate)],
  ['equals-ignore-case', equalsIgnoreCaseExclusion],
  ['wildcard', compileWildcard],
]);

function compileNestedExclusion(operand: JsonRecord): ValueTest {
  const operator = soleKey(operand, 'Anything-But expression name not found');
  const exclusion = NESTED_EXCLUSIONS.get(operator) ?? fail(`Unsupported anything-but pattern: ${operator}`);
  const raw = operand[operator];
  const candidates: unknown[] = Array.isArray(raw) ? raw : [raw];
  // AWS accepts an empty list here and then fails every evaluation; refusing it up front is the
  // closest safe behaviour, since excluding nothing would otherwise match everything.
  if (candidates.length === 0) fail('Empty arrays are not allowed');
  const tests = candidates.map((candidate) => {
    if (typeof candidate !== 'string' && typeof candidate !== 'number') fail(NOT_STRING_OR_NUMBER);
    return exclusion(candidate);
  });
  return (value) => tests.some((test) => test(value));
}

function compileExclusion(operand: unknown): ValueTest {
  if (isRecord(operand)) return compileNestedExclusion(operand);
  if (Array.isArray(operand)) return compileExcludedList(operand);
  if (typeof operand === 'string' || typeof operand === 'number') return (value) => value === operand;
  return fail(NOT_STRING_OR_NUMBER);
}

/** Anything-but needs a leaf to be present, but any leaf of another type (null included) passes. */
function compileAnythingBut(operand: unknown): ValueTest {
  const excluded = compileExclusion(operand);
  return (value) => !excluded(value);
}

// ---------------------------------------------------------------------------------------------
// Value lists and match expressions
// ---------------------------------------------------------------------------------------------

/** `exists: false` is about the field, not a value, so it compiles to a marker instead of a test. */
type CompiledAlternative = ValueTest | 'absent';

function compileExists(operand: unknown): CompiledAlternative {
  if (typeof operand !== 'boolean') fail('exists match pattern must be either true or false.');
  return operand ? ANY_LEAF : 'absent';
}

const OPERATORS = new Map<string, (operand: unknown) => CompiledAlternative>([
  ['exactly', compileExactly],
  ['prefix', (operand) => compileAffix('prefix', operand)],
  ['suffix', (operand) => compileAffix('suffix', operand)],
  ['equals-ignore-case', compileEqualsIgnoreCase],
  ['wildcard', compileWildcard],
  ['anything-but', compileAnythingBut],
  ['numeric', compileNumeric],
  ['cidr', compileCidr],
  ['exists', compileExists],
]);

function compileMatchExpression(expression: JsonRecord): CompiledAlternative {
  const names = Object.keys(expression);
  const [name] = names;
  if (name === undefined) fail('Match expression name not found');
  const compile = OPERATORS.get(name) ?? fail(`Unrecognized match type ${name}`);
  // Ruler reads the first operand before it notices a second key, so operand errors win.
  const compiled = compile(expression[name]);
  if (names.length > 1) {
    fail(name === 'numeric' || name === 'anything-but'
      ? 'Too many elements in numeric expression'
      : 'Only one key allowed in match expression');
  }
  return compiled;
}

function compileExactValue(expected: JsonPrimitive): ValueTest {
  const ip = typeof expected === 'string' ? parseIp(expected) : undefined;
  if (ip === undefined) return (value) => value === expected;
  // Ruler compiles an address literal to an address, so other spellings of it match too.
  return (value) => {
    if (value === expected) return true;
    const other = typeof value === 'string' ? parseIp(value) : undefined;
    return other !== undefined && sameIp(ip, other);
  };
}

function compileAlternative(item: unknown): CompiledAlternative {
  if (isRecord(item)) return compileMatchExpression(item);
  if (isPrimitive(item)) return compileExactValue(item);
  return fail('Match value must be String, number, true, false, or null');
}

function compileValueList(path: string, values: readonly unknown[]): FieldCondition {
  if (values.length === 0) fail('Empty arrays are not allowed');
  const compiled = values.map(compileAlternative);
  const tests = compiled.filter((item): item is ValueTest => item !== 'absent');
  return {
    path,
    test: (value) => tests.some((test) => test(value)),
    allowsAbsence: compiled.includes('absent'),
  };
}

// ---------------------------------------------------------------------------------------------
// Pattern structure and $or
// ---------------------------------------------------------------------------------------------

interface CompileContext {
  /** False for the retry that reads `$or` as an ordinary field name. */
  readonly orIsOperator: boolean;
  readonly insideOr: boolean;
}

function withCondition(alternatives: readonly Alternative[], condition: FieldCondition): Alternative[] {
  // A map keyed by path, so a second write to the same path replaces the first as in Ruler.
  return alternatives.map((alternative) => new Map(alternative).set(condition.path, condition));
}

function compileOr(
  branches: unknown,
  parent: string | undefined,
  alternatives: readonly Alternative[],
  context: CompileContext,
): Alternative[] {
  if (!Array.isArray(branches)) fail('It must be an Array followed with $or.');
  const expanded: Alternative[] = [];
  for (const branch of branches) {
    if (!isRecord(branch)) fail('Only JSON object is allowed in array of $or relationship.');
    expanded.push(...compileFields(branch, parent, alternatives, { ...context, insideOr: true }));
    if (expanded.length > MAX_ALTERNATIVES) {
      throw new PatternTooComplexError(`Event pattern contains more than ${MAX_ALTERNATIVES} rule combinations`);
    }
  }
  if (branches.length < 2) fail('There must have at least 2 Objects in $or relationship.');
  return expanded;
}

function compileFields(
  object: JsonRecord,
  parent: string | undefined,
  alternatives: readonly Alternative[],
  context: CompileContext,
): Alternative[] {
  const entries = Object.entries(object);
  if (entries.length === 0) fail('Empty objects are not allowed');
  let current = [...alternatives];
  for (const [key, value] of entries) {
    if (key === '$or' && context.orIsOperator) {
      current = compileOr(value, parent, current, context);
      continue;
    }
    if (context.insideOr && RESERVED_IN_OR.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    }
    const path = joinPath(parent, key);
    if (Array.isArray(value)) current = withCondition(current, compileValueList(path, value));
    else if (isRecord(value)) current = compileFields(value, path, current, context);
    else fail(`"${key}" must be an object or an array`);
  }
  return current;
}

function compileAlternatives(pattern: JsonRecord): Alternative[] {
  const start: Alternative[] = [new Map()];
  try {
    return compileFields(pattern, undefined, start, { orIsOperator: true, insideOr: false });
  } catch (error) {
    if (!(error instanceof InvalidEventPatternError) || error instanceof PatternTooComplexError) throw error;
    // EventBridge retries a pattern its $or-aware compiler refuses with its older compiler, which
    // reads "$or" as a plain field name; only if that also fails is the pattern invalid.
    return compileFields(pattern, undefined, start, { orIsOperator: false, insideOr: false });
  }
}

// ---------------------------------------------------------------------------------------------
// Events: leaves and array consistency
// ---------------------------------------------------------------------------------------------

/** For each enclosing array (by id), the index of the element a leaf sits in. */
type Membership = ReadonlyMap<number, number>;

interface Leaf {
  readonly value: JsonPrimitive;
  readonly membership: Membership;
}

type LeafIndex = ReadonlyMap<string, readonly Leaf[]>;

const NO_ARRAYS: Membership = new Map();

function indexLeaves(event: unknown): LeafIndex {
  const index = new Map<string, Leaf[]>();
  let nextArrayId = 0;
  const visit = (node: unknown, path: string | undefined, membership: Membership): void => {
    if (Array.isArray(node)) {
      const arrayId = nextArrayId++;
      node.forEach((element, position) => visit(element, path, new Map(membership).set(arrayId, position)));
    } else if (isRecord(node)) {
      for (const [key, child] of Object.entries(node)) visit(child, joinPath(path, key), membership);
    } else if (path !== undefined && isPrimitive(node)) {
      const leaves = index.get(path) ?? [];
      leaves.push({ value: node, membership });
      index.set(path, leaves);
    }
  };
  visit(event, undefined, NO_ARRAYS);
  return index;
}

/** The union of two memberships, or undefined when they pick different elements of one array. */
function mergeMembership(left: Membership, right: Membership): Membership | undefined {
  if (right.size === 0) return left;
  if (left.size === 0) return right;
  const merged = new Map(left);
  for (const [arrayId, position] of right) {
    const existing = merged.get(arrayId);
    if (existing !== undefined && existing !== position) return undefined;
    merged.set(arrayId, position);
  }
  return merged;
}

interface SearchStep {
  readonly condition: FieldCondition;
  readonly candidates: readonly Leaf[];
}

/**
 * Whether the remaining steps can each be given a leaf (or, where allowed, absence) without
 * breaking array consistency. A field only counts as present for `exists: false` when one of its
 * leaves is consistent with the leaves already chosen, as in Ruler.
 */
function satisfiable(
  steps: readonly SearchStep[],
  membership: Membership,
  absentPaths: readonly string[],
  leaves: LeafIndex,
): boolean {
  const [step, ...rest] = steps;
  if (step === undefined) {
    return absentPaths.every((path) =>
      (leaves.get(path) ?? []).every((leaf) => mergeMembership(membership, leaf.membership) === undefined));
  }
  for (const leaf of step.candidates) {
    const merged = mergeMembership(membership, leaf.membership);
    if (merged !== undefined && satisfiable(rest, merged, absentPaths, leaves)) return true;
  }
  return step.condition.allowsAbsence && satisfiable(rest, membership, [...absentPaths, step.condition.path], leaves);
}

function matchesAlternative(alternative: Alternative, leaves: LeafIndex): boolean {
  const steps: SearchStep[] = [];
  for (const condition of alternative.values()) {
    const candidates = (leaves.get(condition.path) ?? []).filter((leaf) => condition.test(leaf.value));
    if (candidates.length === 0 && !condition.allowsAbsence) return false;
    steps.push({ condition, candidates });
  }
  // Fewest choices first keeps the search narrow; it does not change the answer.
  steps.sort((left, right) => left.candidates.length - right.candidates.length);
  return satisfiable(steps, NO_ARRAYS, [], leaves);
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Compiles (and so validates) a pattern once, for matching against many events. */
export function compilePattern(pattern: unknown): CompiledPattern {
  if (!isRecord(pattern)) fail('Filter is not an object');
  const alternatives = compileAlternatives(pattern);
  const matchesFlattened = ({ leaves }: FlattenedEvent) => alternatives.some((alternative) => matchesAlternative(alternative, leaves));
  return {
    matches: (event: unknown) => matchesFlattened(flattenEvent(event)),
    matchesFlattened,
  };
}

export function flattenEvent(event: unknown): FlattenedEvent {
  return { leaves: indexLeaves(event) };
}

/** Throws InvalidEventPatternError for any pattern EventBridge would refuse. */
export function validatePattern(pattern: unknown): void {
  compilePattern(pattern);
}

export function matchesPattern(pattern: object, event: object): boolean {
  return compilePattern(pattern).matches(event);
}

function parseJson(text: string, onError: (message: string) => Error): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw onError(error instanceof Error ? error.message : String(error));
  }
}

/** The TestEventPattern API: both arguments are JSON text, and the event must be a full envelope. */
export function testEventPattern(pattern: string, event: string): boolean {
  const compiled = compilePattern(parseJson(pattern, (message) => new InvalidEventPatternError(message)));
  const parsed = parseJson(event, () => new InvalidEventError());
  if (!isRecord(parsed) || REQUIRED_EVENT_FIELDS.some((field) => !Object.hasOwn(parsed, field))) {
    throw new InvalidEventError();
  }
  return compiled.matches(parsed);
}
