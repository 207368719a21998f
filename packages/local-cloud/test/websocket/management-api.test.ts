import {
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { InboundFrameWatcher } from '../../src/websocket/frame-limits';
import {
  connect,
  connectedClient,
  CREDENTIALS,
  managementClient,
  managementClientFor,
  REGION,
  startApi,
  STAGE,
  trustCa,
  type Harness,
  type WsEvent,
} from './websocket-harness';

const execFileAsync = promisify(execFile);
const POST_FROM_CHILD = path.join(__dirname, '..', 'fixtures', 'websocket', 'post-to-connection.js');

/** What the $connect handler saw when it tried to post to the connection it was admitting. */
const postsDuringConnect: { name: string; status?: number }[] = [];

describe('the @connections management API', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startApi('ws-management', {
      onConnect: {
        events: ['$connect'],
        handler: async (event) => {
          if (event.queryStringParameters?.postDuringConnect) {
            try {
              await managementClientFor(event).send(
                new PostToConnectionCommand({
                  ConnectionId: event.requestContext.connectionId,
                  Data: 'too early',
                }),
              );
              postsDuringConnect.push({ name: 'delivered' });
            } catch (error) {
              const failure = error as { name: string; $metadata?: { httpStatusCode?: number } };
              postsDuringConnect.push({ name: failure.name, status: failure.$metadata?.httpStatusCode });
            }
          }
          return { statusCode: 200 };
        },
      },
      onDisconnect: { events: ['$disconnect'] },
      // A handler as written for AWS: it answers through the callback URL built from its event.
      reply: {
        events: ['reply'],
        handler: async (event: WsEvent) => {
          const { text } = JSON.parse(event.body ?? '{}') as { text: string };
          await managementClientFor(event).send(
            new PostToConnectionCommand({
              ConnectionId: event.requestContext.connectionId,
              Data: `you said ${text}`,
            }),
          );
          return { statusCode: 200 };
        },
      },
    });
    trustCa(harness.api.caCertificate);
  });

  afterAll(() => harness.stop());

  it('delivers what a handler posts through https://{domainName}/{stage} to the client', async () => {
    const { client } = await connectedClient(harness);

    client.send('{"action":"reply","text":"hello"}');

    expect(await client.message(1)).toBe('you said hello');
    await client.close();
  });

  it('describes a connection: connected at, last active at, source IP and user agent', async () => {
    const before = Date.now();
    const client = await connect(`${harness.api.url}?marker=describe`, {
      headers: { 'User-Agent': 'describer/2' },
    });
    const connected = await harness.log.next((event) => event.queryStringParameters?.marker === 'describe');
    const api = managementClient(harness.api.callbackUrl);

    const described = await api.send(
      new GetConnectionCommand({ ConnectionId: connected.requestContext.connectionId }),
    );

    expect(described.ConnectedAt).toBeInstanceOf(Date);
    expect(described.ConnectedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(described.LastActiveAt!.getTime()).toBeGreaterThanOrEqual(described.ConnectedAt!.getTime());
    expect(described.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'describer/2' });
    await client.close();
  });

  it('disconnects on DELETE: the client sees 1000, $disconnect gets 1000 "Connection Closed Normally"', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const api = managementClient(harness.api.callbackUrl);

    const deleted = await api.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    const closed = await client.closed;
    const event = await harness.log.forRoute('$disconnect', connectionId);

    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(closed.code).toBe(1000);
    expect(event.requestContext).toMatchObject({
      eventType: 'DISCONNECT',
      disconnectStatusCode: 1000,
      disconnectReason: 'Connection Closed Normally',
    });
    await expect(
      api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x' })),
    ).rejects.toThrow(GoneException);
  });

  it('answers 410 GoneException with an empty body for an unknown or closed connection, on every method', async () => {
    const { client, connectionId } = await connectedClient(harness);
    await client.close();
    await harness.log.forRoute('$disconnect', connectionId);
    const api = managementClient(harness.api.callbackUrl);

    for (const id of [connectionId, 'AAAAAAAAAAAAAAA=']) {
      const errors = await Promise.all(
        [
          api.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x' })),
          api.send(new GetConnectionCommand({ ConnectionId: id })),
          api.send(new DeleteConnectionCommand({ ConnectionId: id })),
        ].map((attempt) =>
          attempt.then(
            () => undefined,
            (failure: unknown) => failure,
          ),
        ),
      );
      for (const error of errors) {
        expect(error).toBeInstanceOf(GoneException);
        expect((error as GoneException).$metadata.httpStatusCode).toBe(410);
        // The body is empty, so the SDK has no message to report (on AWS too).
        expect((error as GoneException).message).toBe('UnknownError');
      }
    }
  });

  it('answers 410 to a post from inside $connect: the connection is not established yet', async () => {
    const client = await connect(`${harness.api.url}?postDuringConnect=1`);

    expect(postsDuringConnect).toEqual([{ name: 'GoneException', status: 410 }]);
    expect(client.received).toEqual([]);
    await client.close();
  });

  it('sends data over 32 KB as one message in frames of at most 32 KB', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const watcher = new InboundFrameWatcher(32 * 1024, 128 * 1024);
    const violations: unknown[] = [];
    // The client's socket, to see the frames themselves (server frames are unmasked; the watcher reads both).
    const raw = (client.socket as unknown as { _socket: NodeJS.EventEmitter })._socket;
    raw.prependListener('data', (chunk: Buffer) => {
      const violation = watcher.push(chunk);
      if (violation) violations.push(violation);
    });
    const data = 'é'.repeat(50 * 1024);

    await managementClient(harness.api.callbackUrl).send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }),
    );

    expect(await client.message(1)).toBe(data);
    expect(violations).toEqual([]);
    await client.close();
  });

  it('refuses data over 128 KB with 413 PayloadTooLargeException', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const api = managementClient(harness.api.callbackUrl);

    await expect(
      api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x'.repeat(128 * 1024 + 1) })),
    ).rejects.toThrow(PayloadTooLargeException);
    await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x'.repeat(128 * 1024) }));

    expect((await client.message(1)).length).toBe(128 * 1024);
    await client.close();
  });

  it('accepts plain-http management calls on the same port', async () => {
    const { client, connectionId } = await connectedClient(harness);

    await managementClient(`http://${harness.api.domainName}/${STAGE}`).send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'over http' }),
    );

    expect(await client.message(1)).toBe('over http');
    await client.close();
  });

  it('refuses a wrong secret key with 403 InvalidSignatureException and an unsigned call with 403', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const forged = managementClient(harness.api.callbackUrl, { ...CREDENTIALS, secretAccessKey: 'wrong' });

    const error = (await forged
      .send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x' }))
      .catch((failure: unknown) => failure)) as { name: string; $metadata: { httpStatusCode: number } };
    const unsigned = await fetch(`http://${harness.api.domainName}/${STAGE}/@connections/${connectionId}`, {
      method: 'POST',
      body: 'x',
    });

    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(client.received).toEqual([]);
    await client.close();
  });

  it('serves the unchanged SDK in a child process that trusts the CA through NODE_EXTRA_CA_CERTS', async () => {
    const { client, connectionId } = await connectedClient(harness);
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    };
    const event = JSON.stringify({
      requestContext: { domainName: harness.api.domainName, stage: STAGE, connectionId },
    });

    const trusted = await execFileAsync(process.execPath, [POST_FROM_CHILD, event, 'from a sandbox'], {
      env: { ...env, NODE_EXTRA_CA_CERTS: harness.api.caCertificateFile },
    });
    const untrusted = await execFileAsync(process.execPath, [POST_FROM_CHILD, event, 'never arrives'], {
      env,
    }).then(
      () => 'delivered',
      (failure: { stdout: string }) => failure.stdout.trim(),
    );

    expect(trusted.stdout.trim()).toBe('posted');
    expect(await client.message(1)).toBe('from a sandbox');
    expect(untrusted).toMatch(/certificate/i);
    expect(client.received).toEqual(['from a sandbox']);
    await client.close();
  });
});
