import {
  matchesFilterPolicy,
  parseFilterPolicy,
  type MessageAttributeValue,
} from '../../src/services/sns/filter-policy';

const string = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const number = (value: number): MessageAttributeValue => ({ DataType: 'Number', StringValue: String(value) });
const matches = (policy: object, attributes: Record<string, MessageAttributeValue>) =>
  matchesFilterPolicy(parseFilterPolicy(JSON.stringify(policy)), 'MessageAttributes', 'message', attributes);

describe('SNS filter policies on message attributes', () => {
  it('matches exact strings, any of several', () => {
    expect(matches({ colour: ['red', 'blue'] }, { colour: string('blue') })).toBe(true);
    expect(matches({ colour: ['red', 'blue'] }, { colour: string('green') })).toBe(false);
  });

  it('needs every key of the policy to match, and a missing attribute matches nothing but exists: false', () => {
    expect(matches({ colour: ['red'], size: ['L'] }, { colour: string('red') })).toBe(false);
    expect(matches({ size: [{ exists: false }] }, { colour: string('red') })).toBe(true);
    expect(matches({ size: [{ exists: true }] }, { colour: string('red') })).toBe(false);
  });

  it('matches anything-but values and prefixes', () => {
    expect(
      matches({ event: [{ 'anything-but': ['cancelled', 'refunded'] }] }, { event: string('placed') }),
    ).toBe(true);
    expect(matches({ event: [{ 'anything-but': 'cancelled' }] }, { event: string('cancelled') })).toBe(false);
    expect(matches({ event: [{ 'anything-but': { prefix: 'order_' } }] }, { event: string('order_x') })).toBe(
      false,
    );
  });

  it('matches numeric ranges on Number attributes only', () => {
    const policy = { price: [{ numeric: ['>', 0, '<=', 100] }] };
    expect(matches(policy, { price: number(100) })).toBe(true);
    expect(matches(policy, { price: number(100.5) })).toBe(false);
    expect(matches(policy, { price: string('50') })).toBe(false);
    expect(matches({ price: [100] }, { price: number(100) })).toBe(true);
  });

  it('matches any element of a String.Array attribute, and $or alternatives', () => {
    const interests = { DataType: 'String.Array', StringValue: '["rugby","football"]' };
    expect(matches({ interests: ['football'] }, { interests })).toBe(true);
    expect(matches({ $or: [{ colour: ['red'] }, { interests: ['rugby'] }] }, { interests })).toBe(true);
  });

  it('never matches a Binary attribute', () => {
    expect(matches({ data: [{ exists: true }] }, { data: { DataType: 'Binary', BinaryValue: 'aGk=' } })).toBe(
      false,
    );
  });
});

describe('SNS filter policies on the message body', () => {
  it('matches nested keys of a JSON message, and no non-JSON message', () => {
    const policy = parseFilterPolicy(JSON.stringify({ order: { status: [{ prefix: 'ship' }] } }));

    expect(matchesFilterPolicy(policy, 'MessageBody', '{"order":{"status":"shipped"}}', {})).toBe(true);
    expect(matchesFilterPolicy(policy, 'MessageBody', '{"order":{"status":"placed"}}', {})).toBe(false);
    expect(matchesFilterPolicy(policy, 'MessageBody', 'shipped', {})).toBe(false);
  });
});

describe('parsing a filter policy', () => {
  it('refuses what SNS refuses, as InvalidParameter', () => {
    expect(() => parseFilterPolicy('[]')).toThrow('Invalid parameter: FilterPolicy');
    expect(() => parseFilterPolicy('{"a":"b"}')).toThrow('Invalid parameter: FilterPolicy');
    expect(() => parseFilterPolicy('{"a":[{"numeric":["~",1]}]}')).toThrow('Unrecognized match type numeric');
  });
});
