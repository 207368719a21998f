import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDbGroupRepository } from '../../src/adapters/dynamodb-group-repository';
import { ConflictError, ValidationError } from '../../src/errors';
import { createGroup, validateNewGroup, type Sources } from '../../src/groups/create-group';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH } from '../../src/groups/group';
import { parseJsonBody } from '../../src/http/json-body';
import { MemoryGroupRepository } from './memory-group-repository';

const FIXED: Sources = {
  newId: () => '9b2e4c1a-6f3d-4e8b-a7c5-1d2e3f4a5b6c',
  now: () => new Date('2026-03-14T15:09:26.535Z'),
};

describe('validateNewGroup', () => {
  it('returns the name and description, trimmed', () => {
    const group = validateNewGroup({ name: '  Dogs ', description: ' Pictures of dogs\n' });

    expect(group).toEqual({ name: 'Dogs', description: 'Pictures of dogs' });
  });

  it('ignores the id and timestamp a client tries to choose', () => {
    const group = validateNewGroup({ name: 'Dogs', description: 'Dogs', id: 'mine', timestamp: '1999' });

    expect(group).toEqual({ name: 'Dogs', description: 'Dogs' });
  });

  it(`accepts a name of exactly ${NAME_MAX_LENGTH} and a description of ${DESCRIPTION_MAX_LENGTH} characters`, () => {
    const body = { name: 'n'.repeat(NAME_MAX_LENGTH), description: 'd'.repeat(DESCRIPTION_MAX_LENGTH) };

    expect(validateNewGroup(body)).toEqual(body);
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /JSON object/],
    ['an array', [{ name: 'a', description: 'b' }], /JSON object/],
    ['a string', 'Dogs', /JSON object/],
    ['no name', { description: 'Dogs' }, /name/],
    ['a name that is not a string', { name: 42, description: 'Dogs' }, /name.*string/],
    ['a blank name', { name: '   ', description: 'Dogs' }, /name.*empty/],
    ['no description', { name: 'Dogs' }, /description/],
    ['an empty description', { name: 'Dogs', description: '' }, /description.*empty/],
    ['a description that is not a string', { name: 'Dogs', description: ['a'] }, /description.*string/],
    ['a name too long', { name: 'n'.repeat(NAME_MAX_LENGTH + 1), description: 'Dogs' }, /name.*100/],
    [
      'a description too long',
      { name: 'Dogs', description: 'd'.repeat(DESCRIPTION_MAX_LENGTH + 1) },
      /description.*1000/,
    ],
  ])('refuses %s with a ValidationError that says what is wrong', (_case, body, message) => {
    expect(() => validateNewGroup(body)).toThrow(ValidationError);
    expect(() => validateNewGroup(body)).toThrow(message);
  });
});

describe('createGroup', () => {
  it('gives the group a server-chosen id and an ISO 8601 timestamp, stores it and returns it', async () => {
    const groups = new MemoryGroupRepository();

    const group = await createGroup(groups, { name: 'Dogs', description: 'Pictures of dogs' }, FIXED);

    expect(group).toEqual({
      id: '9b2e4c1a-6f3d-4e8b-a7c5-1d2e3f4a5b6c',
      name: 'Dogs',
      description: 'Pictures of dogs',
      timestamp: '2026-03-14T15:09:26.535Z',
    });
    expect(groups.groups).toEqual([group]);
  });

  it('uses a random UUID and the current time by default', async () => {
    const before = Date.now();

    const first = await createGroup(new MemoryGroupRepository(), { name: 'A', description: 'a' });
    const second = await createGroup(new MemoryGroupRepository(), { name: 'B', description: 'b' });

    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.id).not.toBe(first.id);
    expect(first.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(first.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(first.timestamp)).toBeLessThanOrEqual(Date.now());
  });

  it('stores nothing when the body is invalid', async () => {
    const groups = new MemoryGroupRepository();

    await expect(createGroup(groups, { name: '' }, FIXED)).rejects.toThrow(ValidationError);
    expect(groups.groups).toEqual([]);
  });
});

describe('parseJsonBody', () => {
  it('parses a JSON body', () => {
    expect(parseJsonBody('{"name":"Dogs"}', false)).toEqual({ name: 'Dogs' });
  });

  it('decodes a base64-encoded body first', () => {
    const body = Buffer.from('{"name":"Dogs"}').toString('base64');

    expect(parseJsonBody(body, true)).toEqual({ name: 'Dogs' });
  });

  it.each([
    ['no body', null, /no body/],
    ['an empty body', '', /no body/],
    ['text that is not JSON', '{name: Dogs}', /not valid JSON/],
  ])('refuses %s with a ValidationError', (_case, body, message) => {
    expect(() => parseJsonBody(body, false)).toThrow(ValidationError);
    expect(() => parseJsonBody(body, false)).toThrow(message);
  });
});

describe('DynamoDbGroupRepository.create', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const repository = new DynamoDbGroupRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
    'groups-test',
  );
  const group = {
    id: '9b2e4c1a-6f3d-4e8b-a7c5-1d2e3f4a5b6c',
    name: 'Dogs',
    description: 'Pictures of dogs',
    timestamp: '2026-03-14T15:09:26.535Z',
  };

  beforeEach(() => {
    dynamo.reset();
  });

  it('puts the group as an item, only if no item has its id yet', async () => {
    dynamo.on(PutCommand).resolves({});

    await repository.create(group);

    expect(dynamo).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'groups-test',
      Item: group,
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });

  it('throws a ConflictError (409) when the id is taken', async () => {
    dynamo
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    const creating = repository.create(group);

    await expect(creating).rejects.toBeInstanceOf(ConflictError);
    await expect(creating).rejects.toMatchObject({ statusCode: 409 });
  });

  it('lets other DynamoDB errors through', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
    });
    dynamo.on(PutCommand).rejects(throttled);

    await expect(repository.create(group)).rejects.toThrow('Rate exceeded');
  });
});

// BEGIN HIDDEN TESTS
describe('create-group edge cases', () => {
  it(`counts characters, not UTF-16 units: ${NAME_MAX_LENGTH} emoji make a valid name`, () => {
    const name = '🐶'.repeat(NAME_MAX_LENGTH);

    expect(validateNewGroup({ name, description: 'Dogs' }).name).toBe(name);
  });

  it('refuses a body that is the JSON literal null', () => {
    expect(() => validateNewGroup(parseJsonBody('null', false))).toThrow(ValidationError);
  });
});
// END HIDDEN TESTS
