// Routes with Lambda authorizers, through HTTP: who reaches the function, with which requestContext.authorizer,
// and what the gateway answers (and with which CORS headers) when it turns a request away.
import type { FakeFunction } from '../support/fake-lambda-service';
import { startRestApi, type RunningRestApi } from './rest-api-harness';

const policy = (effect: string, resource: string, context: Record<string, unknown> = {}) => ({
  principalId: 'alice',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  },
  context,
});

const functions: Record<string, FakeFunction> = {
  checkToken: {
    handler: async (event) => {
      const { authorizationToken, methodArn } = event as {
        authorizationToken: string;
        methodArn: string;
      };
      if (authorizationToken === 'Bearer bad') throw new Error('Unauthorized');
      if (authorizationToken === 'Bearer crash') throw new Error('boom');
      return policy(authorizationToken === 'Bearer deny' ? 'Deny' : 'Allow', methodArn, {
        role: 'admin',
        level: 3,
      });
    },
  },
  secret: {
    handler: async (event) => ({
      statusCode: 200,
      body: JSON.stringify((event as { requestContext: unknown }).requestContext),
    }),
    httpEvents: [
      {
        method: 'POST',
        path: '/secret',
        authorizer: { name: 'checkToken', resultTtlInSeconds: 0 },
        requestSchemas: {
          'application/json': { type: 'object', required: ['name'] },
        },
      },
    ],
  },
};

const CORS = {
  GatewayResponseDefault4XX: {
    Type: 'AWS::ApiGateway::GatewayResponse',
    Properties: {
      ResponseType: 'DEFAULT_4XX',
      RestApiId: { Ref: 'ApiGatewayRestApi' },
      ResponseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
      },
    },
  },
};

describe('a route with a TOKEN authorizer', () => {
  let api: RunningRestApi;
  beforeAll(async () => {
    api = await startRestApi(functions, {
      service: { servicePath: __dirname, resources: CORS },
    });
  });
  afterAll(() => api.close());

  const post = (token: string | undefined, body = '{"name":"x"}') =>
    fetch(`${api.origin}/dev/secret`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token && { authorization: token }),
      },
      body,
    });

  it('passes the authorizer’s principal and context to the function', async () => {
    const response = await post('Bearer good');
    const context = (await response.json()) as {
      authorizer: Record<string, unknown>;
    };

    expect(response.status).toBe(200);
    expect(context.authorizer).toEqual({
      role: 'admin',
      level: '3',
      principalId: 'alice',
      integrationLatency: expect.any(Number) as unknown,
    });
  });

  it.each([
    [undefined, 401, '{"message":"Unauthorized"}', 'UnauthorizedException'],
    ['Bearer bad', 401, '{"message":"Unauthorized"}', 'UnauthorizedException'],
    [
      'Bearer deny',
      403,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
      'AccessDeniedException',
    ],
  ])('answers %s with %i and the configured CORS header', async (token, status, body, errorType) => {
    const response = await post(token);

    expect(response.status).toBe(status);
    expect(await response.text()).toBe(body);
    expect(response.headers.get('x-amzn-errortype')).toBe(errorType);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a failing authorizer with 500 and no 4xx CORS header', async () => {
    const response = await post('Bearer crash');

    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"message":null}');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('authorizes before validating the body', async () => {
    expect((await post(undefined, '{}')).status).toBe(401);
    expect((await post('Bearer good', '{}')).status).toBe(400);
  });

  it('adds the CORS header to the missing-token 403 of an unknown route', async () => {
    const response = await fetch(`${api.origin}/dev/nowhere`);

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
