import WebSocket from 'ws';
import {
  connect,
  connectedClient,
  refusedUpgrade,
  startApi,
  STAGE,
  trustCa,
  type Harness,
  type WsEvent,
} from './websocket-harness';

const CONNECTION_ID = /^[A-Za-z0-9_-]{15}=$/;

describe('WebSocket API: connecting, routing messages, disconnecting', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startApi('ws-routing', {
      onConnect: {
        events: ['$connect'],
        handler: async (event) => {
          const reject = event.queryStringParameters?.reject;
          if (reject === 'status') return { statusCode: 401, body: 'no entry' };
          if (reject === 'throw') throw new Error('database down');
          const protocol = event.queryStringParameters?.protocol;
          return protocol
            ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': protocol } }
            : { statusCode: 200 };
        },
      },
      onDisconnect: { events: [{ route: '$disconnect' }] },
      onDefault: { events: ['$default'] },
      sendMessage: {
        events: [{ route: 'sendMessage' }],
        handler: async () => ({ statusCode: 200, body: 'one-way' }),
      },
      echo: {
        events: [{ route: 'echo', routeResponseSelectionExpression: '$default' }],
        handler: async (event) => ({ statusCode: 200, body: `echo:${event.body}` }),
      },
      fail: {
        events: [{ route: 'fail' }],
        handler: async () => {
          throw new Error('handler bug');
        },
      },
    });
    trustCa(harness.api.caCertificate);
  });

  afterAll(() => harness.stop());

  it('invokes $connect with the upgrade request and AWS requestContext before the connection opens', async () => {
    const client = await connect(`${harness.api.url}?room=blue&tag=a&tag=b`, {
      headers: { 'User-Agent': 'course-test/1.0', Auth: 'secret' },
    });
    const event = await harness.log.next(
      (candidate) =>
        candidate.requestContext.routeKey === '$connect' && candidate.queryStringParameters?.room === 'blue',
    );

    expect(event.headers).toMatchObject({
      Host: harness.api.domainName,
      'User-Agent': 'course-test/1.0',
      Auth: 'secret',
      'Sec-WebSocket-Version': '13',
      'X-Forwarded-For': '127.0.0.1',
      'X-Forwarded-Proto': 'http',
    });
    expect(event.headers?.['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.headers).not.toHaveProperty('Upgrade');
    expect(event.multiValueHeaders?.Auth).toEqual(['secret']);
    expect(event.queryStringParameters).toEqual({ room: 'blue', tag: 'b' });
    expect(event.multiValueQueryStringParameters).toEqual({ room: ['blue'], tag: ['a', 'b'] });
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
      stage: STAGE,
      domainName: harness.api.domainName,
      apiId: harness.api.apiId,
      identity: { sourceIp: '127.0.0.1', userAgent: 'course-test/1.0' },
    });
    expect(event.requestContext.connectionId).toMatch(CONNECTION_ID);
    expect(event.requestContext.requestId).toMatch(CONNECTION_ID);
    expect(event.requestContext.requestTime).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(typeof event.requestContext.connectedAt).toBe('number');
    expect(event.requestContext).not.toHaveProperty('messageId');
    expect(harness.api.domainName).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(harness.api.callbackUrl).toBe(`https://${harness.api.domainName}/${STAGE}`);
    await client.close();
  });

  it('leaves the query string maps out of $connect when there is no query string', async () => {
    const client = await connect(harness.api.url, { headers: { 'X-Probe': 'no-query' } });
    const event = await harness.log.next((candidate) => candidate.headers?.['X-Probe'] === 'no-query');

    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('multiValueQueryStringParameters');
    await client.close();
  });

  it('routes a message whose action matches a route key exactly to that route, as a MESSAGE event', async () => {
    const { client, connectionId } = await connectedClient(harness);

    client.send(JSON.stringify({ action: 'sendMessage', text: 'hi' }));
    const event = await harness.log.forRoute('sendMessage', connectionId);

    expect(event.body).toBe('{"action":"sendMessage","text":"hi"}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event).not.toHaveProperty('headers');
    expect(event.requestContext).toMatchObject({
      routeKey: 'sendMessage',
      eventType: 'MESSAGE',
      messageDirection: 'IN',
      connectionId,
      stage: STAGE,
    });
    expect(event.requestContext.messageId).toMatch(CONNECTION_ID);
    await client.close();
  });

  it('sends an unmatched action, a message without one, and non-JSON text to $default', async () => {
    const { client, connectionId } = await connectedClient(harness);

    client.send('{"action":"SENDMESSAGE"}');
    client.send('{"text":"no action"}');
    client.send('plain words, not JSON');
    await harness.log.next(
      (event) => event.requestContext.connectionId === connectionId && event.body === 'plain words, not JSON',
    );
    const bodies = harness.log
      .of('onDefault')
      .filter((event) => event.requestContext.connectionId === connectionId);

    expect(bodies.map((event) => event.body).sort()).toEqual(
      ['{"action":"SENDMESSAGE"}', '{"text":"no action"}', 'plain words, not JSON'].sort(),
    );
    expect(bodies.every((event) => event.requestContext.routeKey === '$default')).toBe(true);
    await client.close();
  });

  it('sends the function body back only on a route with a route response', async () => {
    const { client } = await connectedClient(harness);

    client.send('{"action":"sendMessage"}');
    client.send('{"action":"echo","n":1}');
    await client.message(1);
    client.send('{"action":"echo","n":2}');
    await client.message(2);

    // Anything the one-way route sent would have arrived before the second echo was even requested.
    expect(client.received).toEqual(['echo:{"action":"echo","n":1}', 'echo:{"action":"echo","n":2}']);
    await client.close();
  });

  it('tells the client "Internal server error" when the route function fails, and keeps the connection', async () => {
    const { client, connectionId } = await connectedClient(harness);

    client.send('{"action":"fail"}');
    const failure = await harness.log.forRoute('fail', connectionId);
    const reply = await client.message(1);

    expect(reply).toBe(
      `{"message": "Internal server error", "connectionId":"${connectionId}", "requestId":"${failure.requestContext.requestId}"}`,
    );
    client.send('{"action":"echo"}');
    expect(await client.message(2)).toBe('echo:{"action":"echo"}');
    expect(harness.gatewayLog.some((line) => line.includes('handler bug'))).toBe(true);
    await client.close();
  });

  it('invokes $disconnect with the close code and reason after the client closes', async () => {
    const { client, connectionId } = await connectedClient(harness, '&who=leaver');

    await client.close(4000, 'bye now');
    const event = await harness.log.forRoute('$disconnect', connectionId);

    expect(event.requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectStatusCode: 4000,
      disconnectReason: 'bye now',
      connectionId,
    });
    expect(event.headers).toEqual({
      Host: harness.api.domainName,
      'x-api-key': '',
      'X-Forwarded-For': '127.0.0.1',
      'x-restapi': '',
    });
    expect(event.multiValueHeaders?.Host).toEqual([harness.api.domainName]);
    expect(event).not.toHaveProperty('body');
  });

  it('refuses the upgrade with the status $connect returns, and never opens the connection', async () => {
    const refused = await refusedUpgrade(`${harness.api.url}?reject=status`);

    expect(refused.statusCode).toBe(401);
    expect(refused.body).toBe('no entry');
  });

  it('refuses the upgrade with 502 when $connect throws', async () => {
    const refused = await refusedUpgrade(`${harness.api.url}?reject=throw`);

    expect(refused.statusCode).toBe(502);
    expect(harness.gatewayLog.some((line) => line.includes('database down'))).toBe(true);
  });

  it('does not invoke $disconnect for a connection $connect refused', async () => {
    await refusedUpgrade(`${harness.api.url}?reject=status&marker=refused-once`);
    const refusedConnect = await harness.log.next(
      (event) =>
        event.requestContext.routeKey === '$connect' &&
        event.queryStringParameters?.marker === 'refused-once',
    );
    const { client, connectionId } = await connectedClient(harness);
    await client.close();
    await harness.log.forRoute('$disconnect', connectionId);

    const disconnected = harness.log
      .of('onDisconnect')
      .map((event: WsEvent) => event.requestContext.connectionId);
    expect(disconnected).not.toContain(refusedConnect.requestContext.connectionId);
  });

  it('answers 403 to an upgrade on another stage', async () => {
    const refused = await refusedUpgrade(harness.api.url.replace(`/${STAGE}`, '/prod'));

    expect(refused.statusCode).toBe(403);
  });

  it('selects the subprotocol $connect returns, and none otherwise', async () => {
    const chosen = await connect(`${harness.api.url}?protocol=chat.v2`, {}, ['chat.v1', 'chat.v2']);
    expect(chosen.socket.protocol).toBe('chat.v2');
    await chosen.close();

    await expect(connect(harness.api.url, {}, ['chat.v1'])).rejects.toThrow(/subprotocol/);
  });

  it('accepts wss:// on the same port with the local CA', async () => {
    const client = await connect(`${harness.api.url.replace('ws://', 'wss://')}?probe=tls`, {
      ca: harness.api.caCertificate,
    });
    client.send('{"action":"echo"}');
    const connected = await harness.log.next((event) => event.queryStringParameters?.probe === 'tls');

    expect(await client.message(1)).toBe('echo:{"action":"echo"}');
    expect(connected.headers).toMatchObject({
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Port': harness.api.domainName.split(':')[1],
    });
    await client.close();
  });

  it('closes the connection with 1003 when the client sends a binary frame', async () => {
    const { client, connectionId } = await connectedClient(harness);

    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    const closed = await client.closed;
    const event = await harness.log.forRoute('$disconnect', connectionId);

    expect(closed.code).toBe(1003);
    expect(event.requestContext.disconnectStatusCode).toBe(1003);
    expect(harness.log.of('onDefault').some((e) => e.requestContext.connectionId === connectionId)).toBe(
      false,
    );
    expect(client.socket.readyState).toBe(WebSocket.CLOSED);
  });
});
