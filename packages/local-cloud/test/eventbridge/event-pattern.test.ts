// EventBridge event patterns against the examples of AWS's documentation: "Creating Amazon EventBridge event
// patterns" (eb-event-patterns.html), "Comparison operators for use in event patterns" and "Content filtering"
// (eb-create-pattern-operators.html), and the patterns EventBridge refuses.
import {
  EventPatternError,
  matchesPattern,
  parseEventPattern,
} from '../../src/services/eventbridge/event-pattern';

/** The EC2 event the EventBridge user guide uses throughout ("Amazon EventBridge events"). */
const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const matches = (pattern: unknown, event: unknown) => matchesPattern(parseEventPattern(pattern), event);
const withDetail = (detail: Record<string, unknown>) => ({ ...EC2_EVENT, detail });

describe('event patterns: matching (AWS documentation examples)', () => {
  it('matches source, detail-type and a detail field exactly (eb-event-patterns: "Example events and event patterns")', () => {
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    expect(matches(pattern, EC2_EVENT)).toBe(true);
    expect(matches(pattern, withDetail({ state: 'running' }))).toBe(false);
    expect(matches({ source: ['aws.s3'] }, EC2_EVENT)).toBe(false);
  });

  it('takes a list as OR, and matches an event array that shares a value with it (resources)', () => {
    expect(matches({ detail: { state: ['pending', 'terminated'] } }, EC2_EVENT)).toBe(true);
    expect(
      matches(
        {
          resources: [
            'arn:aws:ec2:us-west-1:123456789012:instance/i-other',
            'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0',
          ],
        },
        EC2_EVENT,
      ),
    ).toBe(true);
    expect(matches({ resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-other'] }, EC2_EVENT)).toBe(
      false,
    );
  });

  it('matches strings only as strings, numbers by value, and null and the empty string as values ("Matching null values and empty strings")', () => {
    expect(matches({ detail: { count: [5] } }, withDetail({ count: 5.0 }))).toBe(true);
    expect(matches({ detail: { count: ['5'] } }, withDetail({ count: 5 }))).toBe(false);
    expect(matches({ detail: { responseElements: [null] } }, withDetail({ responseElements: null }))).toBe(
      true,
    );
    expect(matches({ detail: { eventVersion: [''] } }, withDetail({ eventVersion: '' }))).toBe(true);
    expect(matches({ detail: { eventVersion: [''] } }, withDetail({}))).toBe(false);
  });

  it('prefix: "time": [{ "prefix": "2017-10-02" }], and prefix with equals-ignore-case on "EventB"', () => {
    expect(
      matches({ time: [{ prefix: '2017-10-02' }] }, { ...EC2_EVENT, time: '2017-10-02T18:43:48Z' }),
    ).toBe(true);
    expect(matches({ time: [{ prefix: '2017-10-02' }] }, EC2_EVENT)).toBe(false);
    const ignoreCase = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbridge']) {
      expect(matches(ignoreCase, withDetail({ service }))).toBe(true);
    }
    expect(matches(ignoreCase, withDetail({ service: 'SNS' }))).toBe(false);
  });

  it('suffix: "FileName": [{ "suffix": ".png" }], and suffix with equals-ignore-case matching .PNG', () => {
    expect(matches({ detail: { FileName: [{ suffix: '.png' }] } }, withDetail({ FileName: 'cat.png' }))).toBe(
      true,
    );
    expect(matches({ detail: { FileName: [{ suffix: '.png' }] } }, withDetail({ FileName: 'cat.PNG' }))).toBe(
      false,
    );
    const ignoreCase = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matches(ignoreCase, withDetail({ FileName: 'cat.PNG' }))).toBe(true);
  });

  it('anything-but: a string, a number, a list, a prefix, a suffix, equals-ignore-case and a wildcard', () => {
    const state = (value: unknown) => withDetail({ state: value });
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, state('running'))).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, state('initializing'))).toBe(
      false,
    );
    expect(
      matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 124 })),
    ).toBe(true);
    expect(
      matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 123 })),
    ).toBe(false);
    const list = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matches(list, state('running'))).toBe(true);
    expect(matches(list, state('overloaded'))).toBe(false);
    expect(
      matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, state('initializing')),
    ).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, state('running'))).toBe(
      true,
    );
    const notTxt = { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } };
    expect(matches(notTxt, withDetail({ FileName: 'notes.txt' }))).toBe(false);
    expect(matches(notTxt, withDetail({ FileName: 'cat.png' }))).toBe(true);
    const ignoreCase = {
      detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] },
    };
    expect(matches(ignoreCase, state('STOPPED'))).toBe(false);
    expect(matches(ignoreCase, state('running'))).toBe(true);
    const notLib = { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };
    expect(matches(notLib, withDetail({ FilePath: '/usr/lib/node' }))).toBe(false);
    expect(matches(notLib, withDetail({ FilePath: '/usr/bin/node' }))).toBe(true);
    // anything-but needs the field: a missing one does not match.
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({}))).toBe(false);
  });

  it('numeric: c-count (0, 5], d-count < 10 and x-limit = 3.018e2 (the "Numeric matching" example)', () => {
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matches(pattern, withDetail({ 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 }))).toBe(true);
    expect(matches(pattern, withDetail({ 'c-count': 0, 'd-count': 7, 'x-limit': 301.8 }))).toBe(false);
    expect(matches(pattern, withDetail({ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }))).toBe(false);
    expect(matches(pattern, withDetail({ 'c-count': '5', 'd-count': 7, 'x-limit': 301.8 }))).toBe(false);
  });

  it('cidr: "sourceIPAddress": [{ "cidr": "10.0.0.0/24" }], and an IPv6 range', () => {
    const pattern = { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } };
    expect(matches(pattern, withDetail({ sourceIPAddress: '10.0.0.255' }))).toBe(true);
    expect(matches(pattern, withDetail({ sourceIPAddress: '10.0.1.1' }))).toBe(false);
    const v6 = { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } };
    expect(matches(v6, withDetail({ sourceIPAddress: '2001:db8:1234::1' }))).toBe(true);
    expect(matches(v6, withDetail({ sourceIPAddress: '2001:db9::1' }))).toBe(false);
  });

  it('exists: true matches a present leaf, false an absent one, even under a missing object', () => {
    expect(matches({ detail: { state: [{ exists: true }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { state: [{ exists: false }] } }, EC2_EVENT)).toBe(false);
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { nested: { deep: [{ exists: false }] } } }, EC2_EVENT)).toBe(true);
    expect(matches({ detail: { nested: { deep: [{ exists: true }] } } }, EC2_EVENT)).toBe(false);
  });

  it('equals-ignore-case: "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }]', () => {
    expect(
      matches(
        { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
        EC2_EVENT,
      ),
    ).toBe(true);
  });

  it('wildcard: "arn:aws:events:us-east-1:*:event-bus/*", and an escaped star', () => {
    const pattern = { detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } };
    expect(
      matches(pattern, withDetail({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' })),
    ).toBe(true);
    expect(
      matches(pattern, withDetail({ EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' })),
    ).toBe(false);
    expect(matches({ detail: { name: [{ wildcard: 'a\\*b' }] } }, withDetail({ name: 'a*b' }))).toBe(true);
    expect(matches({ detail: { name: [{ wildcard: 'a\\*b' }] } }, withDetail({ name: 'axxb' }))).toBe(false);
  });

  it('$or: the "Multiple matching" examples, at the detail level and beside other fields', () => {
    const inDetail = {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    };
    expect(matches(inDetail, withDetail({ 'd-count': 3 }))).toBe(true);
    expect(matches(inDetail, withDetail({ 'c-count': 9, 'd-count': 30 }))).toBe(false);
    const beside = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(matches(beside, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(matches(beside, { source: 'aws.cloudwatch', namespace: 'AWS/Lambda' })).toBe(false);
    expect(matches(beside, { source: 'aws.ec2', metricName: 'CPUUtilization' })).toBe(false);
  });

  it('matches a nested pattern within one element of an array of objects', () => {
    const event = withDetail({
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 9 },
      ],
    });
    expect(matches({ detail: { items: { sku: ['b'] } } }, event)).toBe(true);
    expect(matches({ detail: { items: { sku: ['c'] } } }, event)).toBe(false);
  });
});

describe('event patterns EventBridge refuses (InvalidEventPatternException)', () => {
  it.each([
    ['a field that is a value, not a list', { source: 'aws.ec2' }, '"source" must be an object or an array'],
    ['an array as the whole pattern', [], 'Filter is not an object'],
    ['no fields', {}, 'Empty event pattern'],
    ['an empty list', { source: [] }, 'Empty arrays are not allowed'],
    ['an unknown filter', { source: [{ contains: 'ec2' }] }, 'Unrecognized match type contains'],
    [
      'a numeric bound that is text',
      { detail: { n: [{ numeric: ['>', 'abc'] }] } },
      'Value of > must be numeric',
    ],
    [
      'an unknown numeric operator',
      { detail: { n: [{ numeric: ['!=', 1] }] } },
      'Unrecognized numeric range operator: !=',
    ],
    [
      'a range whose bottom is above its top',
      { detail: { n: [{ numeric: ['>', 10, '<', 5] }] } },
      'Bottom must be less than top',
    ],
    ['consecutive wildcards', { detail: { n: [{ wildcard: 'a**b' }] } }, 'Consecutive wildcard characters'],
    ['a CIDR of 33 bits', { detail: { ip: [{ cidr: '10.0.0.0/33' }] } }, 'Nonstandard IP address'],
    [
      'exists that is not a boolean',
      { detail: { n: [{ exists: 'yes' }] } },
      'exists match pattern must be either true or false.',
    ],
    ['a prefix that is a number', { source: [{ prefix: 1 }] }, 'prefix match pattern must be a string'],
    [
      '$or with one alternative',
      { $or: [{ source: ['a'] }] },
      '"$or" must be an array of at least 2 objects',
    ],
    ['a nested list', { source: [['a']] }, 'Match value must be String, number, true, false, or null'],
    [
      'anything-but mixing strings and numbers',
      { n: [{ 'anything-but': ['a', 1] }] },
      'Inside anything but list, all values must be strings or all numbers',
    ],
  ])('refuses %s', (_what, pattern, reason) => {
    expect(() => parseEventPattern(pattern)).toThrow(EventPatternError);
    expect(() => parseEventPattern(pattern)).toThrow(`Event pattern is not valid. Reason: ${reason}`);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseEventPattern('{"source": [')).toThrow(/^Event pattern is not valid\. Reason: /);
  });
});
