// The groups endpoints, each handler with its middleware, DynamoDB and Secrets Manager mocked.
import { PAGINATION_SECRET } from '../support/env';
import type * as SecretsManagerModule from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as LibDynamoDbModule from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler as createGroup } from '../../../src/handlers/create-group';
import { handler as getGroup } from '../../../src/handlers/get-group';
import { handler as listGroups } from '../../../src/handlers/list-groups';
import { HmacPageTokens } from '../../../src/adapters/hmac-page-tokens';
import { ALICE, call, sdkError } from '../support/http';
import { GROUP_ID, group } from '../support/ids';

const dynamo = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
const tokens = new HmacPageTokens('unit-test-pagination-key');

beforeEach(() => {
  dynamo.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: PAGINATION_SECRET });
});

describe('GET /groups', () => {
  it('answers a page of groups and a nextKey that leads to the next page', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [group], LastEvaluatedKey: { id: GROUP_ID } });

    const answer = await call(listGroups, { path: '/groups', query: { limit: '1' } });

    expect(answer.statusCode).toBe(200);
    expect(answer.body.items).toEqual([group]);
    expect(tokens.decode(answer.body.nextKey as string)).toEqual({ id: GROUP_ID });
    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, { TableName: 'groups-table', Limit: 1 });
    expect(answer.headers['Access-Control-Allow-Origin']).toBe('*');
  });

  it('reads 20 groups when no limit is given, and gives no nextKey on the last page', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [group] });

    const answer = await call(listGroups, { path: '/groups' });

    expect(answer.body).toEqual({ items: [group] });
    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, { Limit: 20 });
  });

  it('continues from where the nextKey says', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [] });

    await call(listGroups, { path: '/groups', query: { nextKey: tokens.encode({ id: GROUP_ID }) } });

    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, { ExclusiveStartKey: { id: GROUP_ID } });
  });

  it.each(['0', '101', '-1', '1.5', 'ten', ''])(
    'refuses limit=%j with a 400 that names the fix',
    async (limit) => {
      const answer = await call(listGroups, { path: '/groups', query: { limit } });

      expect(answer.statusCode).toBe(400);
      expect(answer.body.message).toMatch(/^limit must be a whole number from 1 to 100\. /);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    },
  );

  it('refuses a nextKey it did not sign (a client cannot steer the scan)', async () => {
    const forged = `${Buffer.from('{"id":"x"}').toString('base64url')}.AAAA`;

    const answer = await call(listGroups, { path: '/groups', query: { nextKey: forged } });

    expect(answer.statusCode).toBe(400);
    expect(answer.body.message).toMatch(/^nextKey is not a key this API gave out\./);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 503 when DynamoDB throttles past the SDK retries', async () => {
    dynamo.on(ScanCommand).rejects(sdkError('ProvisionedThroughputExceededException'));

    const answer = await call(listGroups, { path: '/groups' });

    expect(answer.statusCode).toBe(503);
    expect(answer.body.message).toBe('The service is busy right now. Retry in a few seconds');
  });

  it('answers 500 with a JSON message, and no detail, when DynamoDB fails otherwise', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
    dynamo.on(ScanCommand).rejects(sdkError('InternalServerError', 'table on fire'));

    const answer = await call(listGroups, { path: '/groups' });

    expect(answer.statusCode).toBe(500);
    expect(answer.body).toEqual({ message: 'Something went wrong on our side. Try again in a moment' });
    expect(logged).toHaveBeenCalled();
  });
});

