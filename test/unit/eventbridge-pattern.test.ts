import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidEventError,
  InvalidEventPatternError,
  compilePattern,
  matchesPattern,
  testEventPattern,
  validatePattern,
} from '#infra/local/eventbridge/pattern';

interface Vector {
  readonly name: string;
  readonly pattern: unknown;
  readonly event: unknown;
  readonly expected: unknown;
  readonly origin: string;
}

// The shared data sits beside the checkout, which may be nested deeper (a git worktree): look upwards.
const vectorsUrl = ['../../../', '../../../../', '../../../../../']
  .map((up) => new URL(`${up}shared/data/eventbridge-pattern-vectors.json`, import.meta.url))
  .find((url) => existsSync(url)) ?? new URL('../../../shared/data/eventbridge-pattern-vectors.json', import.meta.url);
const vectors = JSON.parse(readFileSync(vectorsUrl, 'utf8')) as Vector[];

/** A complete envelope, as TestEventPattern requires, around the given detail. */
function envelope(detail: unknown, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail,
    ...fields,
  };
}

function matchesDetail(pattern: object, detail: unknown): boolean {
  return matchesPattern(pattern, envelope(detail));
}

function rejectionOf(pattern: unknown): string | undefined {
  try {
    validatePattern(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error.reason;
    throw error;
  }
}

describe('unit: eventbridge pattern — vectors', () => {
  it('loads every vector with a boolean expectation', () => {
    expect(vectors).toHaveLength(197);
    // The runner below only knows booleans; a new expectation shape must fail here, not pass silently.
    expect(vectors.filter((vector) => typeof vector.expected !== 'boolean').map((vector) => vector.name)).toEqual([]);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    expect(testEventPattern(JSON.stringify(vector.pattern), JSON.stringify(vector.event))).toBe(vector.expected);
  });
});

describe('unit: eventbridge pattern — exact', () => {
  it('matches the user guide EC2 termination example', () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };
    expect(matchesDetail(pattern, { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' })).toBe(true);
    expect(matchesDetail(pattern, { 'instance-id': 'i-1234567890abcdef0', state: 'running' })).toBe(false);
  });

  it('matches when any listed value equals the event value', () => {
    expect(matchesPattern({ source: ['aws.ec2', 'aws.fargate'] }, envelope({}, { source: 'aws.fargate' }))).toBe(true);
  });

  it('matches when an event array intersects the pattern values', () => {
    const pattern = { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:other'] };
    const event = envelope({}, { resources: ['arn:aws:autoscaling:group', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] });
    expect(matchesPattern(pattern, event)).toBe(true);
  });

  it('compares numbers numerically and never equates a number with its string', () => {
    expect(matchesDetail({ detail: { v: [300] } }, { v: 300.0 })).toBe(true);
    expect(matchesDetail({ detail: { v: [300] } }, { v: '300' })).toBe(false);
    expect(matchesDetail({ detail: { v: ['300'] } }, { v: 300 })).toBe(false);
  });

  it('keeps null, the empty string and the string "null" apart', () => {
    expect(matchesDetail({ detail: { r: [null] } }, { r: null })).toBe(true);
    expect(matchesDetail({ detail: { r: [''] } }, { r: null })).toBe(false);
    expect(matchesDetail({ detail: { r: [null] } }, { r: 'null' })).toBe(false);
    expect(matchesDetail({ detail: { r: [''] } }, { r: '' })).toBe(true);
  });

  it('fails when the field is missing or holds an object', () => {
    expect(matchesDetail({ detail: { state: ['x'] } }, {})).toBe(false);
    expect(matchesDetail({ detail: { state: ['x'] } }, { state: { value: 'x' } })).toBe(false);
  });

  it('treats dotted pattern keys and nested objects as the same path', () => {
    expect(matchesDetail({ detail: { 'state.status': ['running'] } }, { state: { status: 'running' } })).toBe(true);
    expect(matchesDetail({ detail: { state: { status: ['running'] } } }, { 'state.status': 'running' })).toBe(true);
  });

  it('matches an IP address literal written another way', () => {
    expect(matchesDetail({ detail: { ip: ['2001:db8::1'] } }, { ip: '2001:0db8:0:0:0:0:0:1' })).toBe(true);
  });

  it('only matches fields taken from the same element of an array', () => {
    const detail = { employees: [{ firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };
    expect(matchesDetail({ detail: { employees: { firstName: ['Anna'], lastName: ['Smith'] } } }, detail)).toBe(true);
    expect(matchesDetail({ detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } }, detail)).toBe(false);
  });
});

describe('unit: eventbridge pattern — prefix', () => {
  it('matches when the value starts with the prefix', () => {
    expect(matchesPattern({ time: [{ prefix: '2017-10-02' }] }, envelope({}, { time: '2017-10-02T18:43:48Z' }))).toBe(true);
    expect(matchesPattern({ time: [{ prefix: '2017-10-02' }] }, envelope({}, { time: '2017-10-03T18:43:48Z' }))).toBe(false);
  });

  it('matches any casing with equals-ignore-case', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const service of ['EventBridge', 'EVENTB', 'eventbus']) expect(matchesDetail(pattern, { service })).toBe(true);
    expect(matchesDetail(pattern, { service: 'Event' })).toBe(false);
  });

  it('matches only string values, even with an empty prefix', () => {
    expect(matchesDetail({ detail: { v: [{ prefix: '' }] } }, { v: 'anything' })).toBe(true);
    expect(matchesDetail({ detail: { v: [{ prefix: '1' }] } }, { v: 12 })).toBe(false);
    expect(matchesDetail({ detail: { v: [{ prefix: '' }] } }, { v: null })).toBe(false);
  });
});

describe('unit: eventbridge pattern — suffix', () => {
  it('matches when the value ends with the suffix', () => {
    expect(matchesDetail({ detail: { FileName: [{ suffix: '.png' }] } }, { FileName: 'image.png' })).toBe(true);
    expect(matchesDetail({ detail: { FileName: [{ suffix: '.png' }] } }, { FileName: 'image.PNG' })).toBe(false);
  });

  it('matches any casing with equals-ignore-case', () => {
    const pattern = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matchesDetail(pattern, { FileName: 'image.PNG' })).toBe(true);
    expect(matchesDetail(pattern, { FileName: 'image.jpg' })).toBe(false);
  });
});

describe('unit: eventbridge pattern — anything-but', () => {
  it('matches when a string or number differs from the excluded one', () => {
    expect(matchesDetail({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { state: 'running' })).toBe(true);
    expect(matchesDetail({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { state: 'initializing' })).toBe(false);
    expect(matchesDetail({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { 'x-limit': 123 })).toBe(false);
    expect(matchesDetail({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { 'x-limit': 124 })).toBe(true);
  });

  it('matches when the value is outside an excluded list', () => {
    const strings = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesDetail(strings, { state: 'stopped' })).toBe(false);
    expect(matchesDetail(strings, { state: 'running' })).toBe(true);
    const numbers = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matchesDetail(numbers, { 'x-limit': 300.0 })).toBe(false);
    expect(matchesDetail(numbers, { 'x-limit': 301 })).toBe(true);
  });

  it('matches when the value avoids an excluded prefix, suffix, casing or wildcard', () => {
    expect(matchesDetail({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, { state: 'initializing' })).toBe(false);
    expect(matchesDetail({ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, { FileName: 'file.txt.bak' })).toBe(true);
    const casing = { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } };
    expect(matchesDetail(casing, { state: 'STOPPED' })).toBe(false);
    const wildcard = { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };
    expect(matchesDetail(wildcard, { FilePath: 'file/lib/dir' })).toBe(false);
    expect(matchesDetail(wildcard, { FilePath: 'file/bin/dir' })).toBe(true);
  });

  it('matches a leaf of another type, null included, but not a missing field', () => {
    expect(matchesDetail({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { state: null })).toBe(true);
    expect(matchesDetail({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, { state: 12 })).toBe(true);
    expect(matchesDetail({ detail: { state: [{ 'anything-but': 'initializing' }] } }, {})).toBe(false);
  });
});

describe('unit: eventbridge pattern — numeric', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  it('matches the user guide example when every range holds', () => {
    expect(matchesDetail(pattern, { 'c-count': 5, 'd-count': 9, 'x-limit': 301.8 })).toBe(true);
    expect(matchesDetail(pattern, { 'c-count': 0, 'd-count': 9, 'x-limit': 301.8 })).toBe(false);
    expect(matchesDetail(pattern, { 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 })).toBe(false);
  });

  it('matches only JSON numbers', () => {
    expect(matchesDetail({ detail: { n: [{ numeric: ['>', 100] }] } }, { n: '300' })).toBe(false);
    expect(matchesDetail({ detail: { n: [{ numeric: ['>', 100] }] } }, { n: null })).toBe(false);
  });

  it('rejects malformed ranges with the AWS reasons', () => {
    expect(rejectionOf({ detail: { c: [{ numeric: ['>', 0, '>', 0] }] } })).toBe('Bad numeric range operator: >');
    expect(rejectionOf({ detail: { c: [{ numeric: ['>', 0, '<'] }] } })).toBe('Value of < must be numeric');
    expect(rejectionOf({ detail: { c: [{ numeric: ['<', 5, '>', 0] }] } })).toBe('Too many elements in numeric expression');
    expect(rejectionOf({ detail: { c: [{ numeric: ['>', 5, '<', 5] }] } })).toBe('Bottom must be less than top');
    expect(rejectionOf({ detail: { c: [{ numeric: ['==', 5] }] } })).toBe('Unrecognized numeric range operator: ==');
    expect(rejectionOf({ detail: { c: [{ numeric: [] }] } })).toBe('Invalid member in numeric match: ]');
    expect(rejectionOf({ detail: { c: [{ numeric: 5 }] } })).toBe('Value of numeric must be an array.');
  });
});

describe('unit: eventbridge pattern — exists', () => {
  it('matches when exists:true finds a leaf, null included', () => {
    expect(matchesDetail({ detail: { 'c-count': [{ exists: true }] } }, { 'c-count': 5 })).toBe(true);
    expect(matchesDetail({ detail: { 'c-count': [{ exists: true }] } }, { 'c-count': null })).toBe(true);
    expect(matchesDetail({ detail: { 'c-count': [{ exists: true }] } }, {})).toBe(false);
  });

  it('matches when exists:false finds no leaf, so objects and empty arrays count as absent', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    expect(matchesDetail(pattern, { state: 'running' })).toBe(true);
    expect(matchesDetail(pattern, { 'c-count': { c1: 100 } })).toBe(true);
    expect(matchesDetail(pattern, { 'c-count': [] })).toBe(true);
    expect(matchesDetail(pattern, { 'c-count': 5 })).toBe(false);
  });

  it('matches absence of a field that is only present in a different array element', () => {
    const pattern = { detail: { items: { id: ['a'], discount: [{ exists: false }] } } };
    expect(matchesDetail(pattern, { items: [{ id: 'a' }, { id: 'b', discount: 10 }] })).toBe(true);
    expect(matchesDetail(pattern, { items: [{ id: 'a', discount: 10 }, { id: 'b' }] })).toBe(false);
  });
});

describe('unit: eventbridge pattern — cidr', () => {
  it('matches IPv4 addresses inside the block', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(matchesDetail(pattern, { sourceIPAddress: '10.0.0.255' })).toBe(true);
    expect(matchesDetail(pattern, { sourceIPAddress: '10.0.1.0' })).toBe(false);
    expect(matchesDetail(pattern, { sourceIPAddress: '10.0.0.256' })).toBe(false);
  });

  it('matches IPv6 addresses inside the block', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } };
    expect(matchesDetail(pattern, { sourceIPAddress: '2001:db8:1234:1a00:9691:9503:25ad:1761' })).toBe(true);
    expect(matchesDetail(pattern, { sourceIPAddress: '2001:db8:1234:1a01::1' })).toBe(false);
    expect(matchesDetail(pattern, { sourceIPAddress: '10.0.0.1' })).toBe(false);
  });

  it('rejects bad blocks with the AWS reasons', () => {
    expect(rejectionOf({ ip: [{ cidr: '10.0.0.0' }] })).toBe("Malformed CIDR, one '/' required");
    expect(rejectionOf({ ip: [{ cidr: '10.0.0.0/x' }] })).toBe('Malformed CIDR, mask bits must be an integer');
    expect(rejectionOf({ ip: [{ cidr: 'xx.11.xx/24' }] })).toBe('Nonstandard IP address: xx.11.xx');
    expect(rejectionOf({ ip: [{ cidr: '10.0.0.300/24' }] })).toBe('Invalid IP address: 10.0.0.300');
    expect(rejectionOf({ ip: [{ cidr: '10.0.0.1/32' }] })).toBe('IPv4 mask bits must be < 32');
    expect(rejectionOf({ ip: [{ cidr: ['10.0.0.0/24'] }] })).toBe('prefix match pattern must be a string');
  });
});

