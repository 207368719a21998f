import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbGroupRepository } from '../../src/adapters/dynamodb-group-repository';
import { ValidationError } from '../../src/errors';
import { DEFAULT_LIMIT, listGroups, MAX_LIMIT, parseLimit } from '../../src/groups/list-groups';
import { decodePageToken, encodePageToken } from '../../src/groups/page-token';
import { aGroup, MemoryGroupRepository } from './memory-group-repository';

describe('parseLimit', () => {
  it(`is ${DEFAULT_LIMIT} when the query string has no limit`, () => {
    expect(parseLimit(undefined)).toBe(DEFAULT_LIMIT);
  });

  it.each([
    ['1', 1],
    ['7', 7],
    [String(MAX_LIMIT), MAX_LIMIT],
  ])('reads %s as %i', (raw, limit) => {
    expect(parseLimit(raw)).toBe(limit);
  });

  it.each(['0', '-1', String(MAX_LIMIT + 1), '2.5', 'ten', '', '1e2', '0x10', '5abc'])(
    'refuses %j with a ValidationError that gives the allowed range',
    (raw) => {
      expect(() => parseLimit(raw)).toThrow(ValidationError);
      expect(() => parseLimit(raw)).toThrow(new RegExp(`limit.*1.*${MAX_LIMIT}`));
    },
  );
});

describe('the page token', () => {
  it('reads back the key it was made from', () => {
    const key = { id: '7f8c0a5e-3b1d-4c2a-9e6f-0d1c2b3a4f5e' };

    const token = encodePageToken(key);

    expect(decodePageToken(token)).toEqual(key);
  });

  it('is URL-safe base64: no "+", "/" or "=" that a query string would need to escape', () => {
    // These ids make standard base64 use "+" and "/", and need padding.
    for (const id of ['>>>?', '???>', 'ab', 'abcd', 'ÿÿÿ']) {
      const token = encodePageToken({ id });

      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodePageToken(token)).toEqual({ id });
    }
  });

  it('does not show the key in plain text', () => {
    const token = encodePageToken({ id: 'group-42' });

    expect(token).not.toContain('group-42');
  });

  it.each([
    ['characters outside URL-safe base64', 'abc$%^'],
    ['standard base64 with padding', Buffer.from('{"id":"a"}').toString('base64')],
    ['base64 that is not JSON', Buffer.from('not json').toString('base64url')],
    ['JSON that is not an object', Buffer.from('"just a string"').toString('base64url')],
    ['an object without id', Buffer.from('{"name":"x"}').toString('base64url')],
    ['an id that is not a string', Buffer.from('{"id":42}').toString('base64url')],
    ['an empty id', Buffer.from('{"id":""}').toString('base64url')],
    ['extra attributes', Buffer.from('{"id":"a","admin":true}').toString('base64url')],
    ['an empty token', ''],
  ])('is refused with a ValidationError naming nextKey when it has %s', (_case, token) => {
    expect(() => decodePageToken(token)).toThrow(ValidationError);
    expect(() => decodePageToken(token)).toThrow(/nextKey/);
  });
});

describe('listGroups', () => {
  it('returns the first page and a token for the next when there are more groups', async () => {
    const groups = new MemoryGroupRepository([aGroup(1), aGroup(2), aGroup(3)]);

    const page = await listGroups(groups, { limit: '2' });

    expect(page.items).toEqual([aGroup(1), aGroup(2)]);
    expect(page.nextKey).toEqual(expect.any(String));
  });

  it('continues after the last group of the previous page when given its nextKey', async () => {
    const groups = new MemoryGroupRepository([aGroup(1), aGroup(2), aGroup(3)]);
    const first = await listGroups(groups, { limit: '2' });

    const second = await listGroups(groups, { limit: '2', nextKey: first.nextKey ?? undefined });

    expect(second.items).toEqual([aGroup(3)]);
    expect(second.nextKey).toBeNull();
    expect(groups.listCalls[1]).toEqual({ limit: 2, startKey: { id: aGroup(2).id } });
  });

  it('walks every group exactly once, page by page', async () => {
    const all = Array.from({ length: 7 }, (_unused, n) => aGroup(n + 1));
    const groups = new MemoryGroupRepository(all);

    const seen = [];
    let nextKey: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await listGroups(groups, { limit: '3', nextKey });
      seen.push(...page.items);
      if (page.nextKey === null) break;
      nextKey = page.nextKey;
    }

    expect(seen).toEqual(all);
    expect(groups.listCalls).toHaveLength(3);
  });

  it(`asks the repository for ${DEFAULT_LIMIT} groups when no limit is given`, async () => {
    const groups = new MemoryGroupRepository([aGroup(1)]);

    const page = await listGroups(groups, {});

    expect(page).toEqual({ items: [aGroup(1)], nextKey: null });
    expect(groups.listCalls).toEqual([{ limit: DEFAULT_LIMIT }]);
  });

  it('returns an empty list, not an error, when there are no groups', async () => {
    const page = await listGroups(new MemoryGroupRepository(), { limit: '5' });

    expect(page).toEqual({ items: [], nextKey: null });
  });

  it('refuses a bad limit before reading anything', async () => {
    const groups = new MemoryGroupRepository([aGroup(1)]);

    await expect(listGroups(groups, { limit: '1000' })).rejects.toThrow(ValidationError);
    expect(groups.listCalls).toEqual([]);
  });

  it('refuses a nextKey it did not make before reading anything', async () => {
    const groups = new MemoryGroupRepository([aGroup(1)]);

    await expect(listGroups(groups, { nextKey: 'not-a-token' })).rejects.toThrow(/nextKey/);
    expect(groups.listCalls).toEqual([]);
  });
});

describe('DynamoDbGroupRepository.list', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const repository = new DynamoDbGroupRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    'groups-test',
  );

  beforeEach(() => {
    dynamo.reset();
  });

  it('scans the table for one page of at most limit items', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [aGroup(1), aGroup(2)] });

    const page = await repository.list(2);

    expect(page).toEqual({ groups: [aGroup(1), aGroup(2)] });
    expect(dynamo).toHaveReceivedCommandTimes(ScanCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, { TableName: 'groups-test', Limit: 2 });
  });

  it("starts after the given key and returns DynamoDB's LastEvaluatedKey as the page's last key", async () => {
    dynamo.on(ScanCommand).resolves({ Items: [aGroup(3)], LastEvaluatedKey: { id: aGroup(3).id } });

    const page = await repository.list(1, { id: aGroup(2).id });

    expect(page).toEqual({ groups: [aGroup(3)], lastKey: { id: aGroup(3).id } });
    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, {
      TableName: 'groups-test',
      Limit: 1,
      ExclusiveStartKey: { id: aGroup(2).id },
    });
  });

  it('returns an empty page when the table is empty (Items may be missing)', async () => {
    dynamo.on(ScanCommand).resolves({});

    await expect(repository.list(10)).resolves.toEqual({ groups: [] });
  });
});

// BEGIN HIDDEN TESTS
describe('list-groups edge cases', () => {
  it.each(['+5', '99999999999999999999', '5 5'])('refuses the limit %j', (raw) => {
    expect(() => parseLimit(raw)).toThrow(ValidationError);
  });

  it.each([
    ['a JSON array', '["a"]'],
    ['JSON null', 'null'],
  ])('refuses a page token holding %s', (_case, json) => {
    expect(() => decodePageToken(Buffer.from(json).toString('base64url'))).toThrow(ValidationError);
  });
});
// END HIDDEN TESTS
