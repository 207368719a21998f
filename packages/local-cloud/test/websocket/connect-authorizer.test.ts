import { connect, refusedUpgrade, startApi, type Harness, type WsEvent } from './websocket-harness';

interface AuthorizerEvent {
  type: string;
  methodArn: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string> | null;
  requestContext: Record<string, unknown>;
}

const authorizerEvents: AuthorizerEvent[] = [];

function policy(effect: 'Allow' | 'Deny', resource: string) {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  };
}

describe('a REQUEST authorizer on $connect', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startApi('ws-authorizer', {
      checkToken: {
        events: [],
        handler: async (raw) => {
          const event = raw as unknown as AuthorizerEvent;
          authorizerEvents.push(event);
          const token = event.queryStringParameters?.token;
          if (token === 'expired') throw new Error('Unauthorized');
          return {
            principalId: 'alice',
            policyDocument: policy(token === 'banned' ? 'Deny' : 'Allow', event.methodArn),
            context: { plan: 'pro', seats: 3, admin: false },
          };
        },
      },
      onConnect: {
        events: [
          {
            route: '$connect',
            authorizer: { name: 'checkToken', identitySource: ['route.request.querystring.token'] },
          },
        ],
      },
      onDisconnect: { events: ['$disconnect'] },
      onDefault: { events: ['$default'] },
    });
  });

  afterAll(() => harness.stop());

  it('runs before $connect with the upgrade request and the $connect method ARN', async () => {
    const client = await connect(`${harness.api.url}?token=good&probe=arn`, { headers: { Auth: 'x' } });
    const event = authorizerEvents.find((candidate) => candidate.queryStringParameters?.probe === 'arn');

    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: `arn:aws:execute-api:us-east-1:123456789012:${harness.api.apiId}/dev/$connect`,
      headers: expect.objectContaining({ Auth: 'x' }) as unknown,
      requestContext: expect.objectContaining({ routeKey: '$connect', eventType: 'CONNECT' }) as unknown,
    });
    await client.close();
  });

  it('puts the principal and context into requestContext.authorizer of $connect and every later event', async () => {
    const client = await connect(`${harness.api.url}?token=good&probe=context`);
    const connected = await harness.log.next(
      (event, functionKey) => functionKey === 'onConnect' && event.queryStringParameters?.probe === 'context',
    );
    const { connectionId } = connected.requestContext;
    client.send('hello');
    const message = await harness.log.forRoute('$default', connectionId);
    await client.close();
    const disconnected = await harness.log.forRoute('$disconnect', connectionId);

    expect(connected.requestContext.authorizer).toEqual({
      principalId: 'alice',
      plan: 'pro',
      seats: '3',
      admin: 'false',
      integrationLatency: expect.any(Number) as unknown,
    });
    const lasting = { principalId: 'alice', plan: 'pro', seats: '3', admin: 'false' };
    expect(message.requestContext.authorizer).toEqual(lasting);
    expect(disconnected.requestContext.authorizer).toEqual(lasting);
  });

  it('refuses the upgrade with 403 on a Deny, without invoking $connect', async () => {
    const refused = await refusedUpgrade(`${harness.api.url}?token=banned&probe=deny`);

    expect(refused.statusCode).toBe(403);
    expect(
      harness.log.of('onConnect').some((event: WsEvent) => event.queryStringParameters?.probe === 'deny'),
    ).toBe(false);
  });

  it('refuses the upgrade with 401 when the authorizer fails with "Unauthorized"', async () => {
    const refused = await refusedUpgrade(`${harness.api.url}?token=expired`);

    expect(refused.statusCode).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ message: 'Unauthorized' });
  });

  it('refuses the upgrade with 401 without calling the authorizer when the identity source is missing', async () => {
    const calls = authorizerEvents.length;

    const refused = await refusedUpgrade(`${harness.api.url}?probe=no-token`);

    expect(refused.statusCode).toBe(401);
    expect(authorizerEvents).toHaveLength(calls);
  });
});