describe('POST /groups', () => {
  it('creates a group owned by the signed-in user', async () => {
    dynamo.on(PutCommand).resolves({});

    const answer = await call(createGroup, {
      method: 'POST',
      path: '/groups',
      authorizer: ALICE,
      body: { name: 'Dogs', description: 'Good dogs' },
    });

    expect(answer.statusCode).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      name: 'Dogs',
      description: 'Good dogs',
      userId: 'alice',
      timestamp: expect.any(String) as unknown,
    });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'groups-table',
      Item: answer.body,
      ConditionExpression: 'attribute_not_exists(id)',
    });
  });

  it('gives a group without a description an empty one', async () => {
    dynamo.on(PutCommand).resolves({});

    const answer = await call(createGroup, {
      method: 'POST',
      path: '/groups',
      authorizer: ALICE,
      body: { name: 'Dogs' },
    });

    expect(answer.body.description).toBe('');
  });

  it.each([
    ['no name', { description: 'x' }, /^The body needs a name\./],
    ['a blank name', { name: '   ' }, /^name must be text of 1 to 100 characters/],
    ['a name too long', { name: 'x'.repeat(101) }, /^name must be text of 1 to 100 characters/],
    ['a number for a name', { name: 42 }, /^name must be text/],
    ['a description too long', { name: 'ok', description: 'x'.repeat(1001) }, /^description must be text/],
    ['an unknown field', { name: 'ok', admin: true }, /^The body may hold only name and description\./],
    ['an array', ['Dogs'], /^The body must be a JSON object\./],
    ['a lone surrogate', { name: 'bad \ud800 text' }, /^name must be text/],
  ])('refuses %s with 400 and writes nothing', async (_case, body, message) => {
    const answer = await call(createGroup, { method: 'POST', path: '/groups', authorizer: ALICE, body });

    expect(answer.statusCode).toBe(400);
    expect(answer.body.message).toMatch(message);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses a body that is not JSON', async () => {
    const answer = await call(createGroup, {
      method: 'POST',
      path: '/groups',
      authorizer: ALICE,
      body: '{"name": ',
    });

    expect(answer.statusCode).toBe(400);
    expect(answer.body.message).toMatch(/^The body is not valid JSON\. /);
  });

  it('refuses a body not declared as JSON with 415', async () => {
    const answer = await call(createGroup, {
      method: 'POST',
      path: '/groups',
      authorizer: ALICE,
      headers: { 'Content-Type': 'text/plain' },
      body: '{"name":"Dogs"}',
    });

    expect(answer.statusCode).toBe(415);
    expect(answer.body.message).toMatch(/Content-Type: application\/json$/);
  });

  it('refuses a request with no body', async () => {
    const answer = await call(createGroup, { method: 'POST', path: '/groups', authorizer: ALICE });

    expect(answer.statusCode).toBe(400);
    expect(answer.body.message).toMatch(/^The request has no body\./);
  });

  it('answers 401 when no authorizer identified the caller', async () => {
    const answer = await call(createGroup, { method: 'POST', path: '/groups', body: { name: 'Dogs' } });

    expect(answer.statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 409 when the id is already taken (the conditional write failed)', async () => {
    dynamo.on(PutCommand).rejects(sdkError('ConditionalCheckFailedException'));

    const answer = await call(createGroup, {
      method: 'POST',
      path: '/groups',
      authorizer: ALICE,
      body: { name: 'Dogs' },
    });

    expect(answer.statusCode).toBe(409);
    expect(answer.body.message).toMatch(/already exists\. Send the request again$/);
  });

  it('answers 503 when DynamoDB throttles the write', async () => {
    dynamo.on(PutCommand).rejects(sdkError('ThrottlingException'));

    const answer = await call(createGroup, {
      method: 'POST',
      path: '/groups',
      authorizer: ALICE,
      body: { name: 'Dogs' },
    });

    expect(answer.statusCode).toBe(503);
  });
});

describe('GET /groups/{groupId}', () => {
  it('answers the group', async () => {
    dynamo.on(GetCommand, { TableName: 'groups-table', Key: { id: GROUP_ID } }).resolves({ Item: group });

    const answer = await call(getGroup, {
      path: `/groups/${GROUP_ID}`,
      pathParameters: { groupId: GROUP_ID },
    });

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toEqual(group);
  });

  it('answers 404 for an unknown group', async () => {
    dynamo.on(GetCommand).resolves({});

    const answer = await call(getGroup, {
      path: `/groups/${GROUP_ID}`,
      pathParameters: { groupId: GROUP_ID },
    });

    expect(answer.statusCode).toBe(404);
    expect(answer.body.message).toBe(`No group has the id ${GROUP_ID}. List the groups with GET /groups`);
  });

  it('answers 400 for an id that is not a UUID, without reading the table', async () => {
    const answer = await call(getGroup, { path: '/groups/42', pathParameters: { groupId: '42' } });

    expect(answer.statusCode).toBe(400);
    expect(answer.body.message).toMatch(/^groupId must be a UUID/);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('the pagination secret', () => {
  /** The handler as a new sandbox loads it: its own module cache, so its own secret cache and SDK. */
  function coldListGroups() {
    let loaded:
      | {
          handler: typeof listGroups;
          secrets: ReturnType<typeof mockClient>;
          dynamo: ReturnType<typeof mockClient>;
        }
      | undefined;
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const sdk = require('@aws-sdk/client-secrets-manager') as typeof SecretsManagerModule;
      const lib = require('@aws-sdk/lib-dynamodb') as typeof LibDynamoDbModule;
      const handler = (require('../../../src/handlers/list-groups') as { handler: typeof listGroups })
        .handler;
      /* eslint-enable @typescript-eslint/no-require-imports */
      const coldDynamo = mockClient(lib.DynamoDBDocumentClient);
      coldDynamo.onAnyCommand().resolves({ Items: [] });
      loaded = { handler, secrets: mockClient(sdk.SecretsManagerClient), dynamo: coldDynamo };
    });
    return loaded!;
  }

  it('is fetched from Secrets Manager on the first invocation of a sandbox, then kept', async () => {
    const cold = coldListGroups();
    cold.secrets.onAnyCommand().resolves({ SecretString: PAGINATION_SECRET } as never);

    await call(cold.handler, { path: '/groups' });
    await call(cold.handler, { path: '/groups' });

    expect(cold.dynamo.calls()).toHaveLength(2);
    expect(cold.secrets.calls()).toHaveLength(1);
    expect(cold.secrets.call(0).args[0].input).toEqual({ SecretId: process.env.PAGINATION_SECRET_ARN });
  });

  it('answers 500 without revealing anything when the secret cannot be read', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    const cold = coldListGroups();
    cold.secrets.onAnyCommand().rejects(sdkError('AccessDeniedException', 'not allowed'));

    const answer = await call(cold.handler, { path: '/groups' });

    expect(answer.statusCode).toBe(500);
    expect(answer.body).toEqual({ message: 'Something went wrong on our side. Try again in a moment' });
    expect(cold.dynamo.calls()).toHaveLength(0);
  });
});