describe('unit: eventbridge pattern — equals-ignore-case', () => {
  it('matches the same string in any casing', () => {
    const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
    expect(matchesPattern(pattern, envelope({}))).toBe(true);
    expect(matchesPattern(pattern, envelope({}, { 'detail-type': 'EC2 Instance State-change' }))).toBe(false);
  });

  it('rejects a non-string operand', () => {
    expect(rejectionOf({ 'detail-type': [{ 'equals-ignore-case': ['x'] }] })).toBe('equals-ignore-case match pattern must be a string');
  });
});

describe('unit: eventbridge pattern — wildcard', () => {
  it('matches the user guide event bus example', () => {
    const pattern = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    expect(matchesPattern(pattern, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' })).toBe(true);
    expect(matchesPattern(pattern, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/myEventBus' })).toBe(false);
  });

  it('matches a star against zero or more characters and an escaped star literally', () => {
    expect(matchesDetail({ detail: { v: [{ wildcard: '*' }] } }, { v: '' })).toBe(true);
    expect(matchesDetail({ detail: { v: [{ wildcard: 'a*b*c' }] } }, { v: 'abc' })).toBe(true);
    expect(matchesDetail({ detail: { v: [{ wildcard: 'a\\*c' }] } }, { v: 'a*c' })).toBe(true);
    expect(matchesDetail({ detail: { v: [{ wildcard: 'a\\*c' }] } }, { v: 'abc' })).toBe(false);
  });

  it('does not let the text around a star overlap', () => {
    expect(matchesDetail({ detail: { v: [{ wildcard: 'ab*ba' }] } }, { v: 'aba' })).toBe(false);
    expect(matchesDetail({ detail: { v: [{ wildcard: 'ab*ba' }] } }, { v: 'abba' })).toBe(true);
  });

  it('rejects consecutive stars and stray escapes at the position AWS reports', () => {
    expect(rejectionOf({ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:**:event-bus/*' }] }))
      .toBe('Consecutive wildcard characters at pos 26');
    expect(rejectionOf({ v: [{ wildcard: 'a\\b' }] })).toBe('Invalid escape character at pos 2');
    expect(rejectionOf({ v: [{ wildcard: 123 }] })).toBe('wildcard match pattern must be a string');
  });
});

describe('unit: eventbridge pattern — $or', () => {
  const pattern = {
    detail: {
      $or: [
        { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
        { 'd-count': [{ numeric: ['<', 10] }] },
        { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
      ],
    },
  };

  it('matches when any branch matches', () => {
    expect(matchesDetail(pattern, { 'c-count': 0, 'd-count': 0, 'x-limit': 901.8 })).toBe(true);
    expect(matchesDetail(pattern, { 'c-count': 0, 'd-count': 10, 'x-limit': 901.8 })).toBe(false);
  });

  it('matches at the top level alongside ordinary fields', () => {
    const topLevel = { source: ['aws.cloudwatch'], $or: [{ 'detail-type': ['Alarm'] }, { detail: { metricName: ['CPU'] } }] };
    expect(matchesPattern(topLevel, envelope({ metricName: 'CPU' }, { source: 'aws.cloudwatch' }))).toBe(true);
    expect(matchesPattern(topLevel, envelope({ metricName: 'Disk' }, { source: 'aws.cloudwatch' }))).toBe(false);
  });

  it('rejects a $or that is neither the operator nor a valid field', () => {
    expect(rejectionOf({ $or: [{ a: ['1'] }] })).toBe('Unrecognized match type a');
    expect(rejectionOf({ $or: 'x' })).toBe('"$or" must be an object or an array');
  });

  it('reads $or as a field name when it cannot be the operator, as EventBridge does', () => {
    expect(matchesPattern({ $or: { a: ['1'] } }, { $or: { a: '1' } })).toBe(true);
    expect(matchesPattern({ $or: [{ prefix: 'x' }, { suffix: 'y' }] }, { $or: 'xy' })).toBe(true);
  });
});

describe('unit: eventbridge pattern — validation', () => {
  it('rejects patterns with the reasons AWS gives', () => {
    expect(rejectionOf(['not', 'an', 'object'])).toBe('Filter is not an object');
    expect(rejectionOf({})).toBe('Empty objects are not allowed');
    expect(rejectionOf({ int: 42 })).toBe('"int" must be an object or an array');
    expect(rejectionOf({ resources: [] })).toBe('Empty arrays are not allowed');
    expect(rejectionOf({ a: [['nested']] })).toBe('Match value must be String, number, true, false, or null');
    expect(rejectionOf({ a: [{ EXISTS: true }] })).toBe('Unrecognized match type EXISTS');
    expect(rejectionOf({ a: [{ exists: 'yes' }] })).toBe('exists match pattern must be either true or false.');
    expect(rejectionOf({ a: [{ prefix: 'x', suffix: 'y' }] })).toBe('Only one key allowed in match expression');
    expect(rejectionOf({ a: [{ prefix: ['x'] }] })).toBe('prefix match pattern must be a string');
    expect(rejectionOf({ a: [{ suffix: 1 }] })).toBe('suffix match pattern must be a string');
  });

  it('rejects anything-but operands with the reasons AWS gives', () => {
    expect(rejectionOf({ a: [{ 'anything-but': null }] })).toBe('Value of anything-but must be an array or single string/number value.');
    expect(rejectionOf({ a: [{ 'anything-but': { prefix: '' } }] })).toBe('Null prefix/suffix not allowed');
    expect(rejectionOf({ a: [{ 'anything-but': { suffix: [123, '.txt'] } }] })).toBe('prefix/suffix match pattern must be a string');
    expect(rejectionOf({ a: [{ 'anything-but': { 'equals-ignore-case': 123 } }] }))
      .toBe('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
    expect(rejectionOf({ a: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'x' } } }] }))
      .toBe('Value of anything-but must be an array or single string/number value.');
    expect(rejectionOf({ a: [{ 'anything-but': { exists: true } }] })).toBe('Unsupported anything-but pattern: exists');
    expect(rejectionOf({ a: [{ 'anything-but': ['x', 1] }] }))
      .toBe('Inside anything but list, either all values are number or string, mixed type is not supported');
  });

  it('sets the AWS exception name and message prefix', () => {
    const error = new InvalidEventPatternError('Filter is not an object');
    expect(error.name).toBe('InvalidEventPatternException');
    expect(error.message).toBe('Event pattern is not valid. Reason: Filter is not an object');
  });
});

describe('unit: eventbridge pattern — testEventPattern', () => {
  it('matches JSON text like the TestEventPattern API', () => {
    expect(testEventPattern('{"source":["aws.ec2"]}', JSON.stringify(envelope({})))).toBe(true);
  });

  it('rejects a pattern that is not valid JSON as an invalid pattern', () => {
    expect(() => testEventPattern("{'bad': 'quotation'}", JSON.stringify(envelope({})))).toThrow(InvalidEventPatternError);
  });

  it('rejects an event missing a field the API requires', () => {
    const { account: _account, ...withoutAccount } = envelope({});
    expect(() => testEventPattern('{"source":["aws.ec2"]}', JSON.stringify(withoutAccount))).toThrow(InvalidEventError);
    expect(() => testEventPattern('{"source":["aws.ec2"]}', '"plain string"')).toThrow('Parameter Event is not valid.');
  });

  it('accepts an event without resources, as the service does', () => {
    const { resources: _resources, ...withoutResources } = envelope({});
    expect(testEventPattern('{"source":["aws.ec2"]}', JSON.stringify(withoutResources))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

type Scalar = string | number | boolean | null;
interface Tree { [key: string]: Scalar | Scalar[] | Tree }

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
// Plain keys: dots join paths, and "$or" or an operator name inside a $or branch changes how the
// pattern compiles; example tests cover those. No operator name starts with "f".
const fieldName = fc.stringMatching(/^f[a-z0-9-]{0,6}$/);
const { tree } = fc.letrec<{ tree: Tree; node: Scalar | Scalar[] | Tree }>((tie) => ({
  tree: fc.dictionary(fieldName, tie('node'), { minKeys: 1, maxKeys: 4 }),
  node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(scalar, { minLength: 1, maxLength: 4 }), tie('tree')),
}));

/** The pattern that lists each of the event's own leaf values as the allowed values. */
function exactPatternOf(event: Tree): Record<string, unknown> {
  return Object.fromEntries(Object.entries(event).map(([key, value]) => {
    if (Array.isArray(value)) return [key, value];
    if (value !== null && typeof value === 'object') return [key, exactPatternOf(value)];
    return [key, [value]];
  }));
}

function escapeWildcard(text: string): string {
  return text.replace(/[\\*]/g, (char) => `\\${char}`);
}

describe('unit: eventbridge pattern — properties', () => {
  it('matches an event against the pattern built from its own leaf values', () => {
    fc.assert(fc.property(tree, (event) => matchesPattern(exactPatternOf(event), event)));
  });

  it('never matches anything-but against the excluded value itself', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), (value) =>
      !matchesPattern({ f: [{ 'anything-but': value }] }, { f: value })));
  });

  it('matches anything-but against every other string', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (excluded, value) =>
      matchesPattern({ f: [{ 'anything-but': excluded }] }, { f: value }) === (value !== excluded)));
  });

  it('matches a prefix and a suffix against any string that carries them', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (affix, rest) =>
      matchesPattern({ f: [{ prefix: affix }] }, { f: affix + rest })
      && matchesPattern({ f: [{ suffix: affix }] }, { f: rest + affix })));
  });

  it('matches a fully escaped wildcard against exactly its own text', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (text, other) =>
      matchesPattern({ f: [{ wildcard: escapeWildcard(text) }] }, { f: other }) === (other === text)));
  });

  it('matches a single star between two texts exactly when both ends fit without overlapping', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (head, tail, value) => {
      const matched = matchesPattern({ f: [{ wildcard: `${escapeWildcard(head)}*${escapeWildcard(tail)}` }] }, { f: value });
      return matched === (value.startsWith(head) && value.endsWith(tail) && value.length >= head.length + tail.length);
    }));
  });

  it('matches a numeric range exactly when the value lies inside it', () => {
    const number = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(fc.property(number, number, number, (a, b, value) => {
      fc.pre(a < b);
      const matched = matchesPattern({ f: [{ numeric: ['>=', a, '<', b] }] }, { f: value });
      return matched === (value >= a && value < b);
    }));
  });

  it('matches $or exactly when one of its branches matches on its own', () => {
    fc.assert(fc.property(tree, tree, tree, (left, right, event) => {
      const branches = [exactPatternOf(left), exactPatternOf(right)];
      const either = matchesPattern({ $or: branches }, event);
      return either === branches.some((branch) => matchesPattern(branch, event));
    }));
  });

  it('matches exists:false exactly when exists:true does not', () => {
    const shallow = (key: string, exists: boolean) => ({ [key]: [{ exists }] });
    const deep = (outer: string, inner: string, exists: boolean) => ({ [outer]: shallow(inner, exists) });
    fc.assert(fc.property(tree, fieldName, fieldName, (event, outer, inner) =>
      compilePattern(shallow(outer, true)).matches(event) !== compilePattern(shallow(outer, false)).matches(event)
      && compilePattern(deep(outer, inner, true)).matches(event) !== compilePattern(deep(outer, inner, false)).matches(event)));
  });
});
