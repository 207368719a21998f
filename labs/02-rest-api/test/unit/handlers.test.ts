// The two handlers end to end, with the DynamoDB client mocked: query string and body in, HTTP response out.
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { apiGatewayEvent, createContext, invokeHandler } from '@serverless-course/test-kit';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler as createGroupHandler } from '../../src/handlers/create-group';
import { handler as getGroupsHandler } from '../../src/handlers/get-groups';
import { aGroup } from './memory-group-repository';

const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  dynamo.reset();
});

function bodyOf(response: { body: string }): unknown {
  return JSON.parse(response.body) as unknown;
}

describe('GET /groups handler', () => {
  it('answers 200 with a page of groups, the next page token and CORS headers', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [aGroup(1)], LastEvaluatedKey: { id: aGroup(1).id } });
    const event = apiGatewayEvent({ method: 'GET', path: '/groups', query: { limit: '1' } });

    const response = await invokeHandler(getGroupsHandler, event, createContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ items: [aGroup(1)], nextKey: expect.any(String) as unknown });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, { TableName: 'groups-unit-test', Limit: 1 });
  });

  it('reads the first page when the request has no query string (queryStringParameters is null)', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [] });
    const event = apiGatewayEvent({ method: 'GET', path: '/groups' });

    const response = await invokeHandler(getGroupsHandler, event, createContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ items: [], nextKey: null });
  });

  it('answers 400 with a message and reads nothing when nextKey is not a token it made', async () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/groups', query: { nextKey: '%%%' } });

    const response = await invokeHandler(getGroupsHandler, event, createContext());

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({ message: expect.stringContaining('nextKey') as unknown });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
    expect(dynamo).not.toHaveReceivedCommand(ScanCommand);
  });

  it('answers 500 with a generic message when DynamoDB fails', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    dynamo.on(ScanCommand).rejects(new Error('Requested resource not found'));
    const event = apiGatewayEvent({ method: 'GET', path: '/groups' });

    const response = await invokeHandler(getGroupsHandler, event, createContext());

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Requested resource not found');
  });
});

describe('POST /groups handler', () => {
  it('answers 201 with the stored group', async () => {
    dynamo.on(PutCommand).resolves({});
    const event = apiGatewayEvent({
      method: 'POST',
      path: '/groups',
      headers: { 'Content-Type': 'application/json' },
      body: { name: 'Dogs', description: 'Pictures of dogs' },
    });

    const response = await invokeHandler(createGroupHandler, event, createContext());

    expect(response.statusCode).toBe(201);
    const group = bodyOf(response);
    expect(group).toEqual({
      id: expect.any(String) as unknown,
      name: 'Dogs',
      description: 'Pictures of dogs',
      timestamp: expect.any(String) as unknown,
    });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'groups-unit-test',
      Item: group as object,
    });
  });

  it('answers 400 and stores nothing when the body is not JSON', async () => {
    const event = apiGatewayEvent({ method: 'POST', path: '/groups', body: '{"name": "Dogs",' });

    const response = await invokeHandler(createGroupHandler, event, createContext());

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({ message: expect.stringContaining('JSON') as unknown });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 400 naming the field when the description is missing', async () => {
    const event = apiGatewayEvent({ method: 'POST', path: '/groups', body: { name: 'Dogs' } });

    const response = await invokeHandler(createGroupHandler, event, createContext());

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({ message: expect.stringContaining('description') as unknown });
  });
});
